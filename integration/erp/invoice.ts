// ERP invoices and credit memos in (issue 5 §1), in three formats told apart by content:
// SAP INVOIC IDoc XML, UBL 2.1 Invoice/CreditNote (Peppol BIS Billing 3.0 included), and our JSON.
// All three become one InvoiceDocument and the summary of issue 3: documentType invoice or
// credit_note, documentNumber, documentDate, dueDate, partnerId (the buyer's id as sent), currency,
// totalMinor (the payable gross total in minor units, negative for credits) and lineCount.
//
// Sign rule, the same for every format: a credit note's total is negative; a document whose signed
// total is negative is a credit note, whatever its container (Peppol sends corrections as negative
// invoices); a warning says so when container and sign disagree.
import { parseXmlSafely, type SafeXmlOptions } from "../xml/safe-xml";
import { isIdocOf } from "./idoc";
import { parseIdocInvoice } from "./invoice-idoc";
import { isUblInvoice, parseUblInvoice } from "./invoice-ubl";
import { parseJsonInvoice } from "./invoice-json";
import type { InvoiceResult } from "./invoice-model";

export * from "./invoice-model";
export { invoiceJsonSchema, type InvoiceJson } from "./invoice-json";

export class UnsupportedFormatError extends Error {
  override readonly name = "UnsupportedFormatError";
}

/** Reads an invoice or credit memo in any of the three formats. */
export function parseInvoice(input: string | Uint8Array, opts: SafeXmlOptions = {}): InvoiceResult {
  if (looksLikeJson(input)) return parseJsonInvoice(input, { maxBytes: opts.maxBytes });
  const { root } = parseXmlSafely(input, opts);
  if (isUblInvoice(root)) return parseUblInvoice(root);
  if (isIdocOf(root, ["INVOIC"])) return parseIdocInvoice(root);
  throw new UnsupportedFormatError(
    `<${root.qname}>${root.ns ? ` in namespace ${root.ns}` : ""} is not a supported invoice: send SAP INVOIC IDoc XML, UBL 2.1 Invoice/CreditNote, or our JSON invoice`,
  );
}

export function looksLikeJson(input: string | Uint8Array): boolean {
  const head = typeof input === "string" ? input.slice(0, 64) : Buffer.from(input.subarray(0, 64)).toString("utf8");
  return /^\ufeff?\s*[{[]/.test(head);
}
