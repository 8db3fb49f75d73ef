// A feed: one message type of one external system, with how to read it and how to apply it.
// The pipeline (receive.server.ts, process.server.ts) does the rest the same way for every feed:
// storage, idempotency, duplicates, acknowledgements, retries, dead letters.
import type { Ctx } from "../../portal/domain/context";
import type { IntegrationMessage, IntegrationSystem } from "../../db/schema";
import type { FieldIssue } from "../common/issues";
import type { ParseResult } from "../common/summary";

/** The summary every parser extracts (DocumentSummary, BankStatementSummary…), stored as JSON. */
export type Summary = object;

export type ApplyOutcome = {
  /** The message was older than the state it would overwrite (out-of-order safety). */
  stale?: boolean;
  warnings?: FieldIssue[];
  /** The organisation the message concerns, when there is one (for scoped views). */
  organizationId?: string | null;
  detail?: Record<string, unknown>;
};

export interface Feed<D = unknown> {
  system: IntegrationSystem;
  type: string;
  /** Bodies larger than this are refused (413) before parsing. */
  maxBytes: number;
  /**
   * How often a message of this feed is expected (DESIGN §5 default frequencies): the monitor shows
   * the feed late (red) when the last success is older than this.
   */
  expectedEveryMinutes: number;
  /** Reads the bytes. Throws XmlRejectedError/JsonRejectedError (unreadable) or MessageValidationError. */
  parse(body: Buffer): ParseResult<Summary, D>;
  /** The sender's message id inside the document, when the format carries one. */
  messageIdOf?(document: D): string | null;
  /** The business document behind the message: the same key under a new message id is a duplicate. */
  businessKeyOf(document: D, summary: Summary): string | null;
  /** Problems that depend on our data (an unmapped partner…), reported by validateOnly too. */
  check?(ctx: Ctx, document: D): Promise<FieldIssue[]>;
  /** Applies the document through domain operations, inside the message's transaction. */
  apply(ctx: Ctx, document: D, message: IntegrationMessage): Promise<ApplyOutcome>;
  /**
   * A bulk feed (a 200,000-line stock snapshot): the endpoint stores the message as `received` and
   * answers 202 at once; the worker applies it in committed batches with progress on the message
   * (process.server.ts `processBulkMessage`) instead of calling `apply` in one transaction.
   */
  bulk?: BulkApply<D>;
}

/**
 * How a bulk feed is applied in steps. Each batch commits in its own transaction together with the
 * message's progress cursor (`progressDone`), so after a crash the worker resumes after the last
 * committed batch and no line is applied twice. Batch effects must be idempotent all the same.
 */
export interface BulkApply<D> {
  /** Lines per batch (and per transaction). */
  batchSize: number;
  /** Lines in the document: `progressTotal` of the message. */
  lineCount(document: D): number;
  /**
   * Reads the document of a message whose earlier run already validated it and committed some
   * batches: only what resuming needs (e.g. the header), not a second full validation.
   */
  reopen(payload: Buffer, message: IntegrationMessage): D;
  /** The document's lines after the first `skip`, in batches of at most `batchSize`. */
  batches(document: D, skip: number): AsyncIterable<BulkBatch>;
  /** Runs once every line is in, in the transaction that marks the message processed. */
  finish(ctx: Ctx, document: D, message: IntegrationMessage): Promise<ApplyOutcome>;
}

export interface BulkBatch {
  /** Lines in this batch (the progress cursor moves by this much when it commits). */
  size: number;
  /** Applies the batch in the caller's transaction; `stale` stops the message as ignored_stale. */
  apply(ctx: Ctx, message: IntegrationMessage): Promise<{ stale?: boolean } | void>;
}

/** A feed whose data errors can be fixed on our side (e.g. by mapping a partner) and replayed. */
export class ApplyError extends Error {
  constructor(readonly issues: FieldIssue[]) {
    super(issues.map((i) => `${i.field}: ${i.message}`).join("; "));
    this.name = "ApplyError";
  }
}
