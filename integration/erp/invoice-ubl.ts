// UBL 2.1 Invoice and CreditNote → InvoiceDocument, Peppol BIS Billing 3.0 included. Elements are
// matched on (namespace URI, local name): any prefixes, and default namespaces redeclared deeper
// down (as in the OASIS example), read the same.
//   cbc:ID number · cbc:IssueDate · cbc:DueDate (else PaymentMeans/PaymentDueDate)
//   cbc:DocumentCurrencyCode (else the currencyID of PayableAmount) · cbc:TaxCurrencyCode
//   LegalMonetaryTotal/PayableAmount = totalMinor (negated for a CreditNote)
//   TaxTotal in the document currency = tax; TaxTotal in TaxCurrencyCode = tax in the second currency
//   AccountingCustomerParty: buyer id = CustomerAssignedAccountID, else Party/PartyIdentification/ID,
//   else Party/EndpointID, else PartyLegalEntity/CompanyID, else PartyTaxScheme/CompanyID.
// Only the amounts the portal uses are converted to minor units; each must be in the currency it
// belongs to and have no more decimals than that currency has.
import { attr, child, children, path, text, type XmlElement, type XmlStep } from "../xml/safe-xml";
import { IssueCollector } from "../common/issues";
import { currencyCode, decimalToMinor, isoDate } from "../common/values";
import { invoiceSummary, partialSummary, signInvoice, type InvoiceDocument, type InvoiceLine, type InvoiceParty, type InvoiceResult } from "./invoice-model";

export const UBL_INVOICE_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2";
export const UBL_CREDIT_NOTE_NS = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2";
export const CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";
export const CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";

const PEPPOL_BIS3 = "urn:fdc:peppol.eu:2017:poacc:billing:3.0";
/** UNTDID 1001 codes meaning "credit" (used to warn when an Invoice carries one). */
const CREDIT_TYPE_CODES = new Set(["81", "83", "381", "396", "532"]);

const cac = (local: string): XmlStep => [CAC, local];
const cbc = (local: string): XmlStep => [CBC, local];

export function isUblInvoice(root: XmlElement): boolean {
  return (root.ns === UBL_INVOICE_NS && root.local === "Invoice") || (root.ns === UBL_CREDIT_NOTE_NS && root.local === "CreditNote");
}

export function parseUblInvoice(root: XmlElement): InvoiceResult {
  const issues = new IssueCollector();
  const isCreditNote = root.local === "CreditNote";
  const rootName = isCreditNote ? "CreditNote" : "Invoice";
  const val = (steps: XmlStep[]) => text(path(root, steps))?.trim() || undefined;

  const documentNumber = val([cbc("ID")]);
  if (!documentNumber) issues.error(`${rootName}/cbc:ID`, "required", `${rootName}/cbc:ID (document number) is missing`);
  const issueDate = issues.try(() => isoDate(val([cbc("IssueDate")]), `${rootName}/cbc:IssueDate`)) ?? null;
  const dueText = val([cbc("DueDate")]) ?? val([cac("PaymentMeans"), cbc("PaymentDueDate")]) ?? val([cac("PaymentTerms"), cbc("PaymentDueDate")]);
  const dueDate = dueText === undefined ? null : (issues.try(() => isoDate(dueText, `${rootName}/cbc:DueDate`)) ?? null);

  const monetary = child(root, CAC, "LegalMonetaryTotal");
  if (!monetary) issues.error(`${rootName}/cac:LegalMonetaryTotal`, "required", `${rootName}/cac:LegalMonetaryTotal is missing`);
  const payableEl = child(monetary, CBC, "PayableAmount");
  const docCurrencyText = val([cbc("DocumentCurrencyCode")]);
  const currency =
    issues.try(() =>
      currencyCode(
        docCurrencyText ?? attr(payableEl, "currencyID"),
        docCurrencyText !== undefined ? `${rootName}/cbc:DocumentCurrencyCode` : "LegalMonetaryTotal/cbc:PayableAmount/@currencyID",
      ),
    ) ?? "";
  const taxCurrencyText = val([cbc("TaxCurrencyCode")]);
  const taxCurrency = taxCurrencyText === undefined ? null : (issues.try(() => currencyCode(taxCurrencyText, `${rootName}/cbc:TaxCurrencyCode`)) ?? null);

  /** An amount element in `expected` currency, to minor units; undefined when absent or wrong. */
  const amount = (el: XmlElement | undefined, label: string, expected: string, required = false): bigint | undefined => {
    if (!el) {
      if (required) issues.error(label, "required", `${label} is missing`);
      return undefined;
    }
    if (!expected) return undefined;
    const cur = attr(el, "currencyID")?.trim();
    if (cur !== undefined && cur !== expected) {
      issues.error(`${label}/@currencyID`, "currency", `${label} is in ${cur}, expected ${expected}`);
      return undefined;
    }
    return issues.try(() => decimalToMinor(el.text, expected, label));
  };

  const payable = amount(payableEl, "LegalMonetaryTotal/cbc:PayableAmount", currency, true);
  const netMinor = amount(child(monetary, CBC, "TaxExclusiveAmount"), "LegalMonetaryTotal/cbc:TaxExclusiveAmount", currency);

  let taxMinor: bigint | undefined;
  let taxInTaxCurrency: InvoiceDocument["taxInTaxCurrency"] = null;
  children(root, CAC, "TaxTotal").forEach((tt, i) => {
    const taxEl = child(tt, CBC, "TaxAmount");
    const cur = attr(taxEl, "currencyID")?.trim() ?? currency;
    const label = `TaxTotal[${i + 1}]/cbc:TaxAmount`;
    if (cur === currency && taxMinor === undefined) taxMinor = amount(taxEl, label, currency);
    else if (taxCurrency !== null && cur === taxCurrency && taxInTaxCurrency === null) {
      const minor = amount(taxEl, label, taxCurrency);
      if (minor !== undefined) taxInTaxCurrency = { currency: taxCurrency, taxMinor: minor.toString() };
    } else {
      issues.warn(`${label}/@currencyID`, "currency", `${label} in ${cur} is neither the document currency nor the tax currency; ignored`);
    }
  });
  if (taxCurrency !== null && taxCurrency !== currency && taxInTaxCurrency === null) {
    issues.warn(`${rootName}/cbc:TaxCurrencyCode`, "required", `TaxCurrencyCode is ${taxCurrency} but no TaxTotal in ${taxCurrency} was sent`);
  }

  const typeCode = val([cbc(isCreditNote ? "CreditNoteTypeCode" : "InvoiceTypeCode")]) ?? null;
  if (!isCreditNote && typeCode !== null && CREDIT_TYPE_CODES.has(typeCode)) {
    issues.warn(`${rootName}/cbc:InvoiceTypeCode`, "type_code", `InvoiceTypeCode ${typeCode} is a credit code inside an Invoice; the sign of the amounts decides`);
  }

  const lines: InvoiceLine[] = children(root, CAC, isCreditNote ? "CreditNoteLine" : "InvoiceLine").map((line, i) => {
    const id = text(child(line, CBC, "ID"))?.trim() || String(i + 1);
    const qty = child(line, CBC, isCreditNote ? "CreditedQuantity" : "InvoicedQuantity");
    const item = child(line, CAC, "Item");
    const lineNet = amount(child(line, CBC, "LineExtensionAmount"), `${rootName}Line[${id}]/cbc:LineExtensionAmount`, currency);
    return {
      lineNumber: id,
      material: text(path(item, [cac("SellersItemIdentification"), cbc("ID")]))?.trim() || text(path(item, [cac("StandardItemIdentification"), cbc("ID")]))?.trim() || null,
      description: text(child(item, CBC, "Name"))?.trim() || text(child(item, CBC, "Description"))?.trim() || null,
      quantity: qty?.text.trim() || null,
      unit: attr(qty, "unitCode") ?? null,
      netMinor: lineNet === undefined ? null : (isCreditNote ? -lineNet : lineNet).toString(),
    };
  });

  const customizationId = val([cbc("CustomizationID")]) ?? null;
  const signing = payable === undefined ? null : signInvoice(payable, isCreditNote, "LegalMonetaryTotal/cbc:PayableAmount", issues.warnings);
  const sign = (v: bigint | undefined) => (v === undefined ? null : (isCreditNote ? -v : v).toString());
  const buyer = party(child(root, CAC, "AccountingCustomerParty"), true);
  if (!buyer.partnerId) {
    issues.warn("AccountingCustomerParty", "required", "The buyer (AccountingCustomerParty) carries no identifier; the customer cannot be found");
  }

  const document: InvoiceDocument = {
    format: "ubl",
    documentType: signing?.documentType ?? (isCreditNote ? "credit_note" : "invoice"),
    documentNumber: documentNumber ?? "",
    issueDate: issueDate ?? "",
    dueDate,
    currency,
    buyer,
    seller: party(child(root, CAC, "AccountingSupplierParty"), false),
    totals: { payableMinor: signing?.signed.toString() ?? "", netMinor: sign(netMinor), taxMinor: sign(taxMinor) },
    taxInTaxCurrency,
    references: {
      typeCode,
      orderNumbers: children(root, CAC, "OrderReference")
        .map((o) => text(child(o, CBC, "ID"))?.trim())
        .filter((v): v is string => !!v),
      correctedDocuments: children(root, CAC, "BillingReference")
        .map((b) => text(path(b, [cac("InvoiceDocumentReference"), cbc("ID")]))?.trim() ?? text(path(b, [cac("CreditNoteDocumentReference"), cbc("ID")]))?.trim())
        .filter((v): v is string => !!v),
      paymentReference: val([cac("PaymentMeans"), cbc("PaymentID")]) ?? null,
    },
    lines,
    ubl: {
      rootName,
      customizationId,
      profileId: val([cbc("ProfileID")]) ?? null,
      peppolBis3: customizationId?.includes(PEPPOL_BIS3) ?? false,
    },
  };
  issues.throwIfErrors(partialSummary(document));
  return { summary: invoiceSummary(document), document, warnings: issues.warnings };
}

function party(accountingParty: XmlElement | undefined, isBuyer: boolean): InvoiceParty {
  const p = child(accountingParty, CAC, "Party");
  const identifiers: InvoiceParty["identifiers"] = [];
  const add = (el: XmlElement | undefined, source: string) => {
    const value = el?.text.trim();
    if (value) identifiers.push({ value, scheme: attr(el, "schemeID") ?? null, source });
  };
  if (isBuyer) add(child(accountingParty, CBC, "CustomerAssignedAccountID"), "AccountingCustomerParty/cbc:CustomerAssignedAccountID");
  children(p, CAC, "PartyIdentification").forEach((pi) => add(child(pi, CBC, "ID"), "Party/cac:PartyIdentification/cbc:ID"));
  add(child(p, CBC, "EndpointID"), "Party/cbc:EndpointID");
  add(path(p, [cac("PartyLegalEntity"), cbc("CompanyID")]), "Party/cac:PartyLegalEntity/cbc:CompanyID");
  add(path(p, [cac("PartyTaxScheme"), cbc("CompanyID")]), "Party/cac:PartyTaxScheme/cbc:CompanyID");
  const name =
    text(path(p, [cac("PartyName"), cbc("Name")]))?.trim() || text(path(p, [cac("PartyLegalEntity"), cbc("RegistrationName")]))?.trim() || null;
  return { partnerId: identifiers[0]?.value ?? null, name, identifiers };
}

