// The one shape every invoice format is mapped to, and the rules all formats share (sign, summary).
import type { FieldIssue } from "../common/issues";
import type { DocumentSummary, ParseResult } from "../common/summary";
import type { IdocControl } from "./idoc";

export type InvoiceFormat = "idoc" | "ubl" | "json";

export interface InvoiceLine {
  /** Line or item number as sent ("000010", "1"). */
  lineNumber: string;
  material: string | null;
  description: string | null;
  /** Exact decimal text. */
  quantity: string | null;
  unit: string | null;
  /** Net amount of the line in minor units of the document currency; negated on credit notes, like the totals. */
  netMinor: string | null;
}

export interface InvoiceParty {
  /** The id the sender uses for the party (buyer: what our partner mapping resolves). */
  partnerId: string | null;
  name: string | null;
  /** Every identifier the message carries for the party, in order of preference. */
  identifiers: { value: string; scheme: string | null; source: string }[];
}

export interface InvoiceDocument {
  format: InvoiceFormat;
  documentType: "invoice" | "credit_note";
  documentNumber: string;
  /** YYYY-MM-DD */
  issueDate: string;
  dueDate: string | null;
  currency: string;
  buyer: InvoiceParty;
  seller: InvoiceParty;
  totals: {
    /** Signed: negative for credit notes. */
    payableMinor: string;
    netMinor: string | null;
    taxMinor: string | null;
  };
  /** Tax in a second currency (UBL TaxCurrencyCode), when sent. */
  taxInTaxCurrency: { currency: string; taxMinor: string } | null;
  references: {
    /** SAP billing type (FKART) or UBL type code. */
    typeCode: string | null;
    orderNumbers: string[];
    /** Invoices this document corrects (UBL BillingReference, JSON references.correctedInvoice). */
    correctedDocuments: string[];
    paymentReference: string | null;
  };
  lines: InvoiceLine[];
  idoc?: IdocControl;
  ubl?: { rootName: "Invoice" | "CreditNote"; customizationId: string | null; profileId: string | null; peppolBis3: boolean };
}

export type InvoiceResult = ParseResult<DocumentSummary, InvoiceDocument>;

/** The summary of issue 3 from a mapped invoice. */
export function invoiceSummary(doc: InvoiceDocument): DocumentSummary {
  return {
    documentType: doc.documentType,
    documentNumber: doc.documentNumber,
    documentDate: doc.issueDate,
    dueDate: doc.dueDate,
    partnerId: doc.buyer.partnerId,
    currency: doc.currency,
    totalMinor: doc.totals.payableMinor,
    lineCount: doc.lines.length,
  };
}

/**
 * Applies the sign rule: `amount` as sent, `creditContainer` when the message says credit
 * (UBL CreditNote, SAP credit billing type, JSON credit_note). Returns the signed total and type.
 */
export function signInvoice(
  amount: bigint,
  creditContainer: boolean,
  field: string,
  warnings: FieldIssue[],
): { signed: bigint; documentType: "invoice" | "credit_note" } {
  const signed = creditContainer ? -amount : amount;
  // A zero credit note stays a credit note; only a negative amount flips the container's meaning.
  const documentType = (creditContainer ? amount >= 0n : amount < 0n) ? "credit_note" : "invoice";
  if (!creditContainer && amount < 0n) {
    warnings.push({ field, rule: "negative_invoice", message: `${field} is negative: this invoice is read as a credit note` });
  } else if (creditContainer && amount < 0n) {
    warnings.push({ field, rule: "negative_credit", message: `${field} is negative on a credit note: read as a debit (an invoice)` });
  }
  return { signed, documentType };
}

/** What could be read, for `?validateOnly=1` answers about a document with errors. */
export function partialSummary(doc: InvoiceDocument) {
  const s = invoiceSummary(doc);
  return {
    ...s,
    documentNumber: s.documentNumber || null,
    documentDate: s.documentDate || null,
    currency: s.currency || null,
    totalMinor: s.totalMinor || null,
  };
}
