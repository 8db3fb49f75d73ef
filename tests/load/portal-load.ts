// `npm run bench:load`: load figures for the foundation (docs/benchmarks/foundation.md).
//
// 1. PostgreSQL: creates BENCH_DATABASE_URL's database if missing and runs the large seed into it
//    (3,000 dealers, 30,000 users; a no-op when already at size).
// 2. Starts the production server (build/ must exist: `npm run build`) as one child process —
//    `node --import tsx portal/server/main.ts`, so the pid whose memory we read is the server itself.
// 3. With autocannon, for 1, 10 and 50 connections, BENCH_SECONDS each:
//      login  POST /login, successful logins of distinct dealer users, cycling through the accounts
//      home   GET /home as principal@d001.example
//      users  GET /users?status=active&role=dealer_sales&sort=email&dir=desc&page=3 as admin@oem.example
//    Every response must have the expected status (302 for login, 200 for the pages); anything else,
//    and every connection error or timeout, counts as an error and is printed.
//    Latencies: every response time is recorded here (autocannon's 'response' event) and p50/p95/p99
//    are exact percentiles of those samples; autocannon's own histogram only offers p50/p97.5/p99.
// 4. Server memory: VmRSS after start-up and after the runs, VmHWM (peak), sampled peak per run.
// 5. The same with embedded PGlite in a temporary folder seeded with the large seed.
// Every child process is stopped at the end, also on failure or Ctrl-C.
//
// Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/dealer_portal_bench),
// BENCH_SECONDS (10), BENCH_PGLITE_SECONDS (= BENCH_SECONDS), BENCH_CONNECTIONS ("1,10,50"),
// BENCH_ENGINES ("postgres,pglite"), BENCH_SCENARIOS ("login,home,users"), BENCH_PGLITE_DIR (reuse
// a seeded PGlite folder instead of a fresh temporary one), BENCH_OUT (write the results as JSON),
// BENCH_IDLE_WAIT (300: seconds to wait before each run for other processes to go quiet; the machine
// is shared, and the CPU used by other processes during each run is reported next to the figures),
// BENCH_REPEAT (1: attempts per cell; the one with the least CPU used by other processes is kept),
// BENCH_WITH_JOBS=1 (leave the scheduler and the ERP/DMS/MES simulator on in the server process).
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import { buildLargePlan } from "../../db/seed/large";

// ---------------------------------------------------------------------------------------------
// autocannon has no bundled types; the part of its API used here.
type AcRequest = {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (req: AcRequest, context: Record<string, unknown>) => AcRequest;
};
type AcResult = {
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodeStats: Record<string, { count: number }>;
  latency: { p50: number; p97_5: number; p99: number; average: number };
  requests: { average: number; total: number };
};
type AcInstance = NodeJS.EventEmitter;
type Autocannon = (
  opts: {
    url: string;
    connections: number;
    duration?: number;
    amount?: number;
    timeout?: number;
    headers?: Record<string, string>;
    requests?: AcRequest[];
  },
  cb: (error: Error | null, result: AcResult) => void,
) => AcInstance;
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

// ---------------------------------------------------------------------------------------------
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const env = process.env;
const BENCH_DATABASE_URL = env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/dealer_portal_bench";
const SECONDS = positive(env.BENCH_SECONDS, 10);
const PGLITE_SECONDS = positive(env.BENCH_PGLITE_SECONDS, SECONDS);
const CONNECTIONS = (env.BENCH_CONNECTIONS ?? "1,10,50").split(",").map((c) => positive(c, 1));
const ENGINES = (env.BENCH_ENGINES ?? "postgres,pglite").split(",").map((s) => s.trim());
const SCENARIOS = (env.BENCH_SCENARIOS ?? "login,home,users").split(",").map((s) => s.trim());
const IDLE_WAIT = Number(env.BENCH_IDLE_WAIT ?? 300);
const REPEAT = Math.floor(positive(env.BENCH_REPEAT, 1));
const PASSWORD = "demo-password";
const USERS_PATH = "/users?status=active&role=dealer_sales&sort=email&dir=desc&page=3";

function positive(raw: string | undefined, fallback: number): number {
  const n = Number(raw);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

const say = (line = "") => process.stdout.write(`${line}\n`);

// ---------------------------------------------------------------------------------------------
// Child processes: all of them are stopped on the way out, whatever happens.
const children = new Set<ChildProcess>();

function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

async function stopChild(child: ChildProcess, graceMs = 8000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

process.on("exit", () => {
  for (const child of children) child.kill("SIGKILL");
});
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    say(`\n${signal}: stopping child processes`);
    void Promise.all([...children].map((c) => stopChild(c, 3000))).finally(() => process.exit(130));
  });
}

/** Runs `node --import tsx <script>` to completion; resolves with its output and elapsed time. */
function runScript(script: string, childEnv: NodeJS.ProcessEnv): Promise<{ stdout: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = track(
      spawn(process.execPath, ["--import", "tsx", script], {
        cwd: root,
        env: childEnv,
        stdio: ["ignore", "pipe", "pipe"],
      }),
    );
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (d: Buffer) => {
      stdout += d;
      process.stdout.write(`    | ${d.toString().trimEnd().replace(/\n/g, "\n    | ")}\n`);
    });
    child.stderr!.on("data", (d: Buffer) => (stderr += d));
    child.once("error", reject);
    child.once("exit", (code) => {
      if (code === 0) resolve({ stdout, ms: performance.now() - started });
      else reject(new Error(`${script} exited with ${code}: ${stderr.trim().slice(-2000)}`));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// The server.
type Server = { child: ChildProcess; pid: number; port: number; base: string; output: () => string };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function startServer(database: { url: string } | { pgliteDir: string }): Promise<Server> {
  const port = await freePort();
  const childEnv: NodeJS.ProcessEnv = {
    ...env,
    NODE_ENV: "production",
    PORT: String(port),
    HOST: "127.0.0.1",
    LOG_LEVEL: "warn",
    SEED_DEMO: "false",
    // The portal alone: no scheduled jobs and no simulated ERP/DMS/MES in the measured process
    // (BENCH_WITH_JOBS=1 measures the default, everything-in-one-process set-up instead).
    RUN_JOBS: env.BENCH_WITH_JOBS === "1" ? "true" : "false",
    SIMULATOR: env.BENCH_WITH_JOBS === "1" ? "auto" : "false",
  };
  delete childEnv.DATABASE_URL;
  delete childEnv.PGLITE_DIR;
  delete childEnv.APP_ORIGIN;
  if ("url" in database) childEnv.DATABASE_URL = database.url;
  else childEnv.PGLITE_DIR = database.pgliteDir;
  const child = track(
    spawn(process.execPath, ["--import", "tsx", "portal/server/main.ts"], {
      cwd: root,
      env: childEnv,
      stdio: ["ignore", "pipe", "pipe"],
    }),
  );
  let output = "";
  const keep = (d: Buffer) => {
    output = (output + d.toString()).slice(-20_000);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`the server exited with ${child.exitCode} during start-up:\n${output}`);
    try {
      const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return { child, pid: child.pid!, port, base, output: () => output };
    } catch {
      /* not listening yet */
    }
    await sleep(250);
  }
  await stopChild(child);
  throw new Error(`the server did not answer /healthz with 200 within 90 s:\n${output}`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// /proc/<pid>/status and /proc/<pid>/stat of the server.
function memoryOf(pid: number): { rssMb: number; hwmMb: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
  return { rssMb: kb("VmRSS") / 1024, hwmMb: kb("VmHWM") / 1024 };
}
// CPU time of every process, to tell the server's, PostgreSQL's and this process's (autocannon)
// share from whatever else runs on the machine at the same time.
const clockTicks = 100; // USER_HZ on Linux
type CpuSnapshot = { at: number; busy: number; byPid: Map<number, { comm: string; seconds: number }> };
function cpuSnapshot(): CpuSnapshot {
  // Whole machine: user + nice + system + irq + softirq + steal of the "cpu" line of /proc/stat.
  const total = fs
    .readFileSync("/proc/stat", "utf8")
    .split("\n")[0]!
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const busy = [0, 1, 2, 5, 6, 7].reduce((sum, i) => sum + (total[i] ?? 0), 0) / clockTicks;
  const byPid = new Map<number, { comm: string; seconds: number }>();
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, "utf8");
      const close = stat.lastIndexOf(")");
      const comm = stat.slice(stat.indexOf("(") + 1, close);
      const fields = stat.slice(close + 2).split(" ");
      const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime
      byPid.set(Number(name), { comm, seconds: ticks / clockTicks });
    } catch {
      /* the process ended meanwhile */
    }
  }
  return { at: performance.now(), busy, byPid };
}
type CpuShare = { server: number; postgres: number; bench: number; other: number };
/**
 * PostgreSQL processes that work for this benchmark: backends of the benchmark database and the
 * shared background processes (WAL writer, checkpointer…). Backends of other databases — other
 * people's tests on the same server — count as "other".
 */
let benchDatabaseName: string | null = null;
function isOurPostgres(pid: number): boolean {
  if (!benchDatabaseName) return false; // PGlite runs inside the server process
  try {
    const title = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ").trim();
    // Backends: "postgres: [<cluster>: ]<user> <database> <client>(<port>) <state>".
    const backend = /^postgres: (?:[^:\s]+: )?\S+ (\S+) (?:\S+\(\d+\)|\[local\])/.exec(title);
    return !backend || backend[1] === benchDatabaseName;
  } catch {
    return false;
  }
}

/** CPU used between two snapshots, in % of one core (200 % = both cores of a 2-core machine). */
function cpuShare(before: CpuSnapshot, after: CpuSnapshot, serverPid: number | null): CpuShare {
  const wall = (after.at - before.at) / 1000;
  const share: CpuShare = { server: 0, postgres: 0, bench: 0, other: 0 };
  for (const [pid, now] of after.byPid) {
    const used =
      now.seconds - (before.byPid.get(pid)?.comm === now.comm ? before.byPid.get(pid)!.seconds : 0);
    if (used <= 0) continue;
    if (pid === serverPid) share.server += used;
    else if (pid === process.pid) share.bench += used;
    else if (now.comm === "postgres" && isOurPostgres(pid)) share.postgres += used;
  }
  // Everything else, short-lived processes included: the machine's busy time minus the three above.
  share.other = Math.max(0, after.busy - before.busy - share.server - share.bench - share.postgres);
  for (const key of Object.keys(share) as (keyof CpuShare)[]) share[key] = (share[key] / wall) * 100;
  return share;
}

/** Waits (up to BENCH_IDLE_WAIT seconds) until other processes use less than 25 % of one core. */
async function waitForQuiet(serverPid: number | null): Promise<number> {
  const deadline = Date.now() + IDLE_WAIT * 1000;
  let other = Infinity;
  do {
    const before = cpuSnapshot();
    await sleep(1500);
    other = cpuShare(before, cpuSnapshot(), serverPid).other;
    if (other < 25) return other;
  } while (Date.now() < deadline);
  say(
    `  warning: other processes still use ${other.toFixed(0)} % CPU; measuring anyway (see the "other CPU" column)`,
  );
  return other;
}

// ---------------------------------------------------------------------------------------------
// Sessions and accounts.
async function loginCookie(base: string, email: string): Promise<string> {
  const res = await fetch(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: base },
    body: new URLSearchParams({ email, password: PASSWORD }).toString(),
  });
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith("dp_session="));
  if (res.status !== 302 || !cookie)
    throw new Error(`login as ${email} answered ${res.status} without a session cookie`);
  return cookie.split(";")[0]!;
}

async function expectPage(base: string, pathname: string, cookie: string, marker: string): Promise<void> {
  const res = await fetch(`${base}${pathname}`, { headers: { cookie }, redirect: "manual" });
  const body = await res.text();
  if (res.status !== 200)
    throw new Error(
      `GET ${pathname} answered ${res.status}${res.status === 404 ? " — does the route exist in this build? (npm run build)" : ""}`,
    );
  if (!body.includes(marker)) throw new Error(`GET ${pathname} answered 200 but without "${marker}"`);
}

/** Active dealer-staff accounts of active dealers: the large seed's plan is deterministic. */
function loginAccounts(limit = 5000): string[] {
  const plan = buildLargePlan();
  const inactiveDealers = new Set(plan.dealers.filter((d) => d.status === "inactive").map((d) => d.code));
  const emails = plan.users
    .filter(
      (u) =>
        u.status === "active" &&
        u.role!.startsWith("dealer_") &&
        u.orgCode.startsWith("D") &&
        !inactiveDealers.has(u.orgCode),
    )
    .map((u) => u.email);
  // Spread over the whole network rather than the first dealers.
  const step = Math.max(1, Math.floor(emails.length / limit));
  return emails.filter((_, i) => i % step === 0).slice(0, limit);
}

// ---------------------------------------------------------------------------------------------
// One autocannon run.
type Row = {
  engine: string;
  scenario: string;
  connections: number;
  seconds: number;
  responses: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  acP50: number;
  acP97_5: number;
  errors: number;
  errorDetail: string;
  cpu: CpuShare;
  peakRssMb: number;
};

type Scenario = { name: string; expected: number; request: () => AcRequest; headers: Record<string, string> };

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))]!;
}

async function measure(
  server: Server,
  engine: string,
  scenario: Scenario,
  connections: number,
  seconds: number,
): Promise<Row> {
  const latencies: number[] = [];
  const codes = new Map<number, number>();
  let peakRss = memoryOf(server.pid).rssMb;
  const sampler = setInterval(() => {
    try {
      peakRss = Math.max(peakRss, memoryOf(server.pid).rssMb);
    } catch {
      /* exited */
    }
  }, 200);
  await waitForQuiet(server.pid);
  const cpuBefore = cpuSnapshot();
  const result = await new Promise<AcResult>((resolve, reject) => {
    const instance = autocannon(
      {
        url: server.base,
        connections,
        duration: seconds,
        timeout: 30,
        headers: scenario.headers,
        requests: [scenario.request()],
      },
      (error, res) => (error ? reject(error) : resolve(res)),
    );
    instance.on("response", (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      latencies.push(responseTime);
      codes.set(statusCode, (codes.get(statusCode) ?? 0) + 1);
    });
  });
  const cpu = cpuShare(cpuBefore, cpuSnapshot(), server.pid);
  clearInterval(sampler);
  peakRss = Math.max(peakRss, memoryOf(server.pid).rssMb);

  latencies.sort((a, b) => a - b);
  const unexpected = [...codes].filter(([code]) => code !== scenario.expected);
  const errors = unexpected.reduce((n, [, c]) => n + c, 0) + result.errors;
  const detail = [
    ...unexpected.map(([code, c]) => `${c}× HTTP ${code}`),
    ...(result.errors ? [`${result.errors} connection errors (${result.timeouts} timeouts)`] : []),
  ].join(", ");
  return {
    engine,
    scenario: scenario.name,
    connections,
    seconds: result.duration,
    responses: latencies.length,
    rps: latencies.length / result.duration,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? NaN,
    acP50: result.latency.p50,
    acP97_5: result.latency.p97_5,
    errors,
    errorDetail: detail,
    cpu,
    peakRssMb: peakRss,
  };
}

async function runEngine(
  engine: string,
  server: Server,
  seconds: number,
  accounts: string[],
): Promise<{ rows: Row[]; memory: Record<string, number> }> {
  const base = server.base;
  const idle = memoryOf(server.pid);
  say(`  server pid ${server.pid} on ${base}: idle RSS ${idle.rssMb.toFixed(0)} MB`);

  // Two sessions, and a look at each page before measuring it.
  const principal = await loginCookie(base, "principal@d001.example");
  const admin = await loginCookie(base, "admin@oem.example");
  await expectPage(base, "/home", principal, 'data-testid="home-title"');
  await expectPage(base, USERS_PATH, admin, "@d");

  let next = 0;
  const loginBody = () =>
    new URLSearchParams({ email: accounts[next++ % accounts.length]!, password: PASSWORD }).toString();
  // Browsers send gzip; the server compresses the HTML, which is part of the cost being measured.
  const common = { "accept-encoding": "gzip", "accept-language": "zh-CN,zh;q=0.9,en;q=0.8" };
  const all: Scenario[] = [
    {
      name: "login",
      expected: 302,
      headers: { ...common, "content-type": "application/x-www-form-urlencoded", origin: base },
      request: () => ({
        method: "POST",
        path: "/login",
        setupRequest: (req) => ({ ...req, body: loginBody() }),
      }),
    },
    {
      name: "home",
      expected: 200,
      headers: { ...common, cookie: principal },
      request: () => ({ method: "GET", path: "/home" }),
    },
    {
      name: "users",
      expected: 200,
      headers: { ...common, cookie: admin },
      request: () => ({ method: "GET", path: USERS_PATH }),
    },
  ];
  const scenarios = all.filter((s) => SCENARIOS.includes(s.name));

  const rows: Row[] = [];
  for (const scenario of scenarios) {
    // A short warm-up (JIT, connection pool, caches) that is not recorded.
    await new Promise<void>((resolve, reject) =>
      autocannon(
        {
          url: base,
          connections: 4,
          amount: 40,
          timeout: 30,
          headers: scenario.headers,
          requests: [scenario.request()],
        },
        (e) => (e ? reject(e) : resolve()),
      ),
    );
    for (const connections of CONNECTIONS) {
      // With BENCH_REPEAT > 1 the attempt least disturbed by other processes is kept; errors of
      // every attempt are reported.
      const attempts: Row[] = [];
      for (let attempt = 1; attempt <= REPEAT; attempt++) {
        const row = await measure(server, engine, scenario, connections, seconds);
        attempts.push(row);
        say(
          `  ${engine.padEnd(8)} ${scenario.name.padEnd(6)} c=${String(connections).padEnd(3)} ${row.rps.toFixed(1).padStart(8)} req/s  ` +
            `p50 ${fmtMs(row.p50)}  p95 ${fmtMs(row.p95)}  p99 ${fmtMs(row.p99)}  errors ${row.errors}${row.errorDetail ? ` (${row.errorDetail})` : ""}  ` +
            `CPU server ${row.cpu.server.toFixed(0)}% pg ${row.cpu.postgres.toFixed(0)}% bench ${row.cpu.bench.toFixed(0)}% ` +
            `other ${row.cpu.other.toFixed(0)}%  peak RSS ${row.peakRssMb.toFixed(0)} MB${REPEAT > 1 ? `  [attempt ${attempt}/${REPEAT}]` : ""}`,
        );
      }
      const best = attempts.reduce((a, b) => (b.cpu.other < a.cpu.other ? b : a));
      rows.push({
        ...best,
        errors: attempts.reduce((n, r) => n + r.errors, 0),
        errorDetail: attempts
          .map((r) => r.errorDetail)
          .filter(Boolean)
          .join("; "),
      });
    }
  }
  const after = memoryOf(server.pid);
  return { rows, memory: { idleRssMb: idle.rssMb, afterRssMb: after.rssMb, hwmMb: after.hwmMb } };
}

const fmtMs = (ms: number) =>
  (Number.isFinite(ms) ? (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1)) : "–").padStart(6);

// ---------------------------------------------------------------------------------------------
// Databases.
async function preparePostgres(): Promise<{ seedMs: number; seedOutput: string }> {
  const url = new URL(BENCH_DATABASE_URL);
  const dbName = decodeURIComponent(url.pathname.slice(1));
  if (!dbName) throw new Error("BENCH_DATABASE_URL must name a database");
  benchDatabaseName = dbName;
  const adminUrl = new URL(url);
  adminUrl.pathname = "/postgres";
  const admin = postgres(adminUrl.toString(), { max: 1, onnotice: () => {} });
  try {
    const [exists] = await admin`select 1 as one from pg_database where datname = ${dbName}`;
    if (!exists) {
      say(`  creating database ${dbName}`);
      await admin.unsafe(`create database "${dbName.replace(/"/g, '""')}"`);
    }
  } finally {
    await admin.end({ timeout: 5 });
  }
  say("  large seed (skips when already at size):");
  const childEnv: NodeJS.ProcessEnv = { ...env, DATABASE_URL: BENCH_DATABASE_URL };
  delete childEnv.PGLITE_DIR;
  const seed = await runScript("db/seed/large.ts", childEnv);
  return { seedMs: seed.ms, seedOutput: lastJsonLine(seed.stdout) };
}

async function preparePglite(): Promise<{
  dir: string;
  temporary: boolean;
  seedMs: number;
  seedOutput: string;
}> {
  const reuse = env.BENCH_PGLITE_DIR;
  const dir = reuse
    ? path.resolve(reuse)
    : path.join(fs.mkdtempSync(path.join(os.tmpdir(), "dealer-portal-bench-")), "pglite");
  say(`  large seed into PGlite at ${dir}:`);
  const childEnv: NodeJS.ProcessEnv = { ...env, PGLITE_DIR: dir };
  delete childEnv.DATABASE_URL;
  const seed = await runScript("db/seed/large.ts", childEnv);
  return { dir, temporary: !reuse, seedMs: seed.ms, seedOutput: lastJsonLine(seed.stdout) };
}

function lastJsonLine(stdout: string): string {
  return (
    stdout
      .trim()
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .at(-1) ?? ""
  );
}

function dirSizeMb(dir: string): number {
  let bytes = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) bytes += fs.statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return bytes / 1024 / 1024;
}

// ---------------------------------------------------------------------------------------------
function checkBuild(): void {
  const serverBuild = path.join(root, "build/server/index.js");
  if (!fs.existsSync(serverBuild)) {
    process.stderr.write(
      "build/ is missing: run `npm run build` first (the benchmark measures the production server).\n",
    );
    process.exit(1);
  }
  const built = fs.statSync(serverBuild).mtimeMs;
  let newest = 0;
  for (const entry of fs.readdirSync(path.join(root, "portal"), { withFileTypes: true, recursive: true })) {
    if (entry.isFile())
      newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  if (newest > built)
    say(
      "  warning: portal/ has changed since the last build — run `npm run build` to measure the current code",
    );
}

function table(rows: Row[]): string {
  const head =
    "| engine | scenario | connections | requests/s | p50 ms | p95 ms | p99 ms | max ms | errors | CPU server | CPU postgres | CPU bench | CPU other | peak RSS MB |";
  const sep = "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|";
  const lines = rows.map(
    (r) =>
      `| ${r.engine} | ${r.scenario} | ${r.connections} | ${r.rps.toFixed(1)} | ${fmtMs(r.p50).trim()} | ${fmtMs(r.p95).trim()} | ` +
      `${fmtMs(r.p99).trim()} | ${fmtMs(r.max).trim()} | ${r.errors}${r.errorDetail ? ` (${r.errorDetail})` : ""} | ` +
      `${r.cpu.server.toFixed(0)}% | ${r.cpu.postgres.toFixed(0)}% | ${r.cpu.bench.toFixed(0)}% | ${r.cpu.other.toFixed(0)}% | ${r.peakRssMb.toFixed(0)} |`,
  );
  return [head, sep, ...lines].join("\n");
}

async function main() {
  const startedAt = new Date();
  say(`Dealer Portal load benchmark — ${startedAt.toISOString()}`);
  say(
    `  machine: ${os.cpus().length} CPU × ${os.cpus()[0]?.model ?? "?"}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}`,
  );
  say(
    `  ${SECONDS} s per run (PGlite ${PGLITE_SECONDS} s), connections ${CONNECTIONS.join("/")}, scenarios ${SCENARIOS.join("/")}, engines ${ENGINES.join("/")}`,
  );
  checkBuild();
  const accounts = loginAccounts();
  say(`  ${accounts.length} dealer accounts for the login scenario`);

  const rows: Row[] = [];
  const report: Record<string, unknown> = {
    startedAt,
    seconds: SECONDS,
    pgliteSeconds: PGLITE_SECONDS,
    connections: CONNECTIONS,
    usersPath: USERS_PATH,
  };
  const memory: Record<string, Record<string, number>> = {};

  if (ENGINES.includes("postgres")) {
    say(`\nPostgreSQL (${BENCH_DATABASE_URL.replace(/:[^:@/]*@/, ":***@")})`);
    const prepared = await preparePostgres();
    report.postgresSeed = { ms: Math.round(prepared.seedMs), result: prepared.seedOutput };
    const server = await startServer({ url: BENCH_DATABASE_URL });
    try {
      const result = await runEngine("postgres", server, SECONDS, accounts);
      rows.push(...result.rows);
      memory.postgres = result.memory;
    } finally {
      await stopChild(server.child);
    }
  }

  if (ENGINES.includes("pglite")) {
    say("\nPGlite (embedded)");
    benchDatabaseName = null;
    const prepared = await preparePglite();
    report.pgliteSeed = { ms: Math.round(prepared.seedMs), result: prepared.seedOutput, dir: prepared.dir };
    try {
      const server = await startServer({ pgliteDir: prepared.dir });
      try {
        const result = await runEngine("pglite", server, PGLITE_SECONDS, accounts);
        rows.push(...result.rows);
        memory.pglite = result.memory;
      } finally {
        await stopChild(server.child);
      }
      memory.pglite = { ...memory.pglite, dataDirMb: dirSizeMb(prepared.dir) };
    } finally {
      if (prepared.temporary) fs.rmSync(path.dirname(prepared.dir), { recursive: true, force: true });
    }
  }

  say(
    "\nResults (latencies: exact percentiles of every response time recorded from autocannon's 'response' event;",
  );
  say(
    "CPU in % of one core over the run — server process, PostgreSQL backends, this process with autocannon, everything else)\n",
  );
  say(table(rows));
  say("\nServer memory (MB; VmRSS from /proc/<pid>/status, VmHWM = peak RSS of the process lifetime)\n");
  say("| engine | RSS idle after start | RSS after the runs | VmHWM (peak) |");
  say("|---|---:|---:|---:|");
  for (const [engine, m] of Object.entries(memory)) {
    say(`| ${engine} | ${m.idleRssMb!.toFixed(0)} | ${m.afterRssMb!.toFixed(0)} | ${m.hwmMb!.toFixed(0)} |`);
  }
  if (memory.pglite?.dataDirMb)
    say(`\nPGlite data folder after the runs: ${memory.pglite.dataDirMb.toFixed(0)} MB`);
  for (const key of ["postgresSeed", "pgliteSeed"] as const) {
    const s = report[key] as { ms: number } | undefined;
    if (s)
      say(
        `${key === "postgresSeed" ? "PostgreSQL" : "PGlite"} seed step: ${(s.ms / 1000).toFixed(1)} s (including process start)`,
      );
  }
  const failed = rows.filter((r) => r.errors > 0);
  if (failed.length)
    say(
      `\n${failed.length} run(s) had errors: ${failed.map((r) => `${r.engine}/${r.scenario}/c${r.connections}: ${r.errorDetail}`).join("; ")}`,
    );
  if (env.BENCH_OUT) {
    fs.writeFileSync(env.BENCH_OUT, JSON.stringify({ ...report, rows, memory }, null, 2));
    say(`\nresults written to ${env.BENCH_OUT}`);
  }
  if (failed.length) process.exitCode = 1;
}

main()
  .catch((error) => {
    process.stderr.write(`bench:load failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  })
  .finally(async () => {
    await Promise.all([...children].map((c) => stopChild(c, 3000)));
  });
