// Entry point of `npm start` (production build) and `npm run dev` (Vite middleware, hot reload).
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { openDatabase } from "../../db/client";
import { seedDemo } from "../../db/seed/demo";
import { jobs } from "../../jobs/index";
import { startScheduler } from "../../jobs/scheduler";
import { startSimulator } from "../../integration/simulator/start.server";
import { createApp } from "./app";
import { loadConfig, simulatorEnabled } from "./config";
import { createLogger } from "./log";

async function main() {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL, { service: "web", pid: process.pid });
  const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.PGLITE_DIR, max: config.DB_POOL_MAX });
  log.info("database ready", { kind: database.kind, where: config.DATABASE_URL ? "DATABASE_URL" : config.PGLITE_DIR });
  if (config.SEED_DEMO) {
    const seeded = await seedDemo(database.db);
    if (seeded.created) log.info("demo data seeded", seeded);
  }

  // The simulated ERP/DMS/MES answer when no real endpoint is configured (the demo default).
  const simulator = simulatorEnabled(config) ? startSimulator() : null;
  if (simulator) log.info("simulator on: ERP, DMS and MES are simulated in-process");
  const scheduler = config.RUN_JOBS ? startScheduler({ database, config, log }, jobs) : null;

  let app;
  if (config.NODE_ENV === "production") {
    const buildPath = path.resolve("build/server/index.js");
    const build = (await import(pathToFileURL(buildPath).href)) as ServerBuild;
    app = createApp({ database, config, log, build, clientDir: path.resolve("build/client") });
  } else {
    const vite = await import("vite");
    const viteServer = await vite.createServer({ server: { middlewareMode: true } });
    app = createApp({
      database,
      config,
      log,
      before: [viteServer.middlewares],
      build: () => viteServer.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>,
    });
  }

  const onListening = () => log.info("listening", { url: `http://localhost:${config.PORT}`, mode: config.NODE_ENV });
  const server = config.HOST ? app.listen(config.PORT, config.HOST, onListening) : app.listen(config.PORT, onListening);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("shutting down", { signal });
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    server.close();
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 2000).unref();
    try {
      await scheduler?.stop();
      simulator?.stop();
      await database.close();
    } finally {
      process.exit(0);
    }
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
