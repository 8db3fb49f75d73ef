import { describe, expect, it } from "vitest";
import { MessageValidationError } from "../common/issues";
import { JsonRejectedError } from "../common/json";
import { readFixture } from "../testing/samples";
import { XmlRejectedError } from "../xml/safe-xml";
import { parseDealerMaster, parseDebmasXml, parseDealerMasterJson } from "./debmas";

const idocXml = readFixture("erp/debmas-dealer-D031.xml").toString("utf8");
const json = readFixture("erp/dealer-master.json").toString("utf8");

function validationError(read: () => unknown): MessageValidationError {
  try {
    read();
  } catch (e) {
    if (e instanceof MessageValidationError) return e;
    throw e;
  }
  throw new Error("expected a MessageValidationError");
}

describe("DEBMAS IDoc XML", () => {
  it("reads dealer D031 with its key, names, credit limit and sales areas", () => {
    const { summary, document, warnings } = parseDealerMaster(readFixture("erp/debmas-dealer-D031.xml"));
    expect(summary).toEqual({
      documentType: "dealer_master",
      documentNumber: "0000000000731031",
      documentDate: "2025-03-03",
      partnerId: "0000100031",
      lineCount: 1,
    });
    expect(warnings).toEqual([]);
    expect(document.format).toBe("idoc");
    expect(document.idocs[0]).toMatchObject({ idocType: "DEBMAS07", messageType: "DEBMAS", senderPartner: "S4PCLNT100" });
    const [dealer] = document.dealers;
    expect(dealer).toMatchObject({
      customerNumber: "0000100031",
      dealerCode: "D031",
      action: "replace",
      name: "杭州星河汽车销售服务有限公司",
      nameLatin: "Hangzhou Xinghe Auto Sales & Service Co., Ltd.",
      city: "杭州市",
      region: "330",
      country: "CN",
      postalCode: "310012",
      language: "zh",
      accountGroup: "ZDLR",
      deleted: false,
      orderBlock: null,
      paymentTerms: "Z030",
      creditLimit: { controlArea: "1000", currency: "CNY", amountMinor: "500000000" },
    });
    expect(dealer!.salesAreas).toEqual([
      { salesOrganization: "1000", distributionChannel: "10", division: "01", currency: "CNY", salesOffice: "E100", orderBlock: null },
      { salesOrganization: "1000", distributionChannel: "20", division: "02", currency: "CNY", salesOffice: "E100", orderBlock: "01" },
    ]);
    expect(dealer!.companyCodes).toEqual([{ companyCode: "1000", reconciliationAccount: "0011000000", paymentTerms: "Z030" }]);
  });

  it("reads several IDocs in one file and deletion flags", () => {
    const second = idocXml
      .replace(/^[\s\S]*?<IDOC BEGIN="1">/, '<IDOC BEGIN="1">')
      .replace(/<\/DEBMAS07>\s*$/, "")
      .replace("<KUNNR>0000100031</KUNNR>", "<KUNNR>0000100099</KUNNR><LOEVM>X</LOEVM>");
    const two = idocXml.replace("</DEBMAS07>", `${second}</DEBMAS07>`);
    const { summary, document } = parseDebmasXml(two);
    expect(summary.lineCount).toBe(2);
    expect(summary.partnerId).toBeNull();
    expect(document.dealers.map((d) => [d.customerNumber, d.deleted])).toEqual([
      ["0000100031", false],
      ["0000100099", true],
    ]);
  });

  it("names the field and the rule of every error", () => {
    const broken = idocXml
      .replace("<KUNNR>0000100031</KUNNR>", "")
      .replace("<KLIMK>5000000.00</KLIMK>", "<KLIMK>5000000.005</KLIMK>")
      .replace("<LAND1>CN</LAND1>", "<LAND1>China</LAND1>");
    const e = validationError(() => parseDebmasXml(broken));
    expect(e.issues.map((i) => [i.field, i.rule])).toEqual([
      ["E1KNA1M/KUNNR", "required"],
      ["E1KNA1M/LAND1", "format"],
      ["E1KNA1M/E1KNKKM/KLIMK", "too_many_decimals"],
    ]);
    expect(e.issues[2]!.message).toContain("5000000.005");
  });

  it("refuses another message type and a file without IDocs", () => {
    expect(validationError(() => parseDebmasXml(idocXml.replace("<MESTYP>DEBMAS</MESTYP>", "<MESTYP>MATMAS</MESTYP>"))).issues[0]).toMatchObject({
      field: "EDI_DC40/MESTYP",
      rule: "message_type",
    });
    expect(validationError(() => parseDebmasXml("<DEBMAS07/>")).issues[0]).toMatchObject({ field: "DEBMAS07/IDOC", rule: "required" });
  });

  it("warns and falls back to the sales area currency when the credit limit has none", () => {
    const { document, warnings } = parseDebmasXml(idocXml.replace("<WAERS>CNY</WAERS>\n        <CTLPC>", "<CTLPC>"));
    expect(document.dealers[0]!.creditLimit).toEqual({ controlArea: "1000", currency: "CNY", amountMinor: "500000000" });
    expect(warnings).toMatchObject([{ field: "E1KNA1M[KUNNR=0000100031]/E1KNKKM/WAERS", rule: "required" }]);
  });

  it("refuses hostile XML before reading it", () => {
    expect(() => parseDealerMaster(`<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>${idocXml.replace(/^<\?xml[^>]*>/, "")}`)).toThrow(XmlRejectedError);
  });
});

describe("dealer master JSON", () => {
  it("reads both dealers of the fixture with the same record shape as the IDoc", () => {
    const { summary, document } = parseDealerMaster(json);
    expect(summary).toEqual({
      documentType: "dealer_master",
      documentNumber: "DM-20250303-0001",
      documentDate: "2025-03-03",
      partnerId: null,
      lineCount: 2,
    });
    const fromIdoc = parseDebmasXml(idocXml).document.dealers[0]!;
    const fromJson = document.dealers[0]!;
    for (const key of ["customerNumber", "dealerCode", "name", "nameLatin", "street", "postalCode", "city", "region", "country", "language", "taxNumber", "creditLimit", "paymentTerms"] as const) {
      expect(fromJson[key], key).toEqual(fromIdoc[key]);
    }
    expect(document.dealers[1]).toMatchObject({ customerNumber: "0000100032", orderBlock: "blocked", creditLimit: { currency: "CNY", amountMinor: "125000000" } });
  });

  it("refuses a customer number sent as a JSON number and an amount sent as a number", () => {
    const data = JSON.parse(json) as { dealers: Record<string, unknown>[] };
    data.dealers[0]!["customerNumber"] = 100031;
    data.dealers[0]!["creditLimit"] = { amount: 5000000, currency: "CNY" };
    const e = validationError(() => parseDealerMasterJson(JSON.stringify(data)));
    expect(e.issues.map((i) => [i.field, i.rule])).toEqual([
      ["dealers.0.customerNumber", "invalid_type"],
      ["dealers.0.creditLimit.amount", "invalid_type"],
    ]);
  });

  it("refuses too many decimals and duplicate dealers", () => {
    const data = JSON.parse(json) as { dealers: { customerNumber: string; creditLimit: { amount: string } }[] };
    data.dealers[1]!.customerNumber = "0000100031";
    data.dealers[1]!.creditLimit.amount = "1.001";
    const e = validationError(() => parseDealerMasterJson(JSON.stringify(data)));
    expect(e.issues.map((i) => [i.field, i.rule])).toEqual([
      ["dealers.1.creditLimit.amount", "too_many_decimals"],
      ["dealers.1.customerNumber", "duplicate"],
    ]);
  });

  it("refuses text that is not JSON and prototype keys", () => {
    expect(() => parseDealerMasterJson("{ not json")).toThrow(JsonRejectedError);
    expect(() => parseDealerMasterJson(`{"__proto__": {"x": 1}}`)).toThrow(/__proto__/);
    expect(() => parseDealerMasterJson(`${"[".repeat(100)}${"]".repeat(100)}`)).toThrow(/nested/);
  });
});
