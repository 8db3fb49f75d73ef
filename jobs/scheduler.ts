// Runs jobs on their schedules with node-cron, and makes sure a slot runs once however many
// instances are up: each run first claims (job, slot) in job_runs — unique — under a transaction-
// scoped PostgreSQL advisory lock; the loser of a race finds the row and does nothing. At start-up,
// a job whose latest slot has no run yet (the process was down) runs once to catch up.
import { and, desc, eq, sql } from "drizzle-orm";
import cron from "node-cron";
import type { Database } from "../db/client";
import { jobRuns } from "../db/schema";
import { inScope, systemCtx } from "../portal/domain/context";
import type { Config } from "../portal/server/config";
import type { Logger } from "../portal/server/log";
import type { Job } from "./job";

export type RunOutcome = "ran" | "failed" | "skipped";

function minute(date: Date): Date {
  const d = new Date(date);
  d.setUTCSeconds(0, 0);
  return d;
}

/** Runs one slot of a job unless another instance (or an earlier run) already has it. */
export async function runSlot(
  env: { database: Database; config: Config; log: Logger },
  job: Job,
  slotDate: Date,
  now = new Date(),
): Promise<RunOutcome> {
  const { database, log } = env;
  const slot = minute(slotDate);
  const ctx = systemCtx(database.db, `job:${job.name}`, now);
  const claimed = await inScope(ctx, async (tx) => {
    const [lock] = await tx
      .select({ ok: sql<boolean>`pg_try_advisory_xact_lock(hashtext(${`${job.name}@${slot.toISOString()}`}))` })
      .from(sql`(select 1) as one`);
    if (!lock?.ok) return false;
    const rows = await tx.insert(jobRuns).values({ job: job.name, slot, status: "running", startedAt: now }).onConflictDoNothing().returning();
    return rows.length === 1;
  });
  if (!claimed) return "skipped";
  try {
    const detail = (await job.handler({ ...env, slot, now })) ?? {};
    await inScope(systemCtx(database.db, `job:${job.name}`), (tx) =>
      tx.update(jobRuns).set({ status: "succeeded", finishedAt: new Date(), detail }).where(and(eq(jobRuns.job, job.name), eq(jobRuns.slot, slot))),
    );
    log.info("job succeeded", { job: job.name, slot: slot.toISOString(), ...detail });
    return "ran";
  } catch (error) {
    await inScope(systemCtx(database.db, `job:${job.name}`), (tx) =>
      tx
        .update(jobRuns)
        .set({ status: "failed", finishedAt: new Date(), error: error instanceof Error ? error.message.slice(0, 2000) : String(error) })
        .where(and(eq(jobRuns.job, job.name), eq(jobRuns.slot, slot))),
    );
    log.error("job failed", { job: job.name, slot: slot.toISOString(), error });
    return "failed";
  }
}

/** The latest slot of a schedule at or before `now` (searched minute by minute, up to 8 days back). */
export function previousSlot(job: Job, now: Date): Date | null {
  const task = cron.createTask(job.schedule, () => {}, { timezone: job.timezone ?? "Etc/UTC" });
  try {
    let t = minute(now).getTime();
    for (let i = 0; i < 8 * 24 * 60; i++, t -= 60_000) if (task.match(new Date(t))) return new Date(t);
    return null;
  } finally {
    void task.destroy();
  }
}

/** Runs the latest missed slot of each job once (the process was down when it was due). */
export async function catchUp(env: { database: Database; config: Config; log: Logger }, jobs: Job[], now = new Date()) {
  const results: Record<string, RunOutcome | "up_to_date"> = {};
  for (const job of jobs) {
    const slot = previousSlot(job, now);
    if (!slot) continue;
    const [last] = await inScope(systemCtx(env.database.db, "scheduler"), (tx) =>
      tx.select().from(jobRuns).where(eq(jobRuns.job, job.name)).orderBy(desc(jobRuns.slot)).limit(1),
    );
    results[job.name] = last && last.slot.getTime() >= slot.getTime() ? "up_to_date" : await runSlot(env, job, slot, now);
  }
  return results;
}

export function startScheduler(env: { database: Database; config: Config; log: Logger }, jobs: Job[]): { stop: () => Promise<void> } {
  for (const job of jobs) {
    if (!cron.validate(job.schedule)) throw new Error(`job ${job.name}: invalid schedule "${job.schedule}"`);
  }
  const tasks = jobs.map((job) =>
    cron.schedule(job.schedule, (context) => runSlot(env, job, context.date).then(() => undefined), {
      name: job.name,
      timezone: job.timezone ?? "Etc/UTC",
      noOverlap: true,
    }),
  );
  void catchUp(env, jobs).catch((error) => env.log.error("scheduler catch-up failed", { error }));
  env.log.info("scheduler started", { jobs: jobs.map((j) => `${j.name} (${j.schedule})`) });
  return {
    stop: async () => {
      await Promise.all(tasks.map((t) => t.destroy()));
    },
  };
}
