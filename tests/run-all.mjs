#!/usr/bin/env node
// `npm test`: builds the app, runs the whole suite on embedded PGlite, again on a fresh PostgreSQL
// database when a server answers (always under CI), then the browser journeys in Chromium. Prints one
// closing line "tests: N passed, N failed, N skipped" over all runs.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import postgres from "postgres";

const ci = process.env.CI === "true" || process.env.CI === "1";
const results = [];
const tmp = path.resolve(".cache/test-results");
fs.mkdirSync(tmp, { recursive: true });

function run(label, cmd, args, env = {}) {
  console.log(`\n=== ${label} ===`);
  const r = spawnSync(cmd, args, { stdio: "inherit", env: { ...process.env, ...env } });
  return r.status ?? 1;
}

function vitest(label, config, env) {
  const out = path.join(tmp, `${label.replace(/\W+/g, "-")}.json`);
  fs.rmSync(out, { force: true });
  const status = run(label, "npx", ["vitest", "run", "--config", config, "--reporter=default", "--reporter=json", `--outputFile=${out}`], env);
  let counts = { passed: 0, failed: status === 0 ? 0 : 1, skipped: 0 };
  if (fs.existsSync(out)) {
    const j = JSON.parse(fs.readFileSync(out, "utf8"));
    counts = {
      passed: j.numPassedTests,
      failed: j.numFailedTests + (status !== 0 && j.numFailedTests === 0 ? 1 : 0),
      skipped: j.numPendingTests + j.numTodoTests,
    };
  }
  results.push({ label, status, ...counts });
}

async function freshPostgres() {
  const base = process.env.TEST_PG_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  const sql = postgres(base, { max: 1, onnotice: () => {}, connect_timeout: 3 });
  try {
    const name = `dealer_portal_test_${Date.now()}`;
    await sql.unsafe(`create database ${name}`);
    const u = new URL(base);
    u.pathname = `/${name}`;
    return { url: u.toString(), drop: async () => { await sql.unsafe(`drop database if exists ${name} with (force)`); await sql.end(); } };
  } catch (error) {
    await sql.end({ timeout: 1 }).catch(() => {});
    if (ci) throw error;
    console.log(`PostgreSQL not reachable (${error.message}); the PostgreSQL run is skipped.`);
    return null;
  }
}

if (run("build", "npx", ["remix", "vite:build", "--logLevel", "warn"]) !== 0) process.exit(1);

vitest("suite on PGlite", "vitest.config.ts", { TEST_DATABASE_URL: "" });

const pg = await freshPostgres();
if (pg) {
  try {
    vitest("suite on PostgreSQL", "vitest.config.ts", { TEST_DATABASE_URL: pg.url });
  } finally {
    await pg.drop();
  }
}

const chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => fs.existsSync(p));
if (chromium) {
  vitest("browser journeys", "vitest.e2e.config.ts", { CHROMIUM_PATH: chromium });
} else if (ci) {
  console.error("Chromium is missing: CI must run the browser journeys (.ci/run installs Debian's chromium).");
  results.push({ label: "browser journeys", status: 1, passed: 0, failed: 1, skipped: 0 });
} else {
  console.log("\nBrowser journeys SKIPPED: no Chromium at /usr/bin/chromium (apt-get install chromium to run them).");
}

console.log("\n=== summary ===");
for (const r of results) console.log(`${r.label}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`);
const total = results.reduce((a, r) => ({ passed: a.passed + r.passed, failed: a.failed + r.failed, skipped: a.skipped + r.skipped }), { passed: 0, failed: 0, skipped: 0 });
console.log(`tests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(results.some((r) => r.status !== 0) ? 1 : 0);
