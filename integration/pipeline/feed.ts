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
}

/** A feed whose data errors can be fixed on our side (e.g. by mapping a partner) and replayed. */
export class ApplyError extends Error {
  constructor(readonly issues: FieldIssue[]) {
    super(issues.map((i) => `${i.field}: ${i.message}`).join("; "));
    this.name = "ApplyError";
  }
}
