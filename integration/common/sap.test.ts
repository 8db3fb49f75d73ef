import { describe, expect, it } from "vitest";
import { FieldError } from "./issues";
import { requiredSapDate, sapAmountToMinor, sapDate, sapKey } from "./sap";

function fieldError(read: () => unknown): FieldError {
  try {
    read();
  } catch (e) {
    if (e instanceof FieldError) return e;
    throw e;
  }
  throw new Error("expected a FieldError");
}

describe("sapAmountToMinor", () => {
  it.each([
    ["150.00-", "EUR", -15000n], // SAP's trailing minus
    ["-150.00", "EUR", -15000n],
    ["1500", "EUR", 150000n],
    ["  2416.95  ", "EUR", 241695n], // blanks around the value
    ["1.250", "KWD", 1250n], // three decimals
    ["1.250", "EUR", 125n], // trailing zero beyond the currency's decimals is harmless
    ["1.250-", "KWD", -1250n],
    ["1500", "JPY", 1500n],
    ["0", "EUR", 0n],
    [".50", "EUR", 50n],
    ["99999999999.99", "CNY", 9999999999999n],
  ] as const)("%j %s → %s", (text, currency, minor) => {
    expect(sapAmountToMinor(text, currency, "BETRG")).toBe(minor);
  });

  it.each([
    ["1.255", "EUR", "too_many_decimals"],
    ["1.5", "JPY", "too_many_decimals"],
    ["1.2345", "KWD", "too_many_decimals"],
    ["1,250.00", "EUR", "amount"], // SAP never groups; a comma is a mistake, not a thousands separator
    ["1.250,00", "EUR", "amount"],
    ["-150.00-", "EUR", "amount"],
    ["150.00--", "EUR", "amount"],
    ["1e3", "EUR", "amount"],
    ["abc", "EUR", "amount"],
    ["", "EUR", "required"],
    ["   ", "EUR", "required"],
  ] as const)("refuses %j in %s (%s) and names the field", (text, currency, rule) => {
    const e = fieldError(() => sapAmountToMinor(text, currency, "E1EDS01[SUMID=011]/SUMME"));
    expect(e.rule).toBe(rule);
    expect(e.field).toBe("E1EDS01[SUMID=011]/SUMME");
    expect(e.message).toContain("E1EDS01[SUMID=011]/SUMME");
  });
});

describe("sapDate", () => {
  it("converts YYYYMMDD", () => {
    expect(sapDate("20230512", "DATUM")).toBe("2023-05-12");
    expect(sapDate(" 20240229 ", "DATUM")).toBe("2024-02-29");
  });

  it("reads 00000000 and blanks as no date", () => {
    expect(sapDate("00000000", "DATUM")).toBeNull();
    expect(sapDate("        ", "DATUM")).toBeNull();
    expect(sapDate(undefined, "DATUM")).toBeNull();
  });

  it.each(["20230229", "20231301", "20230431", "20230000", "2023-05-12", "2023051", "202305120", "abcdefgh"])(
    "refuses %j",
    (text) => {
      const e = fieldError(() => sapDate(text, "E1EDK03[IDDAT=028]/DATUM"));
      expect(e.rule).toBe("date");
      expect(e.field).toBe("E1EDK03[IDDAT=028]/DATUM");
    },
  );

  it("requiredSapDate refuses no date", () => {
    expect(fieldError(() => requiredSapDate("00000000", "DATUM")).rule).toBe("required");
    expect(requiredSapDate("19000101", "DATUM")).toBe("1900-01-01");
  });
});

describe("sapKey", () => {
  it("keeps leading zeros and drops blanks", () => {
    expect(sapKey(" 0000012345 ")).toBe("0000012345");
    expect(sapKey("000000000010002119")).toBe("000000000010002119");
    expect(sapKey("  ")).toBeUndefined();
  });
});
