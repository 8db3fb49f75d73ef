import { describe, expect, it } from "vitest";
import { MessageValidationError } from "../common/issues";
import { JsonRejectedError } from "../common/json";
import { hasSamples, readFixture, readSample, samplesNote } from "../testing/samples";
import { XmlRejectedError } from "../xml/safe-xml";
import { parseInvoice, UnsupportedFormatError } from "./invoice";

const fixture = (name: string) => readFixture(`erp/${name}`).toString("utf8");

function issues(input: string): [string, string][] {
  try {
    parseInvoice(input);
  } catch (e) {
    if (e instanceof MessageValidationError) return e.issues.map((i) => [i.field, i.rule]);
    throw e;
  }
  throw new Error("expected a MessageValidationError");
}

describe("invoices: SAP INVOIC IDoc fixtures", () => {
  it("reads the F2 vehicle invoice in CNY", () => {
    const { summary, document, warnings } = parseInvoice(readFixture("erp/invoice-idoc-F2-CNY.xml"));
    expect(summary).toEqual({
      documentType: "invoice",
      documentNumber: "9000012345",
      documentDate: "2025-03-01",
      dueDate: "2025-03-31",
      partnerId: "0000100031",
      currency: "CNY",
      totalMinor: "25000000",
      lineCount: 2,
    });
    expect(warnings).toEqual([]);
    expect(document).toMatchObject({
      format: "idoc",
      totals: { payableMinor: "25000000", netMinor: "22123894", taxMinor: "2876106" },
      references: { typeCode: "F2", orderNumbers: ["0000451207"] },
      seller: { partnerId: "1000", name: "Aurora Automotive (China) Co., Ltd." },
      idoc: { docnum: "0000000000925001", idocType: "INVOIC02", messageType: "INVOIC" },
    });
    expect(document.lines).toEqual([
      { lineNumber: "000010", material: "000000000000400123", description: "Aurora S7 2.0T AWD Premium", quantity: "1.000", unit: "ST", netMinor: "21238938" },
      { lineNumber: "000020", material: "000000000050001234", description: "Oil filter 2.0T", quantity: "2.000", unit: "ST", netMinor: "884956" },
    ]);
  });

  it("reads a G2 credit memo under an extension root in KWD (three decimals) as a negative credit note", () => {
    const { summary, document } = parseInvoice(readFixture("erp/invoice-idoc-G2-KWD.xml"));
    expect(summary).toEqual({
      documentType: "credit_note",
      documentNumber: "9100000077",
      documentDate: "2025-03-04",
      dueDate: null, // 00000000
      partnerId: "0000200415",
      currency: "KWD",
      totalMinor: "-1250500",
      lineCount: 1,
    });
    expect(document.idoc).toMatchObject({ extension: "ZINVDLR" });
    expect(document.lines[0]!.netMinor).toBe("-1250500");
  });

  it("reads SAP's trailing minus: a negative invoice total is a credit note", () => {
    const { summary, warnings } = parseInvoice(fixture("invoice-idoc-F2-CNY.xml").replace("<SUMME>250000.00</SUMME>", "<SUMME>250000.00-</SUMME>"));
    expect(summary).toMatchObject({ documentType: "credit_note", totalMinor: "-25000000" });
    expect(warnings).toMatchObject([{ field: "E1EDS01[SUMID=011]/SUMME", rule: "negative_invoice" }]);
  });

  it("names the field and the rule of every error", () => {
    const broken = fixture("invoice-idoc-F2-CNY.xml")
      .replace("<BELNR>9000012345</BELNR>\n      <DATUM>20250301</DATUM>", "<DATUM>20250230</DATUM>")
      .replace("<BELNR>9000012345</BELNR>\n    </E1EDK01>", "</E1EDK01>")
      .replace("<SUMME>28761.06</SUMME>\n      <WAERQ>CNY</WAERQ>", "<SUMME>28761.06</SUMME>\n      <WAERQ>EUR</WAERQ>")
      .replace("<BETRG>8849.56</BETRG>", "<BETRG>8849.561</BETRG>");
    expect(issues(broken)).toEqual([
      ["E1EDK02[QUALF=009]/BELNR", "required"],
      ["E1EDK02[QUALF=009]/DATUM", "date"],
      ["E1EDS01[SUMID=005]/WAERQ", "currency"],
      ["E1EDP01[POSEX=000020]/E1EDP26/BETRG", "too_many_decimals"],
    ]);
    expect(issues(fixture("invoice-idoc-G2-KWD.xml").replace("<SUMME>1250.500</SUMME>", "<SUMME>1250.5005</SUMME>"))).toEqual([
      ["E1EDS01[SUMID=011]/SUMME", "too_many_decimals"],
    ]);
    expect(issues(fixture("invoice-idoc-F2-CNY.xml").replace("<SUMID>011</SUMID>", "<SUMID>099</SUMID>"))).toEqual([["E1EDS01[SUMID=011]/SUMME", "required"]]);
  });

  it("refuses a file with two invoices", () => {
    const xml = fixture("invoice-idoc-F2-CNY.xml");
    const idoc = /<IDOC BEGIN="1">[\s\S]*<\/IDOC>/.exec(xml)![0];
    expect(issues(xml.replace("</INVOIC02>", `${idoc}</INVOIC02>`))).toEqual([["INVOIC02/IDOC", "multiple_documents"]]);
  });
});

describe("invoices: UBL fixtures", () => {
  it("reads a Peppol invoice with odd prefixes and tax in a second currency", () => {
    const { summary, document, warnings } = parseInvoice(readFixture("erp/invoice-ubl-peppol-tax-currency.xml"));
    expect(summary).toEqual({
      documentType: "invoice",
      documentNumber: "INV-2025-0042",
      documentDate: "2025-03-10",
      dueDate: "2025-04-09",
      partnerId: "0000100031",
      currency: "EUR",
      totalMinor: "1130000",
      lineCount: 2,
    });
    expect(warnings).toEqual([]);
    expect(document.totals).toEqual({ payableMinor: "1130000", netMinor: "1000000", taxMinor: "130000" });
    expect(document.taxInTaxCurrency).toEqual({ currency: "CNY", taxMinor: "1020500" });
    expect(document.ubl).toMatchObject({ rootName: "Invoice", peppolBis3: true });
    expect(document.buyer.name).toBe("Hangzhou Xinghe Auto Sales & Service Co., Ltd.");
    expect(document.lines[0]).toMatchObject({ description: "Diagnostic tablet DT-7", material: "000000000050007001", quantity: "4", unit: "C62", netMinor: "800000" });
    expect(document.references).toMatchObject({ orderNumbers: ["PO-D031-2025-007"], paymentReference: "INV-2025-0042" });
  });

  it("reads a correction sent as a negative invoice as a credit note", () => {
    const { summary, document, warnings } = parseInvoice(readFixture("erp/invoice-ubl-negative-correction.xml"));
    expect(summary).toMatchObject({ documentType: "credit_note", documentNumber: "INV-2025-0043", totalMinor: "-50000", currency: "CNY", lineCount: 1 });
    expect(document.references.correctedDocuments).toEqual(["9000012345"]);
    expect(document.totals).toEqual({ payableMinor: "-50000", netMinor: "-44248", taxMinor: "-5752" });
    expect(warnings).toMatchObject([{ rule: "negative_invoice" }]);
  });

  it("reads a CreditNote in JPY and prefers the customer's account id", () => {
    const { summary, document } = parseInvoice(readFixture("erp/creditnote-ubl-JPY.xml"));
    expect(summary).toEqual({
      documentType: "credit_note",
      documentNumber: "CN-JP-7781",
      documentDate: "2025-02-28",
      dueDate: null,
      partnerId: "0000300777",
      currency: "JPY",
      totalMinor: "-12000",
      lineCount: 1,
    });
    expect(document.buyer.identifiers.map((i) => i.value)).toEqual(["0000300777", "8011101000000"]);
    expect(document.lines[0]!.netMinor).toBe("-10909");
  });

  it("names field and rule: currency mismatch, decimals beyond the currency, missing number", () => {
    expect(issues(fixture("creditnote-ubl-JPY.xml").replace('<cbc:PayableAmount currencyID="JPY">12000<', '<cbc:PayableAmount currencyID="JPY">12000.5<'))).toEqual([
      ["LegalMonetaryTotal/cbc:PayableAmount", "too_many_decimals"],
    ]);
    expect(issues(fixture("creditnote-ubl-JPY.xml").replace('<cbc:PayableAmount currencyID="JPY">', '<cbc:PayableAmount currencyID="USD">'))).toEqual([
      ["LegalMonetaryTotal/cbc:PayableAmount/@currencyID", "currency"],
    ]);
    expect(issues(fixture("invoice-ubl-negative-correction.xml").replace("<cbc:ID>INV-2025-0043</cbc:ID>", "").replace("2025-03-12", "12.03.2025"))).toEqual([
      ["Invoice/cbc:ID", "required"],
      ["Invoice/cbc:IssueDate", "date"],
    ]);
  });
});

describe("invoices: our JSON", () => {
  it("reads an invoice and gives the same summary as the same invoice sent as an IDoc", () => {
    const fromJson = parseInvoice(readFixture("erp/invoice.json"));
    const fromIdoc = parseInvoice(readFixture("erp/invoice-idoc-F2-CNY.xml"));
    expect(fromJson.summary).toEqual({ ...fromIdoc.summary, documentNumber: "9000012346" });
    expect(fromJson.document.lines.map((l) => l.netMinor)).toEqual(fromIdoc.document.lines.map((l) => l.netMinor));
  });

  it("reads a credit note with positive amounts as negative totals", () => {
    const { summary, document } = parseInvoice(readFixture("erp/credit-note.json"));
    expect(summary).toEqual({
      documentType: "credit_note",
      documentNumber: "9100000078",
      documentDate: "2025-03-06",
      dueDate: null,
      partnerId: "0000100031",
      currency: "CNY",
      totalMinor: "-1000000",
      lineCount: 1,
    });
    expect(document.references.correctedDocuments).toEqual(["9000012345"]);
  });

  it("names field and rule of every problem", () => {
    const data = JSON.parse(fixture("invoice.json")) as Record<string, unknown> & { totals: Record<string, unknown>; lines: Record<string, unknown>[] };
    expect(issues(JSON.stringify({ ...data, totals: { ...data.totals, gross: 250000 } }))).toEqual([["totals.gross", "invalid_type"]]);
    expect(issues(JSON.stringify({ ...data, totals: { ...data.totals, gross: "250000.01" } }))).toEqual([["totals.gross", "sum"]]);
    expect(issues(JSON.stringify({ ...data, totals: { ...data.totals, tax: "28761.065" } }))).toEqual([["totals.tax", "too_many_decimals"]]);
    expect(issues(JSON.stringify({ ...data, schema: "v0", buyer: { partnerId: 100031 } }))).toEqual([
      ["schema", "invalid_literal"],
      ["buyer.partnerId", "invalid_type"],
    ]);
    expect(issues(JSON.stringify({ ...data, dueDate: "2025-02-01" }))).toEqual([["dueDate", "order"]]);
    const lines = data.lines.map((l, i) => (i === 0 ? { ...l, vin: "1HGCM82643A004352" } : l));
    expect(issues(JSON.stringify({ ...data, lines }))).toEqual([["lines.0.vin", "check_digit"]]);
  });
});

describe("invoices: format detection and hostile input", () => {
  it("refuses XML that is no invoice, and text that is not JSON", () => {
    expect(() => parseInvoice(`<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.04"/>`)).toThrow(UnsupportedFormatError);
    expect(() => parseInvoice(fixture("debmas-dealer-D031.xml"))).toThrow(UnsupportedFormatError);
    expect(() => parseInvoice("{ broken")).toThrow(JsonRejectedError);
  });

  it("refuses XXE before reading", () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE Invoice [<!ENTITY x SYSTEM "file:///etc/passwd">]>${fixture("creditnote-ubl-JPY.xml").replace(/^<\?xml[^>]*>/, "")}`;
    expect(() => parseInvoice(xxe)).toThrow(XmlRejectedError);
  });
});

describe.skipIf(!hasSamples)(`invoices: shared samples, byte for byte${samplesNote}`, () => {
  it("SAP INVOIC02 with extension ZINV_ARDO (S/4HANA)", () => {
    const { summary, document, warnings } = parseInvoice(readSample("sap-idoc/SAP_Invoice.xml"));
    expect(summary).toEqual({
      documentType: "invoice",
      documentNumber: "9000002067",
      documentDate: "2023-04-12", // billing date (E1EDK02 009); IDDAT 012 says 2023-04-18
      dueDate: "2023-05-12",
      partnerId: "0001005022", // RE bill-to PARTN, leading zeros kept
      currency: "EUR",
      totalMinor: "241695",
      lineCount: 2,
    });
    expect(warnings).toEqual([]);
    expect(document.idoc).toMatchObject({ docnum: "0000000000182520", idocType: "INVOIC02", extension: "ZINV_ARDO", created: "2023-04-18" });
    expect(document.references).toMatchObject({ typeCode: "F2", orderNumbers: ["9000080147", "0000006149"] });
    expect(document.totals).toEqual({ payableMinor: "241695", netMinor: "241695", taxMinor: "0" });
    expect(document.buyer.name).toBe("GUNNAR DAFGARD AB");
    expect(document.seller.name).toBe("Ardo Local BE");
    expect(document.lines.map((l) => [l.lineNumber, l.material, l.quantity, l.netMinor])).toEqual([
      ["000010", "000000000010002119", "144.000", "90720"],
      ["000020", "000000000010001962", "165.000", "150975"],
    ]);
  });

  it("OASIS UBL 2.1 invoice example", () => {
    const { summary, document } = parseInvoice(readSample("ubl/UBL-Invoice-2.1-Example.xml"));
    expect(summary).toEqual({
      documentType: "invoice",
      documentNumber: "TOSL108",
      documentDate: "2009-12-15",
      dueDate: "2009-12-31",
      partnerId: "345KS5324",
      currency: "EUR",
      totalMinor: "72900",
      lineCount: 5,
    });
    expect(document.totals).toEqual({ payableMinor: "72900", netMinor: "143650", taxMinor: "29220" });
    expect(document.lines.map((l) => l.netMinor)).toEqual(["127300", "-396", "496", "-2500", "18750"]);
    // <ClassifiedTaxCategory xmlns="...CommonAggregateComponents-2"> inside the lines must not break anything
    expect(document.lines[0]!.description).toBe("Labtop computer");
  });

  it("OASIS UBL 2.1 trivial invoice: no currency code and no buyer id", () => {
    const { summary, warnings } = parseInvoice(readSample("ubl/UBL-Invoice-2.1-Example-Trivial.xml"));
    expect(summary).toEqual({
      documentType: "invoice",
      documentNumber: "123",
      documentDate: "2011-09-22",
      dueDate: null,
      partnerId: null,
      currency: "CAD",
      totalMinor: "10000",
      lineCount: 1,
    });
    expect(warnings).toMatchObject([{ field: "AccountingCustomerParty", rule: "required" }]);
  });

  it("OASIS UBL 2.1 credit note example", () => {
    const { summary } = parseInvoice(readSample("ubl/UBL-CreditNote-2.1-Example.xml"));
    expect(summary).toEqual({
      documentType: "credit_note",
      documentNumber: "TOSL108",
      documentDate: "2009-12-15",
      dueDate: null,
      partnerId: "345KS5324",
      currency: "EUR",
      totalMinor: "-72900",
      lineCount: 5,
    });
  });

  it("Peppol BIS 3 base invoice", () => {
    const { summary, document } = parseInvoice(readSample("peppol-bis3/base-example.xml"));
    expect(summary).toEqual({
      documentType: "invoice",
      documentNumber: "Snippet1",
      documentDate: "2017-11-13",
      dueDate: "2017-12-01",
      partnerId: "FR23342",
      currency: "EUR",
      totalMinor: "165625",
      lineCount: 2,
    });
    expect(document.ubl).toMatchObject({ peppolBis3: true, profileId: "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0" });
    expect(document.totals).toEqual({ payableMinor: "165625", netMinor: "132500", taxMinor: "33125" });
    expect(document.lines.map((l) => l.netMinor)).toEqual(["280000", "-150000"]);
  });

  it("Peppol BIS 3 credit note correcting an invoice", () => {
    const { summary, document } = parseInvoice(readSample("peppol-bis3/base-creditnote-correction.xml"));
    expect(summary).toEqual({
      documentType: "credit_note",
      documentNumber: "Snippet1",
      documentDate: "2017-11-13",
      dueDate: null,
      partnerId: "FR23342",
      currency: "EUR",
      totalMinor: "-165625",
      lineCount: 2,
    });
    expect(document.references).toMatchObject({ typeCode: "381", correctedDocuments: ["Snippet1"] });
    expect(document.lines.map((l) => l.netMinor)).toEqual(["-280000", "150000"]);
  });
});
