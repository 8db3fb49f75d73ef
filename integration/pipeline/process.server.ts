// The worker side of the pipeline: claims due messages (received, or failed and due for a retry)
// with FOR UPDATE SKIP LOCKED so several workers never take the same one, reclaims messages whose
// lease ran out (a worker died mid-way), and applies each in its own transaction.
//
// Bulk feeds (Feed.bulk, e.g. a 200,000-line parts-stock snapshot) are applied in batches instead:
// every batch commits in its own transaction TOGETHER WITH the message's progress cursor
// (progress_done), moved by a conditional update (`where progress_done = <where this run started>`).
// So a worker killed at any point leaves the rows of exactly the committed batches and a cursor that
// says how many lines they hold; the next claim (after the lease ran out) resumes after the cursor.
// No line range is applied twice, even when two workers hold the same message after a lease expired:
// only one of them can move the cursor from a given value, the other's batch rolls back and it stops.
// The last step (the feed's finish: e.g. zero the missing parts, raise alerts) runs in the
// transaction that marks the message processed. The lease is renewed with every batch.
import { and, eq, getTableColumns, inArray, lte, or, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { integrationMessages, type IntegrationMessage, type MessageStatus } from "../../db/schema";
import { inScope, systemCtx } from "../../portal/domain/context";
import { DomainError } from "../../portal/domain/errors";
import { MessageValidationError, type FieldIssue } from "../common/issues";
import { ApplyError, type BulkApply, type Feed } from "./feed";
import { findFeed } from "./registry";
import { applyStored, type Ack } from "./receive.server";
import { leaseSeconds, nextAttemptAt } from "./policy";

export type WorkerOptions = {
  /** Bulk messages: apply at most this many batches, then put the message back in the queue. */
  maxBatches?: number;
  /** Bulk messages: called after every committed batch; the next batch waits for its promise. */
  onProgress?: (progress: { messageId: string; done: number; total: number }) => void | Promise<void>;
};

// Claimed rows come without their payload: it is loaded one message at a time, so claiming 50
// snapshots of 20 MB does not hold a gigabyte.
const { payload: _payload, ...claimColumns } = getTableColumns(integrationMessages);
type ClaimedMessage = Omit<IntegrationMessage, "payload">;

/** Claims up to `limit` due inbound messages and processes them; returns their acknowledgements. */
export async function processDueMessages(db: Db, now = new Date(), limit = 50, options: WorkerOptions = {}): Promise<Ack[]> {
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
      .returning(claimColumns);
  });
  // Small messages first: a long bulk import must not hold them past their lease.
  const bulkFeedOf = (m: ClaimedMessage) => {
    const feed = findFeed(m.system, m.messageType);
    return feed && feed !== "not_implemented" && feed.bulk ? (feed as BulkFeed) : null;
  };
  const ordered = [...claimed.filter((m) => !bulkFeedOf(m)), ...claimed.filter((m) => bulkFeedOf(m))];
  const acks: Ack[] = [];
  for (const claimedMessage of ordered) {
    const message = await withPayload(db, claimedMessage, now);
    const bulkFeed = bulkFeedOf(message);
    acks.push(bulkFeed ? await processBulkMessage(db, message, bulkFeed, now, options) : await processClaimed(db, message, now));
  }
  return acks;
}

/**
 * Claims one message by id — when it is received, or processing with its lease run out — and
 * processes it now (the monitor's "process now", tests, and a worker resuming a bulk import).
 * Returns null when the message is not claimable (processed, held by a live worker, …).
 */
export async function processMessageNow(db: Db, id: string, now = new Date(), options: WorkerOptions = {}): Promise<Ack | null> {
  const [claimed] = await inScope(systemCtx(db, "integration:worker", now), (tx) =>
    tx
      .update(integrationMessages)
      .set({ status: "processing", leaseUntil: new Date(now.getTime() + leaseSeconds * 1000), updatedAt: now })
      .where(
        and(
          eq(integrationMessages.id, id),
          eq(integrationMessages.direction, "inbound"),
          or(eq(integrationMessages.status, "received"), and(eq(integrationMessages.status, "processing"), lte(integrationMessages.leaseUntil, now))),
        ),
      )
      .returning(claimColumns),
  );
  if (!claimed) return null;
  const message = await withPayload(db, claimed, now);
  const feed = findFeed(message.system, message.messageType);
  return feed && feed !== "not_implemented" && feed.bulk ? processBulkMessage(db, message, feed as BulkFeed, now, options) : processClaimed(db, message, now);
}

async function withPayload(db: Db, message: ClaimedMessage, now: Date): Promise<IntegrationMessage> {
  const [row] = await inScope(systemCtx(db, "integration:worker", now), (tx) =>
    tx.select({ payload: integrationMessages.payload }).from(integrationMessages).where(eq(integrationMessages.id, message.id)),
  );
  return { ...message, payload: row?.payload ?? Buffer.alloc(0) };
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

type BulkFeed = Feed & { bulk: BulkApply<unknown> };

/** Thrown inside a batch's transaction to roll it back when a newer snapshot won. */
class StaleBatch extends Error {}

/**
 * Applies a claimed bulk message in committed batches from its progress cursor on (see the header).
 * Returns the acknowledgement as it stands: processed, ignored_stale, failed/dead, or — when
 * `maxBatches` stopped it, or another worker holds it — received/processing with its progress.
 */
export async function processBulkMessage(db: Db, message: IntegrationMessage, feed: BulkFeed, now = new Date(), options: WorkerOptions = {}): Promise<Ack> {
  const bulk = feed.bulk;
  // The injected clock moves on with real time, so leases stay meaningful during a long import.
  const started = performance.now();
  const clock = () => new Date(now.getTime() + Math.round(performance.now() - started));
  const ctx = () => systemCtx(db, `integration:${message.system}`, clock());
  const mine = (done: number) =>
    and(eq(integrationMessages.id, message.id), eq(integrationMessages.status, "processing"), eq(integrationMessages.progressDone, done));

  let document: unknown;
  let warnings: FieldIssue[] = message.warnings;
  try {
    // The whole document is validated before its first batch, so bad input changes nothing. The
    // endpoint did that already when it stored the message with its line count (progress_total):
    // then the worker only reads the header (the batch reader still checks every line it applies).
    // A message without a line count (stored by other means, or failed at receipt and requeued) is
    // validated here first.
    if (message.progressTotal === null) {
      const parsed = feed.parse(message.payload);
      document = parsed.document;
      warnings = parsed.warnings;
    } else {
      document = bulk.reopen(message.payload, message);
    }
  } catch (error) {
    const issues = error instanceof MessageValidationError ? [...error.issues] : [{ field: "body", rule: "unreadable", message: (error as Error).message }];
    const ack: Ack = { messageId: message.messageId, status: "dead", summary: message.summary, errors: issues, warnings: [] };
    await inScope(ctx(), (tx, c) =>
      tx
        .update(integrationMessages)
        .set({ status: "dead", attempts: message.attempts + 1, ack, errors: issues, lastError: issues.map((i) => i.message).join("; ").slice(0, 2000), leaseUntil: null, updatedAt: c.now })
        .where(mine(message.progressDone)),
    );
    return ack;
  }

  const total = bulk.lineCount(document);
  let done = message.progressDone;
  let batches = 0;
  const progress = () => ({ done, total });
  // The next batch is read (parsed) while the database writes the current one.
  const iterator = bulk.batches(document, done)[Symbol.asyncIterator]();
  let ahead = iterator.next();
  const stopReading = async () => {
    await ahead.catch(() => undefined);
    await iterator.return?.();
  };
  try {
    for (;;) {
      const next = await ahead;
      if (next.done) break;
      const batch = next.value;
      if (options.maxBatches !== undefined && batches >= options.maxBatches) {
        await stopReading();
        // Back to the queue with its cursor: the next claim resumes here.
        await inScope(ctx(), (tx, c) => tx.update(integrationMessages).set({ status: "received", leaseUntil: null, updatedAt: c.now }).where(mine(done)));
        return { messageId: message.messageId, status: "received", summary: message.summary, errors: [], warnings, progress: progress() };
      }
      ahead = iterator.next();
      ahead.catch(() => undefined); // a read error surfaces when the loop awaits it
      const step = await inScope(ctx(), async (tx, c) => {
        // The cursor moves first: its row lock orders concurrent holders, and its condition lets
        // only the holder that starts at the committed cursor commit this line range.
        const moved = await tx
          .update(integrationMessages)
          .set({ progressDone: done + batch.size, progressTotal: total, leaseUntil: new Date(c.now.getTime() + leaseSeconds * 1000), updatedAt: c.now })
          .where(mine(done))
          .returning({ id: integrationMessages.id });
        if (moved.length === 0) return "lost" as const;
        const result = await batch.apply(c, message);
        if (result?.stale) throw new StaleBatch();
        return "applied" as const;
      }).catch((error: unknown) => {
        if (error instanceof StaleBatch) return "stale" as const;
        throw error;
      });
      if (step === "lost" || step === "stale") await stopReading();
      if (step === "lost") return currentAck(db, message, now);
      if (step === "stale") return finishStale(db, message, clock(), done, warnings);
      done += batch.size;
      batches++;
      await options.onProgress?.({ messageId: message.messageId, done, total });
    }

    const ack = await inScope(ctx(), async (tx, c) => {
      const [held] = await tx.select({ id: integrationMessages.id }).from(integrationMessages).where(mine(done)).for("update");
      if (!held) return null;
      const outcome = await bulk.finish(c, document, message);
      const status: MessageStatus = outcome.stale ? "ignored_stale" : "processed";
      const allWarnings = [...warnings, ...(outcome.warnings ?? [])];
      const result: Ack = { messageId: message.messageId, status, summary: message.summary, errors: [], warnings: allWarnings, progress: progress() };
      await tx
        .update(integrationMessages)
        .set({ status, attempts: message.attempts + 1, warnings: allWarnings, errors: [], lastError: null, ack: result, organizationId: outcome.organizationId ?? null, processedAt: c.now, updatedAt: c.now, leaseUntil: null, nextAttemptAt: null })
        .where(eq(integrationMessages.id, message.id));
      return result;
    });
    return ack ?? (await currentAck(db, message, now));
  } catch (error) {
    await stopReading();
    // Nothing of the failed batch was committed; the cursor says what was. A retry resumes there.
    const issues: FieldIssue[] =
      error instanceof ApplyError
        ? error.issues
        : error instanceof DomainError
          ? [{ field: "document", rule: error.name, message: error.message }]
          : [{ field: "document", rule: "apply_failed", message: error instanceof Error ? error.message : String(error) }];
    const attempts = message.attempts + 1;
    const status: MessageStatus = attempts >= message.maxAttempts ? "dead" : "failed";
    const ack: Ack = { messageId: message.messageId, status, summary: message.summary, errors: issues, warnings, progress: progress() };
    const at = clock();
    await inScope(systemCtx(db, `integration:${message.system}`, at), (tx) =>
      tx
        .update(integrationMessages)
        .set({ status, attempts, errors: issues, lastError: issues.map((i) => i.message).join("; ").slice(0, 2000), ack, nextAttemptAt: status === "dead" ? null : nextAttemptAt(at, attempts), leaseUntil: null, updatedAt: at })
        .where(mine(done)),
    );
    return ack;
  }
}

async function finishStale(db: Db, message: IntegrationMessage, at: Date, done: number, warnings: FieldIssue[]): Promise<Ack> {
  const ack: Ack = {
    messageId: message.messageId,
    status: "ignored_stale",
    summary: message.summary,
    errors: [],
    warnings: [...warnings, { field: "document", rule: "stale", message: "a newer document for the same scope was applied meanwhile; this one stopped" }],
    progress: { done, total: message.progressTotal },
  };
  await inScope(systemCtx(db, `integration:${message.system}`, at), (tx) =>
    tx
      .update(integrationMessages)
      .set({ status: "ignored_stale", attempts: message.attempts + 1, ack, warnings: ack.warnings, processedAt: at, leaseUntil: null, updatedAt: at })
      .where(and(eq(integrationMessages.id, message.id), eq(integrationMessages.status, "processing"), eq(integrationMessages.progressDone, done))),
  );
  return ack;
}

/** The message as it stands, when another holder took it over (lease expired, cancelled…). */
async function currentAck(db: Db, message: IntegrationMessage, now: Date): Promise<Ack> {
  const [row] = await inScope(systemCtx(db, "integration:worker", now), (tx) =>
    tx.select(claimColumns).from(integrationMessages).where(eq(integrationMessages.id, message.id)),
  );
  const stored = row?.ack as Ack | null | undefined;
  if (stored) return stored;
  return {
    messageId: message.messageId,
    status: row?.status ?? message.status,
    summary: message.summary,
    errors: row?.errors ?? [],
    warnings: row?.warnings ?? [],
    progress: { done: row?.progressDone ?? 0, total: row?.progressTotal ?? null },
  };
}
