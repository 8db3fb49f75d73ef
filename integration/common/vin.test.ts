import { describe, expect, it } from "vitest";
import { checkVin, isValidVin, vinCheckDigit } from "./vin";

describe("isValidVin", () => {
  it.each([
    "1M8GDM9AXKP042788", // check digit X (remainder 10)
    "1HGCM82633A004352", // Honda Accord, check digit 3
    "11111111111111111", // the classic all-ones test VIN: check digit 1
    "JH4KA7561PC008269", // Acura Legend (Japan-built, WMI JH4), check digit 1
  ])("accepts the real VIN %s", (vin) => {
    expect(isValidVin(vin)).toBe(true);
  });

  it("refuses a European VIN without a check digit, but says it is only the check digit", () => {
    // WP0ZZZ99ZTS392124 (Porsche, EU) carries "Z" at position 9: valid structure, no check digit.
    expect(isValidVin("WP0ZZZ99ZTS392124")).toBe(false);
    expect(checkVin("WP0ZZZ99ZTS392124")).toMatchObject({ ok: false, rule: "check_digit", actual: "Z" });
  });

  it.each([
    ["1HGCM82643A004352", "check_digit"], // one digit changed at position 9
    ["1HGCM82633A004353", "check_digit"], // one digit changed elsewhere
    ["1HGCM82633A00435", "length"],
    ["1HGCM82633A0043522", "length"],
    ["", "length"],
    ["1HGCM82633A0O4352", "characters"], // letter O
    ["1HGCM82633I004352", "characters"], // letter I
    ["1HGCM82633Q004352", "characters"], // letter Q
    ["1hgcm82633a004352", "characters"], // lower case is not silently accepted
    ["1HGCM8263 A004352", "characters"],
  ])("refuses %s (%s)", (vin, rule) => {
    expect(isValidVin(vin)).toBe(false);
    expect(checkVin(vin)).toMatchObject({ ok: false, rule });
  });

  it("names the expected check digit", () => {
    expect(vinCheckDigit("1HGCM82633A004352")).toBe("3");
    expect(vinCheckDigit("1M8GDM9AXKP042788")).toBe("X");
    const result = checkVin("1HGCM82643A004352");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain('expected "3"');
  });
});
