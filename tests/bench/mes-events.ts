// `npx tsx tests/bench/mes-events.ts`: MES production events end to end (issue 3 "Measure" (a) and
// (c)): 10,000 events POSTed to /api/integration/mes/production-event by 20 concurrent senders, each
// answered once it is stored AND applied (receive → processed happen in one transaction, so the
// acknowledgement is the end of the road), on embedded PGlite and on PostgreSQL.
//
// 1. Starts the production server (build/ must exist: `npx remix vite:build`) as a child process on
//    127.0.0.1 with a fresh database: a temporary PGlite folder, or a new PostgreSQL database
//    `dp_bench_mes_<random>` created through BENCH_PG_ADMIN_URL and dropped afterwards (or
//    BENCH_DATABASE_URL, used as it is and left in place). No jobs, no simulator, no demo seed.
// 2. Warm-up: 200 events (not counted).
// 3. Singles: BENCH_EVENTS single-event messages for BENCH_EVENTS/5 VINs (scheduled, body, paint,
//    assembly, end_of_line), sent stage by stage so one VIN's events never race each other;
//    BENCH_CONCURRENCY senders. Throughput = events / wall time; latency = each POST's time to its
//    acknowledgement (exact p50/p95/p99 of all samples).
// 4. Batches: the same number of events in messages of BENCH_BATCH_SIZE events (100), each with the
//    whole histories of its VINs, same senders.
// 5. Stops the server and checks in the database that every message is processed and every event
//    recorded exactly once.
// Loopback only; bounded by the event count; every child process is stopped on exit or Ctrl-C.
//
// Environment: BENCH_ENGINES ("pglite,postgres"), BENCH_EVENTS (10000), BENCH_CONCURRENCY (20),
// BENCH_BATCH_SIZE (100, 0 = no batch run), BENCH_POOL (DB_POOL_MAX of the server, 20),
// BENCH_DATABASE_URL, BENCH_PG_ADMIN_URL (postgres://postgres@127.0.0.1:5432/postgres).
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { eq, sql } from "drizzle-orm";
import postgres from "postgres";
import { openDatabase } from "../../db/client";
import { integrationMessages, vehicleEvents } from "../../db/schema";
import { vinCheckDigit } from "../../integration/common/vin";
import { inScope, systemCtx } from "../../portal/domain/context";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const env = process.env;
const ENGINES = (env.BENCH_ENGINES ?? "pglite,postgres").split(",").map((s) => s.trim()).filter(Boolean);
const EVENTS = Math.min(1_000_000, Math.max(5, Math.floor(Number(env.BENCH_EVENTS ?? 10_000) / 5) * 5));
const CONCURRENCY = Math.min(200, Math.max(1, Number(env.BENCH_CONCURRENCY ?? 20)));
const BATCH_SIZE = Math.min(10_000, Math.max(0, Number(env.BENCH_BATCH_SIZE ?? 100)));
const POOL = Math.min(200, Math.max(1, Number(env.BENCH_POOL ?? 20)));
const ADMIN_URL = env.BENCH_PG_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const STAGES = ["scheduled", "body", "paint", "assembly", "end_of_line"] as const;
const run = crypto.randomBytes(3).toString("hex").toUpperCase();

const children = new Set<ChildProcess>();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    for (const c of children) c.kill("SIGKILL");
    process.exit(130);
  });
}
process.on("exit", () => {
  for (const c of children) c.kill("SIGKILL");
});

/** VINs with a correct check digit: a fixed WMI/VDS, the run id and a serial. */
function vinFor(series: number, n: number): string {
  const serial = String(n).padStart(6, "0");
  const draft = `LHX1A2B30${"ABCDEFGHJKLMNPRSTUVWXY"[series % 22]}${"123456789"[(parseInt(run, 16) + series) % 9]}${serial}`;
  return draft.slice(0, 8) + vinCheckDigit(draft) + draft.slice(9);
}

type EventBody = { eventId: string; vin: string; stage: string; occurredAt: string; sequence: number; plant: string };
function eventsFor(series: number, vins: number): EventBody[][] {
  // Stage-major: every VIN's scheduled event, then every body event… (per stage one list).
  const base = Date.UTC(2025, 2, 5, 6, 0, 0);
  return STAGES.map((stage, s) =>
    Array.from({ length: vins }, (_, i) => {
      const vin = vinFor(series, i);
      return { eventId: `BENCH-${run}-${series}-${i}-${s}`, vin, stage, occurredAt: new Date(base + s * 3_600_000 + i * 1000).toISOString(), sequence: s + 1, plant: "P100" };
    }),
  );
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

async function startServer(dbEnv: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  if (!fs.existsSync(path.join(root, "build/server/index.js"))) throw new Error("build/server/index.js is missing: run `npx remix vite:build` first");
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "portal/server/main.ts"], {
    cwd: root,
    env: {
      PATH: env.PATH ?? "",
      HOME: env.HOME ?? "",
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: String(port),
      SEED_DEMO: "false",
      RUN_JOBS: "false",
      SIMULATOR: "false",
      LOG_LEVEL: "warn",
      DB_POOL_MAX: String(POOL),
      ...dbEnv,
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  children.add(child);
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}): ${stderr}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`the server did not answer /healthz within 120 s: ${stderr}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return { child, url };
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  await exited;
  clearTimeout(timer);
  children.delete(child);
}

function peakRssMb(pid: number | undefined): number | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = /VmHWM:\s+(\d+)/.exec(status)?.[1];
    return kb ? Math.round(Number(kb) / 1024) : null;
  } catch {
    return null;
  }
}

type RunResult = { messages: number; events: number; seconds: number; latencies: number[]; statuses: Record<string, number>; failures: string[] };

/** Sends the bodies with `concurrency` senders in the order given; one POST per body. */
async function send(url: string, bodies: { body: string; events: number }[], concurrency: number): Promise<RunResult> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const failures: string[] = [];
  let next = 0;
  let events = 0;
  const started = performance.now();
  const sender = async () => {
    for (;;) {
      const i = next++;
      if (i >= bodies.length) return;
      const t0 = performance.now();
      let label: string;
      try {
        const res = await fetch(`${url}/api/integration/mes/production-event`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-api-key": "demo-key-mes" },
          body: bodies[i]!.body,
        });
        const ack = (await res.json()) as { status?: string; errors?: unknown[] };
        label = `${res.status} ${ack.status ?? "?"}`;
        if (res.status !== 200 || ack.status !== "processed") failures.push(`${label} ${JSON.stringify(ack.errors ?? []).slice(0, 200)}`);
        else events += bodies[i]!.events;
      } catch (error) {
        label = "network error";
        failures.push(String(error));
      }
      latencies.push(performance.now() - t0);
      statuses[label] = (statuses[label] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, sender));
  return { messages: bodies.length, events, seconds: (performance.now() - started) / 1000, latencies, statuses, failures };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function report(engine: string, name: string, r: RunResult) {
  const sorted = [...r.latencies].sort((a, b) => a - b);
  const row = {
    engine,
    run: name,
    messages: r.messages,
    events: r.events,
    seconds: Number(r.seconds.toFixed(2)),
    eventsPerSecond: Math.round(r.events / r.seconds),
    messagesPerSecond: Math.round(r.messages / r.seconds),
    ackP50ms: Number(percentile(sorted, 50).toFixed(1)),
    ackP95ms: Number(percentile(sorted, 95).toFixed(1)),
    ackP99ms: Number(percentile(sorted, 99).toFixed(1)),
    statuses: r.statuses,
  };
  console.log(JSON.stringify(row));
  for (const f of r.failures.slice(0, 5)) console.log(`  failure: ${f}`);
  return row;
}

async function benchEngine(engine: string) {
  let dbEnv: Record<string, string>;
  let verifyUrl: string | undefined;
  let verifyDir: string | undefined;
  let cleanup = async () => {};
  if (engine === "pglite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dp-bench-mes-"));
    verifyDir = path.join(dir, "pglite");
    dbEnv = { PGLITE_DIR: verifyDir };
    cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
  } else if (engine === "postgres") {
    if (env.BENCH_DATABASE_URL) {
      verifyUrl = env.BENCH_DATABASE_URL;
    } else {
      const name = `dp_bench_mes_${run.toLowerCase()}`;
      const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
      try {
        await admin.unsafe(`create database ${name}`);
      } catch (error) {
        await admin.end({ timeout: 5 });
        console.log(JSON.stringify({ engine, skipped: `cannot create a database through ${ADMIN_URL}: ${(error as Error).message}` }));
        return [];
      }
      await admin.end({ timeout: 5 });
      const u = new URL(ADMIN_URL);
      u.pathname = `/${name}`;
      verifyUrl = u.toString();
      cleanup = async () => {
        const a = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
        try {
          await a.unsafe(`drop database if exists ${name} with (force)`);
        } finally {
          await a.end({ timeout: 5 });
        }
      };
    }
    dbEnv = { DATABASE_URL: verifyUrl };
  } else {
    throw new Error(`unknown engine ${engine} (pglite or postgres)`);
  }

  const rows = [];
  try {
    const load0 = os.loadavg()[0]!;
    const { child, url } = await startServer(dbEnv);
    const vins = EVENTS / 5;
    const warm = eventsFor(90, 40).flat().map((e) => ({ body: JSON.stringify(e), events: 1 }));
    await send(url, warm, CONCURRENCY);

    const singles = eventsFor(1, vins).flat().map((e) => ({ body: JSON.stringify(e), events: 1 }));
    rows.push(report(engine, `single events, ${CONCURRENCY} senders`, await send(url, singles, CONCURRENCY)));
    if (BATCH_SIZE > 0) {
      // A batch holds whole VIN histories (VIN by VIN), so concurrent batches never race on a VIN.
      const byStage = eventsFor(2, vins);
      const all = Array.from({ length: vins }, (_, i) => byStage.map((stage) => stage[i]!)).flat();
      const batches = [];
      for (let i = 0; i < all.length; i += BATCH_SIZE) {
        batches.push({ body: JSON.stringify({ batchId: `BENCH-${run}-B-${i / BATCH_SIZE}`, events: all.slice(i, i + BATCH_SIZE) }), events: Math.min(BATCH_SIZE, all.length - i) });
      }
      rows.push(report(engine, `batches of ${BATCH_SIZE}, ${CONCURRENCY} senders`, await send(url, batches, CONCURRENCY)));
    }
    const rss = peakRssMb(child.pid);
    await stopServer(child);
    console.log(JSON.stringify({ engine, serverPeakRssMb: rss, dbPool: engine === "postgres" ? POOL : "1 (embedded)", loadAvg1mBefore: Number(load0.toFixed(2)), loadAvg1mAfter: Number(os.loadavg()[0]!.toFixed(2)), cpus: os.cpus().length }));

    // Every message processed, every event recorded exactly once.
    const database = await openDatabase(verifyUrl ? { url: verifyUrl, migrate: false, max: 1 } : { dataDir: verifyDir!, migrate: false });
    try {
      const check = await inScope(systemCtx(database.db, "bench"), async (tx) => {
        const byStatus = await tx
          .select({ status: integrationMessages.status, n: sql<number>`count(*)::int` })
          .from(integrationMessages)
          .where(eq(integrationMessages.system, "mes"))
          .groupBy(integrationMessages.status);
        const [events] = await tx.select({ n: sql<number>`count(*)::int`, distinctIds: sql<number>`count(distinct ${vehicleEvents.eventId})::int`, stale: sql<number>`count(*) filter (where ${vehicleEvents.stale})::int` }).from(vehicleEvents);
        return { messagesByStatus: Object.fromEntries(byStatus.map((r) => [r.status, r.n])), events };
      });
      console.log(JSON.stringify({ engine, verify: check }));
    } finally {
      await database.close();
    }
  } finally {
    await cleanup();
  }
  return rows;
}

async function main() {
  console.log(JSON.stringify({ bench: "mes-events", events: EVENTS, concurrency: CONCURRENCY, batchSize: BATCH_SIZE, engines: ENGINES, node: process.version, cpus: os.cpus().length }));
  for (const engine of ENGINES) await benchEngine(engine);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error instanceof Error ? error.stack ?? error.message : String(error));
    process.exit(1);
  },
);
