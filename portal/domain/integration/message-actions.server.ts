// The monitor's actions on stored messages (issue 3 §4, §9): reprocess one failed or dead message,
// reprocess every failed or dead message of a filter (or those waiting for a partner mapping), and
// cancel a message nobody wants applied. Each runs in one transaction with its audit row; the status
// change is conditional (locked row, legal source status), so a message the worker took in the
// meantime is a clear conflict, not a surprise. Requeued messages are then processed at once by the
// same worker code as the scheduled job, within a time budget; what is left stays queued for the job.
import { and, asc, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { integrationMessages, type IntegrationSystem, type MessageStatus } from "../../../db/schema";
import { processDueMessages, requeueMessages } from "../../../integration/pipeline/process.server";
import { writeAudit } from "../audit/write-audit.server";
import { requirePermission } from "../authorize";
import type { Ctx } from "../context";
import { inScope } from "../context";
import { ConflictError, NotFoundError } from "../errors";
import { isUuid } from "../organizations/get-organization.server";
import { messageConditions, type MessageFilters } from "./list-messages.server";
import { cancellableStatuses, reprocessableStatuses } from "./message-rules.server";

const m = integrationMessages;

/** At most this many messages per bulk click, so one request stays short; the button can be pressed again. */
export const bulkLimit = 1000;
/** Processing right after a requeue stops after this long; the scheduled worker does the rest. */
const processBudgetMs = 15_000;

export type SingleOutcome = { status: MessageStatus; lastError: string | null };
export type BulkOutcome = {
  matched: number;
  requeued: number;
  processed: number;
  failed: number;
  pending: number;
};

async function lockMessage(ctx: Ctx, id: string) {
  if (!isUuid(id)) throw new NotFoundError("integration_message");
  const [row] = await ctx.db
    .select({
      id: m.id,
      status: m.status,
      attempts: m.attempts,
      system: m.system,
      messageType: m.messageType,
      messageId: m.messageId,
      lastError: m.lastError,
    })
    .from(m)
    .where(eq(m.id, id.toLowerCase()))
    .for("update");
  if (!row) throw new NotFoundError("integration_message");
  return row;
}

function illegal(action: string, status: MessageStatus, allowed: readonly MessageStatus[]): ConflictError {
  return new ConflictError(
    "illegal_transition",
    `a ${status} message cannot be ${action}; only ${allowed.join(" or ")} messages can`,
  );
}

/** Puts one failed or dead message back in the queue and processes it now. */
export async function reprocessMessage(ctx: Ctx, id: string): Promise<SingleOutcome> {
  requirePermission(ctx.actor, "integration:monitor");
  const messageId = await inScope(ctx, async (tx, c) => {
    const before = await lockMessage(c, id);
    if (!reprocessableStatuses.includes(before.status))
      throw illegal("reprocessed", before.status, reprocessableStatuses);
    const requeued = await requeueMessages(tx, [before.id], ctx.now);
    if (requeued !== 1) throw illegal("reprocessed", before.status, reprocessableStatuses);
    await writeAudit(c, {
      action: "integration.message_reprocessed",
      entityType: "integration_message",
      entityId: before.id,
      before: { status: before.status, attempts: before.attempts, lastError: before.lastError },
      after: {
        status: "received",
        system: before.system,
        type: before.messageType,
        messageId: before.messageId,
      },
    });
    return before.id;
  });
  await processNow(ctx, [messageId]);
  const [after] = await inScope(ctx, (tx) =>
    tx.select({ status: m.status, lastError: m.lastError }).from(m).where(eq(m.id, messageId)),
  );
  return after!;
}

/** Cancels a received, failed or dead message: it will never be applied. */
export async function cancelMessage(ctx: Ctx, id: string): Promise<SingleOutcome> {
  requirePermission(ctx.actor, "integration:monitor");
  return inScope(ctx, async (tx, c) => {
    const before = await lockMessage(c, id);
    if (!cancellableStatuses.includes(before.status))
      throw illegal("cancelled", before.status, cancellableStatuses);
    const [after] = await tx
      .update(m)
      .set({ status: "cancelled", nextAttemptAt: null, leaseUntil: null, updatedAt: ctx.now })
      .where(and(eq(m.id, before.id), inArray(m.status, [...cancellableStatuses])))
      .returning({ status: m.status, lastError: m.lastError });
    if (!after) throw illegal("cancelled", before.status, cancellableStatuses);
    await writeAudit(c, {
      action: "integration.message_cancelled",
      entityType: "integration_message",
      entityId: before.id,
      before: { status: before.status, attempts: before.attempts },
      after: {
        status: "cancelled",
        system: before.system,
        type: before.messageType,
        messageId: before.messageId,
      },
    });
    return after;
  });
}

/**
 * Reprocesses the failed and dead messages of a list filter (at most `bulkLimit`, oldest first),
 * optionally only those that failed for one rule (e.g. `unknown_partner` after a mapping was added).
 */
export async function reprocessMatching(
  ctx: Ctx,
  filters: MessageFilters,
  options: { errorRule?: string } = {},
): Promise<BulkOutcome> {
  requirePermission(ctx.actor, "integration:monitor");
  const where: SQL[] = [...messageConditions(filters), inArray(m.status, [...reprocessableStatuses])];
  if (options.errorRule)
    where.push(sql`${m.errors} @> ${JSON.stringify([{ rule: options.errorRule }])}::jsonb`);
  const { ids, matched } = await inScope(ctx, async (tx, c) => {
    const [total] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(m)
      .where(and(...where));
    const rows = await tx
      .select({ id: m.id })
      .from(m)
      .where(and(...where))
      .orderBy(asc(m.receivedAt), asc(m.id))
      .limit(bulkLimit)
      .for("update");
    const ids = rows.map((r) => r.id);
    const requeued = ids.length ? await requeueMessages(tx, ids, ctx.now) : 0;
    if (requeued > 0) {
      await writeAudit(c, {
        action: "integration.messages_reprocessed",
        entityType: "integration_message",
        after: { filters, errorRule: options.errorRule ?? null, requeued, ids },
      });
    }
    return { ids: requeued > 0 ? ids : [], matched: total?.n ?? 0 };
  });
  if (ids.length === 0) return { matched, requeued: 0, processed: 0, failed: 0, pending: 0 };
  await processNow(ctx, ids);
  const byStatus = await statusesOf(ctx, ids);
  return {
    matched,
    requeued: ids.length,
    processed: (byStatus.processed ?? 0) + (byStatus.ignored_stale ?? 0),
    failed: (byStatus.failed ?? 0) + (byStatus.dead ?? 0),
    pending: (byStatus.received ?? 0) + (byStatus.processing ?? 0),
  };
}

/** After a partner id was mapped: reprocess that system's messages that failed for want of it. */
export function reprocessUnknownPartner(ctx: Ctx, system: IntegrationSystem): Promise<BulkOutcome> {
  return reprocessMatching(ctx, { system }, { errorRule: "unknown_partner" });
}

/** Failed or dead messages waiting for a partner mapping, per system. */
export async function unknownPartnerCounts(ctx: Ctx): Promise<Partial<Record<IntegrationSystem, number>>> {
  requirePermission(ctx.actor, "integration:monitor");
  const rows = await inScope(ctx, (tx) =>
    tx
      .select({ system: m.system, n: sql<number>`count(*)::int` })
      .from(m)
      .where(
        and(
          inArray(m.status, [...reprocessableStatuses]),
          sql`${m.errors} @> '[{"rule":"unknown_partner"}]'::jsonb`,
        ),
      )
      .groupBy(m.system),
  );
  return Object.fromEntries(rows.map((r) => [r.system, r.n]));
}

/** Runs the worker until the given messages left the queue, nothing is due, or the budget is spent. */
async function processNow(ctx: Ctx, ids: string[]): Promise<void> {
  const started = performance.now();
  for (let round = 0; round < 100; round++) {
    const acks = await processDueMessages(ctx.db as Db, ctx.now);
    if (acks.length === 0 || performance.now() - started > processBudgetMs) return;
    const left = await statusesOf(ctx, ids);
    if (!left.received && !left.processing) return;
  }
}

async function statusesOf(ctx: Ctx, ids: string[]): Promise<Partial<Record<MessageStatus, number>>> {
  // One array parameter instead of one parameter per id (ids are uuids we read ourselves).
  const list = `{${ids.join(",")}}`;
  const rows = await inScope(ctx, (tx) =>
    tx
      .select({ status: m.status, n: sql<number>`count(*)::int` })
      .from(m)
      .where(sql`${m.id} = any(${list}::uuid[])`)
      .groupBy(m.status),
  );
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}
