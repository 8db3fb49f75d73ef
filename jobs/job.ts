// A scheduled job is a file exporting `job = { name, schedule, handler }` (Medusa style). Schedules
// are cron expressions in UTC unless the job names a time zone.
import type { Database } from "../db/client";
import type { Logger } from "../portal/server/log";
import type { Config } from "../portal/server/config";

export type JobContext = {
  database: Database;
  config: Config;
  log: Logger;
  /** The scheduled slot this run stands for (minute precision, UTC). */
  slot: Date;
  now: Date;
};

export type Job = {
  name: string;
  schedule: string;
  timezone?: string;
  /** Returns a small summary stored with the run (counts, ids). */
  handler: (ctx: JobContext) => Promise<Record<string, unknown> | void>;
};
