// Vehicle identification numbers (ISO 3779) and the check digit at position 9 (49 CFR 565.15 in
// North America; China's GB 16735 uses the same rule). Pure: the UI may import it.
//
// Decision: `isValidVin` requires the check digit. Our own production (MES) always carries it,
// so there a wrong check digit is an error. European VINs are not required to carry one
// (WP0ZZZ99ZTS392124, a Porsche, has "Z" at position 9 and fails): `checkVin` tells such a
// structurally sound VIN apart (`rule: "check_digit"`), so feeds with third-party vehicles (dealer
// stock from a DMS) can store it with a warning instead of rejecting it.

/** Letters I, O and Q are never used (confusable with 1 and 0). */
const VIN_SHAPE = /^[A-HJ-NPR-Z0-9]{17}$/;

const TRANSLITERATION: Readonly<Record<string, number>> = {
  A: 1, B: 2, C: 3, D: 4, E: 5, F: 6, G: 7, H: 8,
  J: 1, K: 2, L: 3, M: 4, N: 5, P: 7, R: 9,
  S: 2, T: 3, U: 4, V: 5, W: 6, X: 7, Y: 8, Z: 9,
};

const WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2] as const;

export type VinCheck =
  | { ok: true }
  | { ok: false; rule: "length" | "characters"; message: string }
  | { ok: false; rule: "check_digit"; expected: string; actual: string; message: string };

/** The check digit a 17-character VIN of valid characters should carry ("0"-"9" or "X"). */
export function vinCheckDigit(vin: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const c = vin[i]!;
    const value = c >= "0" && c <= "9" ? c.charCodeAt(0) - 48 : TRANSLITERATION[c];
    if (value === undefined) throw new Error(`"${c}" is not a VIN character`);
    sum += value * WEIGHTS[i]!;
  }
  const remainder = sum % 11;
  return remainder === 10 ? "X" : String(remainder);
}

/** Explains what is wrong with a VIN; exact input, no trimming or case folding. */
export function checkVin(vin: string): VinCheck {
  if (vin.length !== 17) {
    return { ok: false, rule: "length", message: `VIN "${vin}" must have 17 characters (has ${vin.length})` };
  }
  if (!VIN_SHAPE.test(vin)) {
    return {
      ok: false,
      rule: "characters",
      message: `VIN "${vin}" may contain only digits and capital letters other than I, O and Q`,
    };
  }
  const expected = vinCheckDigit(vin);
  const actual = vin[8]!;
  if (actual !== expected) {
    return {
      ok: false,
      rule: "check_digit",
      expected,
      actual,
      message: `VIN "${vin}" has check digit "${actual}" at position 9, expected "${expected}"`,
    };
  }
  return { ok: true };
}

/** 17 characters, no I/O/Q, and a correct check digit at position 9. */
export function isValidVin(vin: string): boolean {
  return checkVin(vin).ok;
}
