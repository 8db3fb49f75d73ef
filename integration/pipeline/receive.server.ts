// Receiving an inbound message (issue 3 §2, §4): store it raw, once; recognise the same message and
// the same business document under a new id; apply it in the same transaction as its status, so a
// crash leaves either the message processed and its effect applied, or neither.
// Bulk feeds (Feed.bulk: a 200,000-line stock snapshot) are validated and stored here, answered 202
// with status `received`, and applied by the worker in committed batches (process.server.ts).
import crypto from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import type { Db, Tx } from "../../db/client";
import { integrationMessages, type IntegrationMessage, type IntegrationSystem, type MessageStatus } from "../../db/schema";
import { inScope, systemCtx, type Ctx } from "../../portal/domain/context";
import { DomainError } from "../../portal/domain/errors";
import type { FieldIssue } from "../common/issues";
import { MessageValidationError } from "../common/issues";
import { JsonRejectedError } from "../common/json";
import { XmlRejectedError } from "../xml/safe-xml";
import { ApplyError, type Feed } from "./feed";
import { nextAttemptAt } from "./policy";

export type Ack = {
  messageId: string;
  status: MessageStatus | "validated";
  summary: object | null;
  errors: FieldIssue[];
  warnings: FieldIssue[];
  duplicateOf?: string;
  /** Bulk messages: lines applied so far of the total (the monitor's progress bar). */
  progress?: { done: number; total: number | null };
};

export type ReceiveInput = {
  feed: Feed;
  body: Buffer;
  contentType: string;
  /** X-Message-Id of the sender, when it sends one. */
  messageId?: string | null;
  correlationId?: string | null;
  channel: "http" | "file" | "pull" | "upload" | "simulator";
  validateOnly?: boolean;
};

export type ReceiveResult = { ack: Ack; httpStatus: number; stored: boolean };

/** The message could not be read at all: 4xx, with the parser's reason (and line/column). */
export class UnreadableMessageError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
    this.name = "UnreadableMessageError";
  }
}

type Parsed = { summary: object | null; document: unknown; warnings: FieldIssue[]; errors: FieldIssue[]; unreadable?: UnreadableMessageError };

function parseBody(feed: Feed, body: Buffer): Parsed {
  try {
    const r = feed.parse(body);
    return { summary: r.summary, document: r.document, warnings: r.warnings, errors: [] };
  } catch (error) {
    if (error instanceof MessageValidationError) {
      return { summary: (error.summary as object | undefined) ?? null, document: null, warnings: [], errors: [...error.issues] };
    }
    if (error instanceof XmlRejectedError || error instanceof JsonRejectedError) {
      const e = error as XmlRejectedError;
      const where = e.line && !/\bline \d+/.test(e.message) ? ` (line ${e.line}, column ${e.column})` : "";
      const unreadable = new UnreadableMessageError(e.code, `${e.message}${where}`, e.line, e.column);
      return { summary: null, document: null, warnings: [], errors: [{ field: "body", rule: e.code, message: unreadable.message }], unreadable };
    }
    throw error;
  }
}

export async function receiveMessage(db: Db, input: ReceiveInput, now = new Date()): Promise<ReceiveResult> {
  const { feed, body } = input;
  const parsed = parseBody(feed, body);
  const ctx = systemCtx(db, `integration:${feed.system}`, now);

  if (input.validateOnly) {
    if (parsed.unreadable) throw parsed.unreadable;
    const errors = [...parsed.errors];
    if (parsed.document && feed.check) errors.push(...(await feed.check(ctx, parsed.document as never)));
    const messageId = input.messageId ?? (parsed.document ? feed.messageIdOf?.(parsed.document as never) : null) ?? `sha256:${hash(body)}`;
    return { ack: { messageId, status: "validated", summary: parsed.summary, errors, warnings: parsed.warnings }, httpStatus: 200, stored: false };
  }

  const contentHash = hash(body);
  const messageId = (input.messageId ?? (parsed.document ? feed.messageIdOf?.(parsed.document as never) : null) ?? `sha256:${contentHash}`).slice(0, 200);
  const businessKey = parsed.document && parsed.summary ? feed.businessKeyOf(parsed.document as never, parsed.summary) : null;

  // Two attempts: a concurrent copy of the same business document can win the unique index between
  // our check and our insert; the second attempt then sees it and records a duplicate.
  for (let attempt = 0; ; attempt++) {
    try {
      return await inScope(ctx, (tx) => storeAndApply(tx, ctx, input, parsed, { messageId, businessKey, contentHash }));
    } catch (error) {
      if (attempt === 0 && isUniqueViolation(error)) continue;
      throw error;
    }
  }
}

async function storeAndApply(
  tx: Tx,
  ctx: Ctx,
  input: ReceiveInput,
  parsed: Parsed,
  keys: { messageId: string; businessKey: string | null; contentHash: string },
): Promise<ReceiveResult> {
  const { feed } = input;
  const [existing] = await tx
    .select()
    .from(integrationMessages)
    .where(and(eq(integrationMessages.system, feed.system), eq(integrationMessages.direction, "inbound"), eq(integrationMessages.messageId, keys.messageId)));
  if (existing) return replay(existing);

  const newId = crypto.randomUUID();
  let duplicateOf: IntegrationMessage | undefined;
  if (keys.businessKey) {
    [duplicateOf] = await tx
      .select()
      .from(integrationMessages)
      .where(
        and(
          eq(integrationMessages.system, feed.system),
          eq(integrationMessages.direction, "inbound"),
          eq(integrationMessages.messageType, feed.type),
          eq(integrationMessages.businessKey, keys.businessKey),
          isNull(integrationMessages.duplicateOf),
        ),
      );
    // A failed or dead earlier copy is superseded by the new one rather than blocking it.
    if (duplicateOf && ["failed", "dead", "cancelled"].includes(duplicateOf.status)) {
      await tx
        .update(integrationMessages)
        .set({ status: "cancelled", duplicateOf: newId, lastError: `superseded by ${keys.messageId}`, updatedAt: ctx.now })
        .where(eq(integrationMessages.id, duplicateOf.id));
      duplicateOf = undefined;
    }
  }

  const base = {
    id: newId,
    system: feed.system as IntegrationSystem,
    direction: "inbound" as const,
    messageType: feed.type,
    messageId: keys.messageId,
    businessKey: keys.businessKey,
    contentHash: keys.contentHash,
    contentType: input.contentType.slice(0, 100),
    payload: input.body,
    sizeBytes: input.body.length,
    channel: input.channel,
    summary: (parsed.summary ?? {}) as Record<string, unknown>,
    warnings: parsed.warnings,
    correlationId: input.correlationId ?? null,
    receivedAt: ctx.now,
    updatedAt: ctx.now,
  };

  if (duplicateOf) {
    const ack: Ack = { messageId: keys.messageId, status: "duplicate", summary: parsed.summary, errors: [], warnings: parsed.warnings, duplicateOf: duplicateOf.messageId };
    await tx.insert(integrationMessages).values({ ...base, status: "duplicate", duplicateOf: duplicateOf.id, ack, processedAt: ctx.now });
    return { ack, httpStatus: 200, stored: true };
  }

  if (parsed.errors.length > 0) {
    // Readable but invalid, or not readable at all: stored as failed so people see it in the monitor.
    const ack: Ack = { messageId: keys.messageId, status: "failed", summary: parsed.summary, errors: parsed.errors, warnings: parsed.warnings };
    await tx.insert(integrationMessages).values({
      ...base,
      businessKey: null,
      status: "failed",
      attempts: 1,
      errors: parsed.errors,
      lastError: parsed.errors.map((e) => e.message).join("; ").slice(0, 2000),
      nextAttemptAt: null, // the payload will not read differently next time; a person looks at it
      ack,
    });
    return { ack, httpStatus: parsed.unreadable ? 400 : 422, stored: true };
  }

  if (feed.bulk) {
    // Too big for one transaction: the worker applies it in batches. The acknowledgement is built
    // from the stored row whenever it is asked for again, so it shows the progress made meanwhile.
    const total = feed.bulk.lineCount(parsed.document as never);
    await tx.insert(integrationMessages).values({ ...base, status: "received", progressTotal: total });
    const ack: Ack = { messageId: keys.messageId, status: "received", summary: parsed.summary, errors: [], warnings: parsed.warnings, progress: { done: 0, total } };
    return { ack, httpStatus: 202, stored: true };
  }

  const [message] = await tx.insert(integrationMessages).values({ ...base, status: "received" }).returning();
  const ack = await applyStored(tx, ctx, feed, message!, parsed.document, parsed.warnings);
  return { ack, httpStatus: ack.status === "failed" ? 422 : 200, stored: true };
}

/**
 * Applies a stored message in a savepoint of the caller's transaction and records the outcome on
 * the message: processed, ignored_stale, or failed with the reason and the next attempt.
 */
export async function applyStored(tx: Tx, ctx: Ctx, feed: Feed, message: IntegrationMessage, document: unknown, parseWarnings: FieldIssue[]): Promise<Ack> {
  const attempts = message.attempts + 1;
  try {
    const outcome = await tx.transaction(async (sp) => feed.apply({ ...ctx, db: sp }, document as never, message));
    const warnings = [...parseWarnings, ...(outcome.warnings ?? [])];
    const status: MessageStatus = outcome.stale ? "ignored_stale" : "processed";
    const ack: Ack = { messageId: message.messageId, status, summary: message.summary, errors: [], warnings };
    await tx
      .update(integrationMessages)
      .set({ status, attempts, warnings, errors: [], lastError: null, ack, organizationId: outcome.organizationId ?? null, processedAt: ctx.now, updatedAt: ctx.now, leaseUntil: null, nextAttemptAt: null })
      .where(eq(integrationMessages.id, message.id));
    return ack;
  } catch (error) {
    const issues: FieldIssue[] =
      error instanceof ApplyError
        ? error.issues
        : error instanceof DomainError
          ? [{ field: "document", rule: error.name, message: error.message }]
          : [{ field: "document", rule: "apply_failed", message: error instanceof Error ? error.message : String(error) }];
    const dead = attempts >= message.maxAttempts;
    const status: MessageStatus = dead ? "dead" : "failed";
    const ack: Ack = { messageId: message.messageId, status, summary: message.summary, errors: issues, warnings: parseWarnings };
    // received → dead is not a legal step: a message dies only after processing attempts.
    const via = status === "dead" && message.status === "received" ? "failed" : status;
    await tx
      .update(integrationMessages)
      .set({
        status: via,
        attempts,
        errors: issues,
        lastError: issues.map((i) => i.message).join("; ").slice(0, 2000),
        ack,
        nextAttemptAt: dead ? null : nextAttemptAt(ctx.now, attempts),
        leaseUntil: null,
        updatedAt: ctx.now,
      })
      .where(eq(integrationMessages.id, message.id));
    return ack;
  }
}

function replay(existing: IntegrationMessage): ReceiveResult {
  const ack = (existing.ack as Ack | null) ?? {
    messageId: existing.messageId,
    status: existing.status,
    summary: existing.summary,
    errors: existing.errors,
    warnings: existing.warnings,
    ...(existing.progressTotal !== null ? { progress: { done: existing.progressDone, total: existing.progressTotal } } : {}),
  };
  const pending = ack.status === "received" || ack.status === "processing";
  return { ack, httpStatus: ack.status === "failed" ? 422 : pending ? 202 : 200, stored: false };
}

function hash(body: Buffer): string {
  return crypto.createHash("sha256").update(body).digest("hex");
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; cause?: { code?: string } };
  return e?.code === "23505" || e?.cause?.code === "23505";
}
