// Our JSON invoice (ERP REST) → InvoiceDocument.
//
// Schema "dealer-portal.invoice.v1" (POST /api/integration/erp/invoice, Content-Type
// application/json). Amounts are decimal STRINGS with at most the currency's decimals ("1130.00";
// JPY "1130"; KWD "1.250") — never JSON numbers, which would pass through a float. Keys such as
// partner ids and material numbers are strings, leading zeros kept.
//
// {
//   "schema": "dealer-portal.invoice.v1",
//   "documentType": "invoice" | "credit_note",     // credit notes send positive amounts
//   "documentNumber": "9000012345",                 // the ERP billing document number
//   "companyCode": "1000",                          // optional
//   "issueDate": "2025-03-01", "dueDate": "2025-03-31" | null,
//   "currency": "CNY",
//   "buyer": { "partnerId": "0000100031", "name": "…" },   // partnerId: ERP customer number
//   "seller": { "partnerId": "1000", "name": "…" } | omitted,
//   "totals": { "net": "1000.00", "tax": "130.00", "gross": "1130.00" },  // gross = net + tax = payable
//   "references": { "orders": ["…"], "correctedInvoice": "…" | null, "paymentReference": "…" | null },
//   "lines": [ { "lineNumber": "10", "material": "000000000000400123", "description": "…",
//                "quantity": "1", "unit": "ST", "net": "1000.00", "vin": "…" | null } ]
// }
import { z } from "zod";
import { IssueCollector } from "../common/issues";
import { parseJsonSafely, zodIssues, type SafeJsonOptions } from "../common/json";
import { decimalToMinor } from "../common/values";
import { checkVin } from "../common/vin";
import { invoiceSummary, partialSummary, type InvoiceDocument, type InvoiceResult } from "./invoice-model";

const decimal = z.string().regex(/^\d+(\.\d+)?$/, 'must be a non-negative decimal amount as a string, e.g. "1130.00"');
const isoDay = z.string().date("must be a date YYYY-MM-DD");
const text = (max: number) => z.string().trim().min(1).max(max);

export const invoiceJsonSchema = z.object({
  schema: z.literal("dealer-portal.invoice.v1"),
  documentType: z.enum(["invoice", "credit_note"]),
  documentNumber: text(40),
  companyCode: text(10).nullish(),
  issueDate: isoDay,
  dueDate: isoDay.nullish(),
  currency: z.string().regex(/^[A-Z]{3}$/, "must be an ISO 4217 code"),
  buyer: z.object({ partnerId: text(40), name: text(200).nullish() }),
  seller: z.object({ partnerId: text(40).nullish(), name: text(200).nullish() }).nullish(),
  totals: z.object({ net: decimal, tax: decimal, gross: decimal }),
  references: z
    .object({
      orders: z.array(text(40)).default([]),
      correctedInvoice: text(40).nullish(),
      paymentReference: text(140).nullish(),
    })
    .nullish(),
  lines: z
    .array(
      z.object({
        lineNumber: text(10),
        material: text(40).nullish(),
        description: text(400).nullish(),
        quantity: z.string().regex(/^\d+(\.\d+)?$/, 'must be a decimal quantity as a string, e.g. "1"'),
        unit: text(10).nullish(),
        net: decimal,
        vin: z.string().nullish(),
      }),
    )
    .min(1, "must list at least one line"),
});

export type InvoiceJson = z.infer<typeof invoiceJsonSchema>;

export function parseJsonInvoice(input: string | Uint8Array, opts: SafeJsonOptions = {}): InvoiceResult {
  const parsed = invoiceJsonSchema.safeParse(parseJsonSafely(input, opts));
  const issues = new IssueCollector();
  if (!parsed.success) {
    issues.errors.push(...zodIssues(parsed.error));
    issues.throwIfErrors();
    throw new Error("unreachable");
  }
  const json = parsed.data;
  const cur = json.currency;
  const credit = json.documentType === "credit_note";
  const money = (value: string, label: string) => issues.try(() => decimalToMinor(value, cur, label));
  const net = money(json.totals.net, "totals.net");
  const tax = money(json.totals.tax, "totals.tax");
  const gross = money(json.totals.gross, "totals.gross");
  if (net !== undefined && tax !== undefined && gross !== undefined && net + tax !== gross) {
    issues.error("totals.gross", "sum", `totals.gross ${json.totals.gross} must equal totals.net ${json.totals.net} + totals.tax ${json.totals.tax}`);
  }
  if (json.dueDate && json.dueDate < json.issueDate) {
    issues.error("dueDate", "order", `dueDate ${json.dueDate} is before issueDate ${json.issueDate}`);
  }
  const lineNets = json.lines.map((l, i) => money(l.net, `lines.${i}.net`));
  if (net !== undefined && lineNets.every((v) => v !== undefined)) {
    const sum = lineNets.reduce<bigint>((a, b) => a + b!, 0n);
    if (sum !== net) issues.warn("totals.net", "sum", `totals.net ${json.totals.net} differs from the sum of the line amounts`);
  }
  json.lines.forEach((l, i) => {
    if (l.vin) {
      const check = checkVin(l.vin);
      if (!check.ok) issues.error(`lines.${i}.vin`, check.rule, `lines.${i}.vin: ${check.message}`);
    }
  });
  const sign = (v: bigint | undefined) => (v === undefined ? null : (credit ? -v : v).toString());

  const document: InvoiceDocument = {
    format: "json",
    documentType: json.documentType,
    documentNumber: json.documentNumber,
    issueDate: json.issueDate,
    dueDate: json.dueDate ?? null,
    currency: cur,
    buyer: { partnerId: json.buyer.partnerId, name: json.buyer.name ?? null, identifiers: [{ value: json.buyer.partnerId, scheme: "SAP", source: "buyer.partnerId" }] },
    seller: { partnerId: json.seller?.partnerId ?? null, name: json.seller?.name ?? null, identifiers: [] },
    totals: { payableMinor: sign(gross) ?? "", netMinor: sign(net), taxMinor: sign(tax) },
    taxInTaxCurrency: null,
    references: {
      typeCode: null,
      orderNumbers: json.references?.orders ?? [],
      correctedDocuments: json.references?.correctedInvoice ? [json.references.correctedInvoice] : [],
      paymentReference: json.references?.paymentReference ?? null,
    },
    lines: json.lines.map((l, i) => ({
      lineNumber: l.lineNumber,
      material: l.material ?? null,
      description: l.description ?? null,
      quantity: l.quantity,
      unit: l.unit ?? null,
      netMinor: sign(lineNets[i]),
    })),
  };
  issues.throwIfErrors(partialSummary(document));
  return { summary: invoiceSummary(document), document, warnings: issues.warnings };
}
