// `npm run worker`: the scheduled jobs in a process of their own (start the web processes with
// RUN_JOBS=false then). With PGlite, jobs must run inside the one web process instead.
import { openDatabase } from "../db/client";
import { startSimulator } from "../integration/simulator/start.server";
import { loadConfig, simulatorEnabled } from "../portal/server/config";
import { createLogger } from "../portal/server/log";
import { jobs } from "./index";
import { startScheduler } from "./scheduler";

const config = loadConfig();
const log = createLogger(config.LOG_LEVEL, { service: "worker", pid: process.pid });
if (!config.DATABASE_URL) {
  log.error("the worker needs DATABASE_URL: the embedded database allows one process, so without a server the web process runs the jobs");
  process.exit(1);
}
const database = await openDatabase({ url: config.DATABASE_URL, max: 5 });
const simulator = simulatorEnabled(config) ? startSimulator() : null;
const scheduler = startScheduler({ database, config, log }, jobs);

const stop = async (signal: string) => {
  log.info("worker stopping", { signal });
  await scheduler.stop();
  simulator?.stop();
  await database.close();
  process.exit(0);
};
process.on("SIGTERM", () => void stop("SIGTERM"));
process.on("SIGINT", () => void stop("SIGINT"));
