// The server as a process: start on the embedded database, answer /healthz, refuse a second process
// on the same data folder with a clear message, and exit promptly on SIGTERM, releasing the folder.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DatabaseLockedError, openDatabase } from "../../db/client";

const tsx = path.resolve("node_modules/.bin/tsx");
const children: ChildProcess[] = [];
afterAll(() => children.forEach((c) => c.kill("SIGKILL")));

function startServer(dataDir: string, port: number) {
  const child = spawn(tsx, ["portal/server/main.ts"], {
    env: { ...process.env, NODE_ENV: "production", PORT: String(port), PGLITE_DIR: dataDir, DATABASE_URL: "", LOG_LEVEL: "info", SEED_DEMO: "false" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, output: () => output };
}

async function waitForHealth(port: number, exited: Promise<unknown>, output: () => string) {
  let done = false;
  void exited.then(() => (done = true));
  for (let i = 0; i < 600 && !done; i++) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (res.status === 200) return res;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not become healthy:\n${output()}`);
}

describe("embedded database lock", () => {
  it("refuses a second opening of the same data folder, and takes over a dead process's lock", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dp-lock-"));
    const dataDir = path.join(dir, "pglite");
    const first = await openDatabase({ dataDir });
    try {
      await expect(openDatabase({ dataDir })).rejects.toBeInstanceOf(DatabaseLockedError);
      await expect(openDatabase({ dataDir })).rejects.toThrow(/in use by another process .*set DATABASE_URL/);
    } finally {
      await first.close();
    }
    expect(fs.existsSync(`${dataDir}.lock`)).toBe(false);
    fs.writeFileSync(`${dataDir}.lock`, "999999"); // a pid that is not running
    const again = await openDatabase({ dataDir });
    await again.close();
  });
});

describe("server process", () => {
  it("serves /healthz on PGlite, blocks a second server on the same folder, and exits on SIGTERM", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dp-server-"));
    const dataDir = path.join(dir, "pglite");
    const port = 3900 + Math.floor(Math.random() * 90);
    const server = startServer(dataDir, port);
    const health = await waitForHealth(port, server.exited, server.output);
    expect(await health.json()).toEqual({ status: "ok", db: "ok" });
    const logLine = server.output().split("\n").find((l) => l.includes('"msg":"listening"'));
    expect(JSON.parse(logLine!)).toMatchObject({ level: "info", url: `http://localhost:${port}` });

    const second = startServer(dataDir, port + 1);
    expect(await second.exited).not.toBe(0);
    expect(second.output()).toContain("is in use by another process");

    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    expect(fs.existsSync(`${dataDir}.lock`)).toBe(false);
  });
});
