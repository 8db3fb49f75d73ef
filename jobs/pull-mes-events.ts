// Every five minutes: production events from the MES since the last pull (the MES also pushes in
// real time; the pull catches up whatever a push missed).
import { and, desc, eq } from "drizzle-orm";
import { jobRuns } from "../db/schema";
import { inScope, systemCtx } from "../portal/domain/context";
import type { Job } from "./job";
import { pullInto } from "./systems";

export const job: Job = {
  name: "pull-mes-events",
  schedule: "*/5 * * * *",
  async handler(ctx) {
    const [last] = await inScope(systemCtx(ctx.database.db, "job:pull-mes-events"), (tx) =>
      tx
        .select({ detail: jobRuns.detail })
        .from(jobRuns)
        .where(and(eq(jobRuns.job, "pull-mes-events"), eq(jobRuns.status, "succeeded")))
        .orderBy(desc(jobRuns.slot))
        .limit(1),
    );
    const after = typeof last?.detail?.cursor === "string" ? last.detail.cursor : new Date(ctx.now.getTime() - 3_600_000).toISOString();
    const until = ctx.now.toISOString();
    const result = await pullInto(ctx, "mes", "production-event", `/production-events?after=${encodeURIComponent(after)}&until=${encodeURIComponent(until)}`);
    return { ...result, cursor: until };
  },
};
