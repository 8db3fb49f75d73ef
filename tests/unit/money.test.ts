import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatMoney, minorToDecimal, MoneyFormatError, parseAmountToMinor, splitLargestRemainder } from "../../portal/domain/money";

describe("parseAmountToMinor", () => {
  it.each([
    ["1250.50", "CNY", 125050n],
    ["1,250.5", "CNY", 125050n],
    ["150.00-", "EUR", -15000n], // SAP trailing minus
    ["-3", "USD", -300n],
    ["1.250", "KWD", 1250n], // three decimals
    ["1500", "JPY", 1500n], // no decimals
    ["0.10", "CNY", 10n],
    [" 7 ", "CNY", 700n],
  ])("%s %s → %s", (text, currency, expected) => {
    expect(parseAmountToMinor(text, currency)).toBe(expected);
  });

  it.each([
    ["1.005", "CNY", "too_many_decimals"],
    ["12.5", "JPY", "too_many_decimals"],
    ["abc", "CNY", "format"],
    ["", "CNY", "format"],
    ["1e5", "CNY", "format"],
    ["99999999999999999999", "CNY", "too_large"],
  ])("refuses %s in %s (%s)", (text, currency, rule) => {
    expect(() => parseAmountToMinor(text, currency)).toThrow(MoneyFormatError);
    try {
      parseAmountToMinor(text, currency);
    } catch (e) {
      expect((e as MoneyFormatError).rule).toBe(rule);
    }
  });

  it("round-trips through minorToDecimal for any amount (property)", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.constantFrom("CNY", "JPY", "KWD"), (minor, cur) => {
        expect(parseAmountToMinor(minorToDecimal(minor, cur), cur)).toBe(minor);
      }),
    );
  });
});

describe("formatMoney", () => {
  it("formats exactly, in both languages", () => {
    expect(formatMoney(123456789n, "CNY", "en")).toBe("CN¥1,234,567.89");
    expect(formatMoney(123456789n, "CNY", "zh-CN")).toBe("¥1,234,567.89");
    // Beyond 2^53 the digits must survive (no float on the way).
    expect(formatMoney(9007199254740993n, "JPY", "en")).toBe("¥9,007,199,254,740,993");
  });
});

describe("splitLargestRemainder", () => {
  it("splits 50 units by weights 10/20/50 into 6/13/31 (DESIGN §3 fair share)", () => {
    expect(splitLargestRemainder(50n, [10n, 20n, 50n])).toEqual([6n, 13n, 31n]);
  });

  it("splits 100.00 three ways as 33.34/33.33/33.33", () => {
    expect(splitLargestRemainder(10000n, [1n, 1n, 1n])).toEqual([3334n, 3333n, 3333n]);
  });

  it("always sums to the whole and stays within one unit of the exact share (property)", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }),
        fc.array(fc.bigInt({ min: 0n, max: 10n ** 6n }), { minLength: 1, maxLength: 12 }).filter((w) => w.some((x) => x > 0n)),
        (total, weights) => {
          const parts = splitLargestRemainder(total, weights);
          expect(parts.reduce((a, b) => a + b, 0n)).toBe(total);
          const sum = weights.reduce((a, b) => a + b, 0n);
          parts.forEach((p, i) => {
            const exactTimesSum = total * weights[i]!;
            const diff = p * sum - exactTimesSum;
            expect(diff < 0n ? -diff : diff).toBeLessThan(sum);
          });
        },
      ),
    );
  });

  it("refuses weights that cannot split", () => {
    expect(() => splitLargestRemainder(10n, [])).toThrow();
    expect(() => splitLargestRemainder(10n, [0n, 0n])).toThrow();
    expect(() => splitLargestRemainder(10n, [-1n, 2n])).toThrow();
  });
});
