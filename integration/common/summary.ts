// The summary stored with every inbound message (issue 3 §1): JSON with these keys where they
// apply. Amounts are strings of integers in minor units of `currency` (JSON has no bigint and a
// float must never hold money); negative for credits.
import type { FieldIssue } from "./issues";

export type DocumentType =
  | "invoice"
  | "credit_note"
  | "dealer_master"
  | "material_master"
  | "vehicle_inventory"
  | "production_event"
  | "bank_statement"
  | "bank_notification";

export interface DocumentSummary {
  documentType: DocumentType;
  documentNumber: string | null;
  /** YYYY-MM-DD */
  documentDate: string | null;
  dueDate?: string | null;
  partnerId?: string | null;
  currency?: string | null;
  /** Integer in minor units of `currency`, as a string; negative for credits. */
  totalMinor?: string | null;
  lineCount?: number;
}

export interface BankStatementSummary {
  documentType: "bank_statement" | "bank_notification";
  documentNumber: string | null;
  documentDate: string | null;
  statementIds: string[];
  entryCount: number;
  transactionCount: number;
  /** The one currency of all entries; null when entries come in several (see the document). */
  currency: string | null;
  totalCreditMinor: string | null;
  totalDebitMinor: string | null;
}

/** What every parser returns: the summary for the message store, the mapped document, warnings. */
export interface ParseResult<S, D> {
  summary: S;
  document: D;
  warnings: FieldIssue[];
}
