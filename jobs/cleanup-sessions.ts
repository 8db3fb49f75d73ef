// Daily: delete sessions past their expiry (they are refused anyway; this keeps the table small).
import { lt } from "drizzle-orm";
import { sessions } from "../db/schema";
import { inScope, systemCtx } from "../portal/domain/context";
import type { Job } from "./job";

export const job: Job = {
  name: "cleanup-sessions",
  schedule: "30 3 * * *",
  async handler({ database, now }) {
    const deleted = await inScope(systemCtx(database.db, "job:cleanup-sessions", now), (tx) =>
      tx.delete(sessions).where(lt(sessions.expiresAt, now)).returning({ id: sessions.id }),
    );
    return { deleted: deleted.length };
  },
};
