import { describe, expect, it } from "vitest";
import { FieldError } from "./issues";
import { currencyCode, decimalToMinor, isoDate, usDate } from "./values";

function rule(read: () => unknown): string {
  try {
    read();
  } catch (e) {
    if (e instanceof FieldError) return e.rule;
    throw e;
  }
  return "none";
}

describe("decimalToMinor", () => {
  it.each([
    ["729", "EUR", 72900n],
    ["1656.25", "EUR", 165625n],
    ["-1500", "EUR", -150000n],
    ["+0.30", "EUR", 30n],
    ["1.250", "KWD", 1250n],
    ["1000", "JPY", 1000n],
  ] as const)("%s %s → %s", (text, currency, minor) => {
    expect(decimalToMinor(text, currency, "PayableAmount")).toBe(minor);
  });

  it.each([
    ["0.396", "EUR", "too_many_decimals"],
    ["12.34567", "CHF", "too_many_decimals"], // five decimals (issue 5's hostile case)
    ["1.5", "JPY", "too_many_decimals"],
    ["1,000.00", "EUR", "amount"],
    ["150.00-", "EUR", "amount"], // trailing minus is SAP's, not xsd:decimal
    ["1e3", "EUR", "amount"],
    ["", "EUR", "required"],
  ] as const)("refuses %j in %s (%s)", (text, currency, expected) => {
    expect(rule(() => decimalToMinor(text, currency, "Amt"))).toBe(expected);
  });
});

describe("dates and currencies", () => {
  it("isoDate takes dates and the date part of date-times", () => {
    expect(isoDate("2017-11-13", "IssueDate")).toBe("2017-11-13");
    expect(isoDate("2020-06-18T23:41:07", "CreDtTm")).toBe("2020-06-18");
    expect(isoDate("2017-07-27T14:00:40Z", "CreDtTm")).toBe("2017-07-27");
    expect(isoDate("2017-07-27+02:00", "IssueDate")).toBe("2017-07-27");
    expect(rule(() => isoDate("2017-02-29", "IssueDate"))).toBe("date");
    expect(rule(() => isoDate("13.11.2017", "IssueDate"))).toBe("date");
    expect(rule(() => isoDate(undefined, "IssueDate"))).toBe("required");
  });

  it("usDate reads MM/DD/YYYY", () => {
    expect(usDate("07/17/2020", "RcptDate")).toBe("2020-07-17");
    expect(rule(() => usDate("17/07/2020", "RcptDate"))).toBe("date");
  });

  it("currencyCode wants three capital letters", () => {
    expect(currencyCode(" EUR ", "Ccy")).toBe("EUR");
    expect(rule(() => currencyCode("eur", "Ccy"))).toBe("currency");
    expect(rule(() => currencyCode("", "Ccy"))).toBe("required");
  });
});
