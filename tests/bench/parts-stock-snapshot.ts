// `npx tsx tests/bench/parts-stock-snapshot.ts`: one 200,000-line ERP parts-stock snapshot (issue 3
// "Measure" (b)) on PostgreSQL and on embedded PGlite — lines per second and peak RSS of the apply —
// next to the raw limits measured in the same run on the same file:
//   - parse only: the streaming reader's validation pass and its batch pass, no database;
//   - COPY: the same 200,000 rows into a temporary table with COPY FROM STDIN (PostgreSQL) and
//     COPY FROM a blob (PGlite), the fastest way either engine takes rows in.
// Every phase runs in its own child process, so each peak RSS is that phase's own. The apply is the
// real path: receiveMessage (validation + raw store, what the endpoint does before its 202) and then
// the worker (header only — the document was validated at receipt —, a streaming pass that checks
// each line again, 40 batches of 5,000 upserts each committed with the progress cursor, then the
// finish: missing parts to 0, safety-stock alerts, audit). It runs twice
// per engine: the first snapshot of a warehouse (inserts) and the next hour's (updates, the steady
// state). PostgreSQL: a new database dp_bench_parts_<random> made through BENCH_PG_ADMIN_URL
// (postgres://postgres@127.0.0.1:5432/postgres) and dropped afterwards; PGlite: a temporary folder.
//
// Environment: BENCH_ENGINES ("postgres,pglite"), BENCH_LINES (200000), BENCH_PG_ADMIN_URL.
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { eq, isNull, sql } from "drizzle-orm";
import postgres from "postgres";
import { openDatabase, type Database } from "../../db/client";
import { integrationMessages, stockAlerts } from "../../db/schema";
import { writePartsStock } from "../../fixtures/generate-parts-stock";
import { partsStockFeed } from "../../integration/erp/parts-stock-feed.server";
import { parsePartsStock, readPartsStockBatches } from "../../integration/erp/parts-stock";
import type { Feed } from "../../integration/pipeline/feed";
import { processMessageNow } from "../../integration/pipeline/process.server";
import { receiveMessage } from "../../integration/pipeline/receive.server";
import { inScope, systemCtx } from "../../portal/domain/context";

const self = fileURLToPath(import.meta.url);
const root = path.resolve(path.dirname(self), "../..");
const env = process.env;
const LINES = Math.min(1_000_000, Math.max(1_000, Number(env.BENCH_LINES ?? 200_000)));
const ENGINES = (env.BENCH_ENGINES ?? "postgres,pglite").split(",").map((s) => s.trim()).filter(Boolean);
const ADMIN_URL = env.BENCH_PG_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

type Result = Record<string, number | string>;

/** Samples RSS every 5 ms while `fn` runs; returns its duration and the peak. */
async function measured<T>(fn: () => Promise<T> | T): Promise<{ value: T; ms: number; peakRssMb: number; startRssMb: number }> {
  global.gc?.();
  const startRss = process.memoryUsage().rss;
  let peak = startRss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const t = performance.now();
  try {
    const value = await fn();
    return { value, ms: performance.now() - t, peakRssMb: Math.max(peak, process.memoryUsage().rss) / 1e6, startRssMb: startRss / 1e6 };
  } finally {
    clearInterval(timer);
  }
}

const perSecond = (lines: number, ms: number) => Math.round((lines / ms) * 1000);

// ---------------------------------------------------------------- phases (child processes)

async function phaseParse(file: string): Promise<Result> {
  const body = fs.readFileSync(file);
  parsePartsStock(body); // warm-up
  const validate = await measured(() => parsePartsStock(body));
  const stream = await measured(async () => {
    let n = 0;
    for await (const batch of readPartsStockBatches(body, { batchSize: 5_000 })) n += batch.length;
    return n;
  });
  return {
    validateMs: Math.round(validate.ms),
    validateLinesPerS: perSecond(LINES, validate.ms),
    streamMs: Math.round(stream.ms),
    streamLinesPerS: perSecond(stream.value, stream.ms),
    peakRssMb: Math.round(Math.max(validate.peakRssMb, stream.peakRssMb)),
  };
}

/** The rows of the file as CSV (part, quantity, safety), for COPY. */
async function csvOf(body: Buffer): Promise<string> {
  const out: string[] = [];
  for await (const batch of readPartsStockBatches(body, { batchSize: 5_000 })) for (const l of batch) out.push(`${l.part},${l.quantity},${l.safety ?? ""}\n`);
  return out.join("");
}

async function phaseApply(engine: string, file: string, url: string | undefined, dir: string | undefined): Promise<Result> {
  const body = fs.readFileSync(file);
  const next = fs.readFileSync(file.replace(/-1\.xml$/, "-2.xml"));
  const database: Database = await openDatabase(engine === "postgres" ? { url: url!, max: 4 } : { dataDir: path.join(dir!, "pglite") });
  try {
    const apply = async (payload: Buffer, t: Date) => {
      const received = await measured(() => receiveMessage(database.db, { feed: partsStockFeed as Feed, body: payload, contentType: "application/xml", channel: "file" }, t));
      const [row] = await inScope(systemCtx(database.db, "bench", t), (tx) =>
        tx.select({ id: integrationMessages.id }).from(integrationMessages).where(eq(integrationMessages.messageId, received.value.ack.messageId)),
      );
      const applied = await measured(() => processMessageNow(database.db, row!.id, t));
      if (applied.value?.status !== "processed") throw new Error(`snapshot not processed: ${JSON.stringify(applied.value)}`);
      return { received, applied };
    };
    const first = await apply(body, new Date("2025-03-04T06:00:05Z"));
    const second = await apply(next, new Date("2025-03-04T07:00:05Z"));
    const alerts = await inScope(systemCtx(database.db, "bench"), (tx) => tx.select({ n: sql<number>`count(*)::int` }).from(stockAlerts).where(isNull(stockAlerts.clearedAt)));
    const out: Result = {
      receiveMs: Math.round(first.received.ms),
      firstApplyMs: Math.round(first.applied.ms),
      firstLinesPerS: perSecond(LINES, first.applied.ms),
      firstPeakRssMb: Math.round(first.applied.peakRssMb),
      nextApplyMs: Math.round(second.applied.ms),
      nextLinesPerS: perSecond(LINES, second.applied.ms),
      nextPeakRssMb: Math.round(second.applied.peakRssMb),
      startRssMb: Math.round(first.applied.startRssMb),
      openAlerts: Number(alerts[0]?.n ?? 0),
    };
    out.copyMs = Math.round(engine === "postgres" ? await copyPostgres(url!, await csvOf(body)) : await copyPglite(await csvOf(body)));
    out.copyLinesPerS = perSecond(LINES, Number(out.copyMs));
    return out;
  } finally {
    await database.close();
  }
}

async function copyPostgres(url: string, csv: string): Promise<number> {
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const conn = await client.reserve();
    await conn`create temp table copy_bench (part_number text not null, quantity bigint not null, safety_stock integer)`;
    const t = performance.now();
    const writable = await conn`copy copy_bench from stdin with (format csv)`.writable();
    await new Promise<void>((resolve, reject) => {
      writable.on("error", reject);
      writable.on("finish", resolve);
      for (let i = 0; i < csv.length; i += 1 << 20) writable.write(csv.slice(i, i + (1 << 20)));
      writable.end();
    });
    // The stream is flushed; the COPY is done when the server answers the next statement.
    const [{ n }] = (await conn`select count(*)::int as n from copy_bench`) as unknown as [{ n: number }];
    const ms = performance.now() - t;
    if (n !== LINES) throw new Error(`COPY took ${n} rows`);
    conn.release();
    return ms;
  } finally {
    await client.end({ timeout: 5 });
  }
}

async function copyPglite(csv: string): Promise<number> {
  const { PGlite } = await import("@electric-sql/pglite");
  const pg = new PGlite();
  await pg.waitReady;
  try {
    await pg.exec("create temp table copy_bench (part_number text not null, quantity bigint not null, safety_stock integer)");
    const t = performance.now();
    await pg.query("copy copy_bench from '/dev/blob' with (format csv)", [], { blob: new Blob([csv]) });
    const ms = performance.now() - t;
    const { rows } = await pg.query<{ n: number }>("select count(*)::int as n from copy_bench");
    if (rows[0]?.n !== LINES) throw new Error(`COPY took ${rows[0]?.n} rows`);
    return ms;
  } finally {
    await pg.close();
  }
}

// ---------------------------------------------------------------- orchestration

function child(args: string[]): Promise<Result> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ["--expose-gc", "--import", "tsx", self, ...args], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    proc.stdout.on("data", (d: Buffer) => (out += d.toString()));
    proc.on("exit", (code) => {
      const line = out.trim().split("\n").pop() ?? "";
      if (code === 0 && line.startsWith("{")) resolve(JSON.parse(line) as Result);
      else reject(new Error(`phase ${args.join(" ")} failed (${code}): ${out}`));
    });
  });
}

async function main() {
  const [, , phase, ...rest] = process.argv;
  if (phase === "--phase=parse") return console.log(JSON.stringify(await phaseParse(rest[0]!)));
  if (phase === "--phase=apply") return console.log(JSON.stringify(await phaseApply(rest[0]!, rest[1]!, rest[2] || undefined, rest[3] || undefined)));

  const file = writePartsStock({ lines: LINES, warehouse: "WHB", seed: 1 }, path.join(root, ".cache", `bench-parts-stock-${LINES}-1.xml`));
  writePartsStock({ lines: LINES, warehouse: "WHB", seed: 2, takenAt: "2025-03-04T07:00:00Z" }, path.join(root, ".cache", `bench-parts-stock-${LINES}-2.xml`));
  const size = fs.statSync(file).size;
  console.log(`parts-stock snapshot: ${LINES.toLocaleString("en")} lines, ${(size / 1e6).toFixed(1)} MB, ${os.cpus().length} CPUs, node ${process.version}`);

  const parse = await child(["--phase=parse", file]);
  console.log(`\nparse only (no database):   validate ${parse.validateMs} ms = ${Number(parse.validateLinesPerS).toLocaleString("en")} lines/s; batch stream ${parse.streamMs} ms = ${Number(parse.streamLinesPerS).toLocaleString("en")} lines/s; peak RSS ${parse.peakRssMb} MB`);

  for (const engine of ENGINES) {
    let url: string | undefined;
    let dir: string | undefined;
    let dbName: string | undefined;
    const admin = engine === "postgres" ? postgres(ADMIN_URL, { max: 1, onnotice: () => {} }) : null;
    try {
      if (engine === "postgres") {
        dbName = `dp_bench_parts_${crypto.randomBytes(3).toString("hex")}`;
        await admin!.unsafe(`create database ${dbName}`);
        const u = new URL(ADMIN_URL);
        u.pathname = `/${dbName}`;
        url = u.toString();
      } else {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "dp-bench-parts-"));
      }
      const r = await child(["--phase=apply", engine, file, url ?? "", dir ?? ""]);
      const ratio = (a: number, b: number) => `${((a / b) * 100).toFixed(0)} %`;
      console.log(`\n${engine}`);
      console.log(`  receive (validate + store, before the 202)   ${r.receiveMs} ms`);
      console.log(`  apply, first snapshot (inserts)               ${r.firstApplyMs} ms = ${Number(r.firstLinesPerS).toLocaleString("en")} lines/s, peak RSS ${r.firstPeakRssMb} MB (at start ${r.startRssMb} MB)`);
      console.log(`  apply, next hour's snapshot (updates)         ${r.nextApplyMs} ms = ${Number(r.nextLinesPerS).toLocaleString("en")} lines/s, peak RSS ${r.nextPeakRssMb} MB`);
      console.log(`  raw COPY of the same rows into a temp table  ${r.copyMs} ms = ${Number(r.copyLinesPerS).toLocaleString("en")} lines/s`);
      console.log(`  apply ÷ parse-only (validate pass)            first ${ratio(Number(r.firstLinesPerS), Number(parse.validateLinesPerS))}, next ${ratio(Number(r.nextLinesPerS), Number(parse.validateLinesPerS))}`);
      console.log(`  apply ÷ COPY                                  first ${ratio(Number(r.firstLinesPerS), Number(r.copyLinesPerS))}, next ${ratio(Number(r.nextLinesPerS), Number(r.copyLinesPerS))}`);
      console.log(`  open safety-stock alerts after both           ${r.openAlerts}`);
    } finally {
      if (dbName) await admin!.unsafe(`drop database if exists ${dbName} with (force)`).catch(() => {});
      await admin?.end({ timeout: 5 });
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}

await main();
