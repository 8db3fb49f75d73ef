// SAP INVOIC01/02 IDoc XML → InvoiceDocument. The root may be an extension type (ZINV_ARDO in the
// shared sample); meaning is in qualifiers, never in positions:
//   E1EDK01 CURCY currency, BSART INVO/CRME
//   E1EDK02 QUALF 009 invoice number (BELNR) and its date (DATUM)
//   E1EDK03 IDDAT 026 billing date, 012 document date, 028 due date
//   E1EDK14 QUALF 015 billing type (FKART: F2 invoice, G2 credit memo, RE returns credit, S1 cancellation)
//   E1EDKA1 partners by PARVW: RE bill-to (our buyer id), AG sold-to, RS invoicing party
//   E1EDP01 lines (POSEX, MENGE, MENEE; E1EDP19 QUALF 002 material; E1EDP26 QUALF 002/003 net value)
//   E1EDS01 totals by SUMID: 011 payable gross, 010 net of lines, 005 tax, 001 number of lines
//
// Document date: the invoice's own date (E1EDK02 QUALF 009 DATUM = billing date, FKDAT), then
// E1EDK03 IDDAT 026, then 012. IDDAT 012 alone would be wrong for aging: in the shared S/4HANA
// sample it is 2023-04-18 (the day the document was output) while the billing date is 2023-04-12,
// the date the payment terms count from (N30 → due 2023-05-12, IDDAT 028).
import type { XmlElement } from "../xml/safe-xml";
import { IssueCollector } from "../common/issues";
import { sapAmountToMinor, sapDate } from "../common/sap";
import { currencyCode } from "../common/values";
import { field, qualified, readIdocs, segments } from "./idoc";
import { invoiceSummary, partialSummary, signInvoice, type InvoiceDocument, type InvoiceLine, type InvoiceParty, type InvoiceResult } from "./invoice-model";

/** SAP billing types that credit the customer. Others (F2, L2, S2, custom Z…) debit. */
export const CREDIT_BILLING_TYPES: ReadonlySet<string> = new Set(["G2", "RE", "S1", "G2S", "RK"]);

export function parseIdocInvoice(root: XmlElement): InvoiceResult {
  const issues = new IssueCollector();
  const idocs = issues.try(() => readIdocs(root)) ?? [];
  if (idocs.length > 1) {
    issues.error(`${root.qname}/IDOC`, "multiple_documents", `The file holds ${idocs.length} IDocs; send one invoice per message`);
  }
  const idoc = idocs[0];
  issues.throwIfErrors();
  const el = idoc!.element;

  const k01 = segments(el, "E1EDK01")[0];
  const currency = issues.try(() => currencyCode(field(k01, "CURCY"), "E1EDK01/CURCY")) ?? "";

  const k02 = qualified(el, "E1EDK02", "QUALF", "009");
  let documentNumber = field(k02, "BELNR");
  if (!documentNumber) {
    documentNumber = field(k01, "BELNR");
    if (documentNumber) {
      issues.warn("E1EDK02[QUALF=009]/BELNR", "required", "E1EDK02[QUALF=009]/BELNR (invoice number) is missing; E1EDK01/BELNR is used");
    } else {
      issues.error("E1EDK02[QUALF=009]/BELNR", "required", "E1EDK02[QUALF=009]/BELNR (invoice number) is missing");
    }
  }

  const date = (seg: XmlElement | undefined, fieldName: string, label: string) =>
    seg ? (issues.try(() => sapDate(field(seg, fieldName), label)) ?? null) : null;
  const issueDate =
    date(k02, "DATUM", "E1EDK02[QUALF=009]/DATUM") ??
    date(qualified(el, "E1EDK03", "IDDAT", "026"), "DATUM", "E1EDK03[IDDAT=026]/DATUM") ??
    date(qualified(el, "E1EDK03", "IDDAT", "012"), "DATUM", "E1EDK03[IDDAT=012]/DATUM");
  if (!issueDate) {
    issues.error("E1EDK02[QUALF=009]/DATUM", "required", "The invoice date is missing (E1EDK02[QUALF=009]/DATUM, E1EDK03 IDDAT 026 or 012)");
  }
  const dueDate = date(qualified(el, "E1EDK03", "IDDAT", "028"), "DATUM", "E1EDK03[IDDAT=028]/DATUM");

  const billingType = field(qualified(el, "E1EDK14", "QUALF", "015"), "ORGID") ?? null;
  const bsart = field(k01, "BSART");
  const creditContainer = bsart === "CRME" || (billingType !== null && CREDIT_BILLING_TYPES.has(billingType));
  if (bsart === "INVO" && billingType !== null && CREDIT_BILLING_TYPES.has(billingType)) {
    issues.warn("E1EDK14[QUALF=015]/ORGID", "conflict", `Billing type ${billingType} is a credit but E1EDK01/BSART says INVO; read as a credit note`);
  }

  const buyer = partner(el, ["RE", "AG"]);
  const seller = partner(el, ["RS"]);
  if (!buyer.partnerId) issues.warn("E1EDKA1[PARVW=RE]/PARTN", "required", "No bill-to (RE) or sold-to (AG) partner number; the customer cannot be found");

  const total = (sumid: string) => {
    const seg = qualified(el, "E1EDS01", "SUMID", sumid);
    const text = field(seg, "SUMME");
    if (!seg || text === undefined || !currency) return null;
    const waerq = field(seg, "WAERQ");
    if (waerq && waerq !== currency) {
      issues.error(`E1EDS01[SUMID=${sumid}]/WAERQ`, "currency", `E1EDS01[SUMID=${sumid}]/WAERQ is ${waerq}, the invoice currency (E1EDK01/CURCY) is ${currency}`);
      return null;
    }
    return issues.try(() => sapAmountToMinor(text, currency, `E1EDS01[SUMID=${sumid}]/SUMME`)) ?? null;
  };
  const payable = total("011");
  if (payable === null && !issues.errors.some((e) => e.field.startsWith("E1EDS01[SUMID=011]")) && currency) {
    issues.error("E1EDS01[SUMID=011]/SUMME", "required", "E1EDS01[SUMID=011]/SUMME (invoice total) is missing");
  }
  const net = total("010");
  const tax = total("005");

  const lines: InvoiceLine[] = segments(el, "E1EDP01").map((p01, i) => {
    const position = field(p01, "POSEX") ?? String(i + 1);
    const p19 = qualified(p01, "E1EDP19", "QUALF", "002");
    const netText = field(qualified(p01, "E1EDP26", "QUALF", "002"), "BETRG") ?? field(qualified(p01, "E1EDP26", "QUALF", "003"), "BETRG");
    const lineNet = netText !== undefined && currency ? issues.try(() => sapAmountToMinor(netText, currency, `E1EDP01[POSEX=${position}]/E1EDP26/BETRG`)) : undefined;
    return {
      lineNumber: position,
      material: field(p19, "IDTNR") ?? null,
      description: field(p19, "KTEXT") ?? null,
      quantity: field(p01, "MENGE") ?? null,
      unit: field(p01, "MENEE") ?? null,
      netMinor: lineNet === undefined ? null : (creditContainer ? -lineNet : lineNet).toString(),
    };
  });
  const declaredLines = field(qualified(el, "E1EDS01", "SUMID", "001"), "SUMME");
  if (declaredLines !== undefined && declaredLines !== String(lines.length)) {
    issues.warn("E1EDS01[SUMID=001]/SUMME", "mismatch", `E1EDS01[SUMID=001] declares ${declaredLines} lines; the IDoc has ${lines.length} E1EDP01`);
  }

  const signing = payable === null ? null : signInvoice(payable, creditContainer, "E1EDS01[SUMID=011]/SUMME", issues.warnings);
  const sign = (v: bigint | null) => (v === null ? null : (creditContainer ? -v : v).toString());
  const document: InvoiceDocument = {
    format: "idoc",
    documentType: signing?.documentType ?? (creditContainer ? "credit_note" : "invoice"),
    documentNumber: documentNumber ?? "",
    issueDate: issueDate ?? "",
    dueDate,
    currency,
    buyer,
    seller,
    totals: { payableMinor: signing?.signed.toString() ?? "", netMinor: sign(net), taxMinor: sign(tax) },
    taxInTaxCurrency: null,
    references: {
      typeCode: billingType,
      // E1EDK02 QUALF 001: the customer's purchase order; 002: our sales order
      orderNumbers: [qualified(el, "E1EDK02", "QUALF", "001"), qualified(el, "E1EDK02", "QUALF", "002")]
        .map((s) => field(s, "BELNR"))
        .filter((v): v is string => v !== undefined),
      correctedDocuments: [],
      paymentReference: null,
    },
    lines,
    idoc: idoc!.control,
  };
  issues.throwIfErrors(partialSummary(document));
  return { summary: invoiceSummary(document), document, warnings: issues.warnings };
}

function partner(el: XmlElement, roles: readonly string[]): InvoiceParty {
  const identifiers: InvoiceParty["identifiers"] = [];
  let name: string | null = null;
  for (const role of roles) {
    const seg = qualified(el, "E1EDKA1", "PARVW", role);
    if (!seg) continue;
    name ??= field(seg, "NAME1") ?? null;
    const partn = field(seg, "PARTN");
    if (partn) identifiers.push({ value: partn, scheme: "SAP", source: `E1EDKA1[PARVW=${role}]/PARTN` });
    const lifnr = field(seg, "LIFNR");
    if (lifnr) identifiers.push({ value: lifnr, scheme: "SAP-LIFNR", source: `E1EDKA1[PARVW=${role}]/LIFNR` });
    const iln = field(seg, "ILNNR");
    if (iln) identifiers.push({ value: iln, scheme: "GLN", source: `E1EDKA1[PARVW=${role}]/ILNNR` });
  }
  const preferred = identifiers.find((i) => i.scheme === "SAP") ?? identifiers[0];
  return { partnerId: preferred?.value ?? null, name, identifiers };
}
