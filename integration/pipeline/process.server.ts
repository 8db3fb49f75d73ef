// The worker side of the pipeline: claims due messages (received, or failed and due for a retry)
// with FOR UPDATE SKIP LOCKED so several workers never take the same one, reclaims messages whose
// lease ran out (a worker died mid-way), and applies each in its own transaction.
import { and, eq, inArray, lte, or, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { integrationMessages, type IntegrationMessage } from "../../db/schema";
import { inScope, systemCtx } from "../../portal/domain/context";
import { MessageValidationError } from "../common/issues";
import { findFeed } from "./registry";
import { applyStored, type Ack } from "./receive.server";
import { leaseSeconds } from "./policy";

/** Claims up to `limit` due inbound messages and processes them; returns their acknowledgements. */
export async function processDueMessages(db: Db, now = new Date(), limit = 50): Promise<Ack[]> {
  const ctx = systemCtx(db, "integration:worker", now);
  const claimed = await inScope(ctx, async (tx) => {
    // Messages stuck in processing past their lease go back to the queue.
    await tx
      .update(integrationMessages)
      .set({ status: "received", leaseUntil: null, updatedAt: now })
      .where(and(eq(integrationMessages.status, "processing"), lte(integrationMessages.leaseUntil, now)));
    const due = await tx
      .select({ id: integrationMessages.id })
      .from(integrationMessages)
      .where(
        and(
          eq(integrationMessages.direction, "inbound"),
          or(
            eq(integrationMessages.status, "received"),
            and(eq(integrationMessages.status, "failed"), lte(integrationMessages.nextAttemptAt, now)),
          ),
        ),
      )
      .orderBy(integrationMessages.receivedAt)
      .limit(limit)
      .for("update", { skipLocked: true });
    if (due.length === 0) return [];
    return tx
      .update(integrationMessages)
      .set({ status: "processing", leaseUntil: new Date(now.getTime() + leaseSeconds * 1000), updatedAt: now })
      .where(inArray(integrationMessages.id, due.map((d) => d.id)))
      .returning();
  });
  const acks: Ack[] = [];
  for (const message of claimed) acks.push(await processClaimed(db, message, now));
  return acks;
}

async function processClaimed(db: Db, message: IntegrationMessage, now: Date): Promise<Ack> {
  const ctx = systemCtx(db, `integration:${message.system}`, now);
  const feed = findFeed(message.system, message.messageType);
  return inScope(ctx, async (tx, c) => {
    if (!feed || feed === "not_implemented") {
      const ack: Ack = { messageId: message.messageId, status: "dead", summary: message.summary, errors: [{ field: "type", rule: "unknown_type", message: `no feed for ${message.system}/${message.messageType}` }], warnings: [] };
      await tx.update(integrationMessages).set({ status: "dead", ack, errors: ack.errors, updatedAt: now }).where(eq(integrationMessages.id, message.id));
      return ack;
    }
    let parsed;
    try {
      parsed = feed.parse(message.payload);
    } catch (error) {
      const issues = error instanceof MessageValidationError ? [...error.issues] : [{ field: "body", rule: "unreadable", message: (error as Error).message }];
      const ack: Ack = { messageId: message.messageId, status: "dead", summary: message.summary, errors: issues, warnings: [] };
      await tx
        .update(integrationMessages)
        .set({ status: "dead", attempts: message.attempts + 1, ack, errors: issues, lastError: issues.map((i) => i.message).join("; "), leaseUntil: null, updatedAt: now })
        .where(eq(integrationMessages.id, message.id));
      return ack;
    }
    return applyStored(tx, c, feed, message, parsed.document, parsed.warnings);
  });
}

/**
 * Puts failed or dead messages back in the queue after their cause was fixed (a partner mapped…).
 * Processed messages are left alone: reprocessing one does nothing.
 */
export async function requeueMessages(db: Db, ids: string[], now = new Date()): Promise<number> {
  if (ids.length === 0) return 0;
  return inScope(systemCtx(db, "integration:requeue", now), async (tx) => {
    const rows = await tx
      .update(integrationMessages)
      .set({ status: "received", nextAttemptAt: null, attempts: sql`least(${integrationMessages.attempts}, ${integrationMessages.maxAttempts} - 1)`, updatedAt: now })
      .where(and(inArray(integrationMessages.id, ids), inArray(integrationMessages.status, ["failed", "dead"])))
      .returning({ id: integrationMessages.id });
    return rows.length;
  });
}
