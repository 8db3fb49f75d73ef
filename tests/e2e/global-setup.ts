// Starts the production server (build/ must exist: `npm run build`) on a free port with a throwaway
// in-memory database and the demo data, waits for /healthz, hands the base URL to the tests through
// vitest's provide/inject (and E2E_BASE_URL), and stops the server afterwards.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

const HEALTH_TIMEOUT_MS = 60_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function healthy(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
    if (res.status !== 200) return false;
    const body = (await res.json()) as { status?: string; db?: string };
    return body.status === "ok" && body.db === "ok";
  } catch {
    return false;
  }
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const force = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

export default async function setup(project: TestProject) {
  const root = path.resolve(import.meta.dirname, "../..");
  if (!fs.existsSync(path.join(root, "build/server/index.js"))) {
    throw new Error("build/server/index.js is missing: run `npm run build` before the browser journeys.");
  }
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const tsx = path.join(root, "node_modules/tsx/dist/cli.mjs");
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    PORT: String(port),
    HOST: "127.0.0.1",
    PGLITE_DIR: "memory://",
    SEED_DEMO: "true",
    LOG_LEVEL: "warn",
  };
  // Always the throwaway embedded database, even when the caller's shell points at PostgreSQL.
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, [tsx, "portal/server/main.ts"], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  let stdout = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  const started = Date.now();
  while (!(await healthy(baseUrl))) {
    if (child.exitCode !== null || Date.now() - started > HEALTH_TIMEOUT_MS) {
      await stop(child);
      const why = child.exitCode !== null ? `exited with code ${child.exitCode}` : `did not answer /healthz within ${HEALTH_TIMEOUT_MS / 1000} s`;
      throw new Error(`The portal server ${why}.\n--- server stderr ---\n${stderr}\n--- server stdout ---\n${stdout}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  process.env.E2E_BASE_URL = baseUrl;
  project.provide("baseUrl", baseUrl);

  return async () => {
    await stop(child);
    if (stderr.trim()) process.stderr.write(`--- portal server stderr during the journeys ---\n${stderr}\n`);
  };
}
