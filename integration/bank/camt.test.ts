import { describe, expect, it } from "vitest";
import { MessageValidationError } from "../common/issues";
import { hasSamples, readFixture, readSample, samplesNote } from "../testing/samples";
import { XmlRejectedError } from "../xml/safe-xml";
import { parseCamt, UnsupportedBankFormatError } from "./camt";

const fixture = (name: string) => readFixture(`bank/${name}`).toString("utf8");
const cny = fixture("camt053-001-02-two-statements-CNY.xml");

function issues(xml: string): [string, string][] {
  try {
    parseCamt(xml);
  } catch (e) {
    if (e instanceof MessageValidationError) return e.issues.map((i) => [i.field, i.rule]);
    throw e;
  }
  throw new Error("expected a MessageValidationError");
}

describe("camt: our fixtures", () => {
  it("camt.053.001.02 with two Stmt blocks: ids, counts and entry totals", () => {
    const { summary, document, warnings } = parseCamt(readFixture("bank/camt053-001-02-two-statements-CNY.xml"));
    expect(summary).toEqual({
      documentType: "bank_statement",
      documentNumber: "CNSTMT20250310-001",
      documentDate: "2025-03-10",
      statementIds: ["STMT-20250310-CNY-1", "STMT-20250310-CNY-2"],
      entryCount: 5,
      transactionCount: 6, // 1 + batch of 2 + fee without details + 1 + 1
      currency: "CNY",
      totalCreditMinor: "35300000",
      totalDebitMinor: "1002500",
    });
    expect(warnings).toEqual([]);
    expect(document).toMatchObject({ messageType: "camt.053", version: "001.02" });
    const [first] = document.statements;
    expect(document.statements[1]!.account.accountId).toBe("1202020209900067890");
    expect(first!.openingBalance).toEqual({ amountMinor: "100000000", currency: "CNY", date: "2025-03-09" });
    expect(first!.closingBalance).toEqual({ amountMinor: "126497500", currency: "CNY", date: "2025-03-10" });
    expect(first!.account).toEqual({ iban: null, accountId: "1202020209900012345", currency: "CNY", owner: "Aurora Automotive (China) Co., Ltd." });
  });

  it("reads remittance, references and debtor of a .02 transaction (amount in AmtDtls)", () => {
    const tx = parseCamt(cny).document.statements[0]!.entries[0]!.transactions[0]!;
    expect(tx).toMatchObject({
      amountMinor: "25000000",
      currency: "CNY",
      direction: "credit",
      reversal: false,
      isBankFee: false,
      references: { endToEndId: "PAY-D031-0310-01", accountServicerReference: "BK250310T0001" },
      remittance: {
        unstructured: ["INV 9000012345 D031"],
        creditorReferences: [{ reference: "RF18539007547034", type: "SCOR" }],
        referredDocumentNumbers: ["9000012345"],
      },
      debtor: { name: "杭州星河汽车销售服务有限公司", iban: null, accountId: "3301040160000123456" },
    });
  });

  it("splits a batch entry into its transactions, keeps fees and reversals apart", () => {
    const [s1, s2] = parseCamt(cny).document.statements;
    const batch = s1!.entries[1]!;
    expect(batch).toMatchObject({ amountMinor: "1500000", batchCount: 2 });
    expect(batch.transactions.map((t) => [t.amountMinor, t.debtor.name, t.remittance.unstructured[0]])).toEqual([
      ["1000000", "杭州星河汽车销售服务有限公司", "货款 9000012346 D031"],
      ["500000", "宁波东港汽车有限公司", "partial payment 9000012399"],
    ]);
    const fee = s1!.entries[2]!;
    expect(fee).toMatchObject({ direction: "debit", isBankFee: true, additionalInfo: "Account maintenance fee 2025-03" });
    expect(fee.transactions).toMatchObject([{ amountMinor: "2500", isBankFee: true, references: { accountServicerReference: "BK250310F0001" } }]);
    expect(s2!.entries[0]).toMatchObject({ direction: "debit", reversal: true, valueDate: "2025-03-05" });
    expect(s2!.entries[0]!.transactions[0]).toMatchObject({ reversal: true, returnReason: "AC04", references: { endToEndId: "PAY-D032-0305-07" } });
    // A single TxDtls without an amount takes the entry's amount.
    expect(s2!.entries[1]!.transactions[0]).toMatchObject({ amountMinor: "8800000", remittance: { unstructured: [] } });
  });

  it("camt.053.001.08: Pty-wrapped names, UETR, Sts/Cd", () => {
    const { summary, document } = parseCamt(readFixture("bank/camt053-001-08-EUR.xml"));
    expect(summary).toMatchObject({ statementIds: ["DE89370400440532013000-2025-03-10"], entryCount: 2, transactionCount: 2, currency: "EUR", totalCreditMinor: "1130000", totalDebitMinor: "450" });
    const entry = document.statements[0]!.entries[0]!;
    expect(entry.status).toBe("BOOK");
    expect(entry.transactions[0]).toMatchObject({
      references: { uetr: "5f0d5c8e-3b5a-4c1e-9b7a-2d4f6a8c0e12", endToEndId: "E2E-INV-2025-0042", instructionId: "HZXH-20250309-01" },
      debtor: { name: "Hangzhou Xinghe Auto Sales & Service Co., Ltd.", iban: "DE02120300000000202051" },
      creditor: { name: "Aurora Automotive Europe GmbH", iban: "DE89370400440532013000" },
      remittance: { referredDocumentNumbers: ["INV-2025-0042"], creditorReferences: [{ reference: "RF47INV20250042", type: "SCOR" }] },
    });
    expect(document.statements[0]!.entries[1]!.transactions[0]).toMatchObject({ isBankFee: true, additionalInfo: "Fee for incoming foreign payment" });
  });

  it("camt.054.001.04 in KWD with a prefix: three decimals, a notification", () => {
    const { summary, document } = parseCamt(readFixture("bank/camt054-001-04-KWD.xml"));
    expect(summary).toEqual({
      documentType: "bank_notification",
      documentNumber: "KW-NTF-20250311-0007",
      documentDate: "2025-03-11",
      statementIds: ["NTF-20250311-0007"],
      entryCount: 1,
      transactionCount: 2,
      currency: "KWD",
      totalCreditMinor: "1250500",
      totalDebitMinor: "0",
    });
    expect(document.statements[0]!.entries[0]!.transactions.map((t) => [t.amountMinor, t.remittance.referredDocumentNumbers])).toEqual([
      ["1000250", ["9000020001"]],
      ["250250", ["9000020002"]],
    ]);
  });
});

describe("camt: errors and warnings name the field and the rule", () => {
  it("refuses amounts with more decimals than the currency allows", () => {
    expect(issues(cny.replace('<Amt Ccy="CNY">250000.00</Amt>', '<Amt Ccy="CNY">250000.00001</Amt>'))).toEqual([["Stmt[1]/Ntry[1]/Amt", "too_many_decimals"]]);
    expect(issues(cny.replace('<TxAmt><Amt Ccy="CNY">5000.00</Amt>', '<TxAmt><Amt Ccy="CNY">5000.001</Amt>'))).toEqual([
      ["Stmt[1]/Ntry[2]/NtryDtls/TxDtls[2]/AmtDtls/TxAmt/Amt", "too_many_decimals"],
    ]);
    expect(issues(fixture("camt054-001-04-KWD.xml").replace(">1250.500<", ">1250.5001<"))).toEqual([["Ntfctn[1]/Ntry[1]/Amt", "too_many_decimals"]]);
  });

  it("refuses a missing or unknown CdtDbtInd, a missing currency and a negative amount", () => {
    expect(issues(cny.replace("<Amt Ccy=\"CNY\">25.00</Amt>\n        <CdtDbtInd>DBIT</CdtDbtInd>", "<Amt Ccy=\"CNY\">25.00</Amt>\n        <CdtDbtInd>DEBIT</CdtDbtInd>"))).toEqual([
      ["Stmt[1]/Ntry[3]/CdtDbtInd", "enum"],
    ]);
    expect(issues(cny.replace('<Amt Ccy="CNY">88000.00</Amt>', "<Amt>88000.00</Amt>"))).toEqual([["Stmt[2]/Ntry[2]/Amt/@Ccy", "required"]]);
    expect(issues(cny.replace('<Amt Ccy="CNY">88000.00</Amt>', '<Amt Ccy="CNY">-88000.00</Amt>'))).toEqual([["Stmt[2]/Ntry[2]/Amt", "negative"]]);
  });

  it("warns when transactions, batch count or balances do not add up", () => {
    const { warnings } = parseCamt(cny.replace('<TxAmt><Amt Ccy="CNY">5000.00</Amt>', '<TxAmt><Amt Ccy="CNY">5000.01</Amt>').replace("<NbOfTxs>2</NbOfTxs>", "<NbOfTxs>3</NbOfTxs>"));
    expect(warnings.map((w) => [w.field, w.rule])).toEqual([
      ["Stmt[1]/Ntry[2]/NtryDtls", "sum"],
      ["Stmt[1]/Ntry[2]/NtryDtls/Btch/NbOfTxs", "count"],
    ]);
    const unbalanced = parseCamt(cny.replace('<Amt Ccy="CNY">1264975.00</Amt>', '<Amt Ccy="CNY">1264975.01</Amt>')).warnings;
    expect(unbalanced.map((w) => [w.field, w.rule])).toEqual([["Stmt[1]/Bal[CLBD]", "balance"]]);
  });

  it("gives no single total for entries in two currencies, but totals per currency", () => {
    const mixed = cny.replace('<Amt Ccy="CNY">88000.00</Amt>', '<Amt Ccy="USD">88000.00</Amt>');
    const { summary, document, warnings } = parseCamt(mixed);
    expect(summary).toMatchObject({ currency: null, totalCreditMinor: null, totalDebitMinor: null, entryCount: 5 });
    expect(document.totalsByCurrency).toEqual({ CNY: { creditMinor: "26500000", debitMinor: "1002500" }, USD: { creditMinor: "8800000", debitMinor: "0" } });
    expect(warnings.map((w) => w.rule)).toContain("currency");
  });

  it("refuses other documents and files that are not well-formed, with line and column", () => {
    expect(() => parseCamt(`<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.052.001.08"/>`)).toThrow(UnsupportedBankFormatError);
    expect(() => parseCamt(fixture("../erp/invoice-idoc-F2-CNY.xml"))).toThrow(UnsupportedBankFormatError);
    const broken = cny.replace("</Ntry>\n      <Ntry>\n        <Amt Ccy=\"CNY\">15000.00</Amt>", "</Ntry>\n      <Ntry>\n        <Amt Ccy=\"CNY\">15000.00</Amount>");
    try {
      parseCamt(broken);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(XmlRejectedError);
      const lineOfBreak = broken.split("\n").findIndex((l) => l.includes("</Amount>")) + 1;
      expect((e as XmlRejectedError).code).toBe("not_well_formed");
      expect((e as XmlRejectedError).line).toBe(lineOfBreak);
    }
  });
});

describe.skipIf(!hasSamples)(`camt: shared PostFinance samples, byte for byte${samplesNote}`, () => {
  it("camt.053.001.04 statement: 13 entries, 32 transactions, fees, batches and reversals", () => {
    const { summary, document, warnings } = parseCamt(readSample("iso20022/camt.053_P_CH0309000000250090342_380000000_0_2016053100163801.xml"));
    expect(summary).toEqual({
      documentType: "bank_statement",
      documentNumber: "20160430375204000008573",
      documentDate: "2016-04-30",
      statementIds: ["20160430375204000008574"],
      entryCount: 13,
      transactionCount: 32,
      currency: "CHF",
      totalCreditMinor: "181056", // 1000.00 + 620.00 + 110.00 + 24.00 + 56.56
      totalDebitMinor: "127295", // six fees 1251.42 + reversals 6.00 + 15.53
    });
    expect(warnings).toEqual([]); // opening 322152.16 + 537.61 = closing 322689.77
    const stmt = document.statements[0]!;
    expect(document.version).toBe("001.04");
    expect(stmt.account).toMatchObject({ iban: "CH0309000000250090342", owner: "Robert Schneider SA Grands magasins Biel/Bienne" });
    expect(stmt.openingBalance).toEqual({ amountMinor: "32215216", currency: "CHF", date: "2016-04-29" });
    expect(stmt.closingBalance).toEqual({ amountMinor: "32268977", currency: "CHF", date: "2016-04-30" });
    expect(stmt.entries.filter((e) => e.isBankFee).map((e) => e.amountMinor)).toEqual(["2400", "32875", "20080", "63815", "2400", "3572"]);
    expect(stmt.entries.filter((e) => e.reversal).map((e) => [e.amountMinor, e.direction, e.transactions[0]!.returnReason])).toEqual([
      ["600", "debit", "MD06"],
      ["1553", "debit", "MD06"],
    ]);
    const batch = stmt.entries[6]!;
    expect(batch).toMatchObject({ amountMinor: "100000", batchCount: 10, entryReference: "010000004", bookingDate: "2016-05-27", valueDate: "2016-05-30" });
    expect(batch.transactions).toHaveLength(10);
    expect(batch.transactions[0]).toMatchObject({
      amountMinor: "10000",
      remittance: { creditorReferences: [{ reference: "000000000002015110002913192", type: "ISR Reference" }] },
      debtor: { name: null }, // "POSTFINANCE AG" is the debtor's bank, not the debtor
    });
    expect(batch.transactions[1]!.debtor.name).toBe("Rutschmann Pia");
    const withFourLines = stmt.entries[7]!.transactions.find((t) => t.remittance.unstructured.length > 1)!;
    expect(withFourLines.remittance.unstructured).toEqual(["MUSTER MITTEILUNG 1", "MUSTER MITTEILUNG 2", "MUSTER MITTEILUNG 3", "MUSTER MITTEILUNG 4"]);
    expect(stmt.entries.at(-1)!.transactions[0]!.references).toMatchObject({ endToEndId: "E2E-1-1-16030913", paymentInformationId: "SID-1-160309134053s4C" });
  });

  it("camt.054.001.08 QR-bill notification with UETR", () => {
    const { summary, document } = parseCamt(readSample("iso20022/200519_camt.054_P_CH2909000000250094239_1111091335_0_2020061900081727_v2019.xml"));
    expect(summary).toEqual({
      documentType: "bank_notification",
      documentNumber: "20200618375204295372463",
      documentDate: "2020-06-18",
      statementIds: ["20200618375204295372465"],
      entryCount: 1,
      transactionCount: 2,
      currency: "CHF",
      totalCreditMinor: "169222",
      totalDebitMinor: "0",
    });
    const [t1, t2] = document.statements[0]!.entries[0]!.transactions;
    expect(t1).toMatchObject({
      amountMinor: "77829",
      references: { uetr: "b009c997-97b3-4a9c-803c-d645a7276bf0", endToEndId: "1006265-aic5dL-75dzf3jk9-cf2d5e9", accountServicerReference: "2000000000000000" },
      remittance: { creditorReferences: [{ reference: "539115429773825311971477453", type: "QRR" }] },
      debtor: { name: "Bernasconi Maria", iban: "CH5109000000250092291" },
    });
    expect(t2).toMatchObject({ amountMinor: "91393", references: { endToEndId: null, instructionId: "1005970-70a75515" } });
    expect(document.statements[0]!.entries[0]!.status).toBe("BOOK");
  });

  it("camt.054.001.04 collective booking: one entry, two transactions", () => {
    const { summary, document } = parseCamt(readSample("iso20022/camt_054_Beispiel_SammelbuchungEs.xml"));
    expect(summary).toEqual({
      documentType: "bank_notification",
      documentNumber: "MSGID-201707271400",
      documentDate: "2017-07-27",
      statementIds: ["NtfctnId20170727"],
      entryCount: 1,
      transactionCount: 2,
      currency: "CHF",
      totalCreditMinor: "11300",
      totalDebitMinor: "0",
    });
    expect(document.statements[0]!.entries[0]!.transactions.map((t) => [t.amountMinor, t.debtor.name, t.remittance.unstructured])).toEqual([
      ["11100", "Ada Lovelace", ["TEST MITTEILUNG"]],
      ["200", "Lord Bayron", ["TEST MITTEILUNG"]],
    ]);
  });
});
