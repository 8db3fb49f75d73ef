// Money is integer minor units (bigint) with an ISO 4217 code; never a float
// (docs/decisions/003-money-as-integers.md). Pure functions: the UI imports them too.

/** Minor-unit exponent per ISO 4217; currencies not listed have 2. */
const exponents: Record<string, number> = {
  JPY: 0, KRW: 0, VND: 0, CLP: 0, ISK: 0, UGX: 0, XAF: 0, XOF: 0, PYG: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
};

export const currencies = ["CNY", "EUR", "USD", "CHF", "JPY", "HKD", "GBP", "KWD"] as const;

export function currencyExponent(currency: string): number {
  return exponents[currency.toUpperCase()] ?? 2;
}

export class MoneyFormatError extends Error {
  constructor(
    public rule: "format" | "too_many_decimals" | "too_large",
    message: string,
  ) {
    super(message);
  }
}

const MAX_MINOR = 10n ** 17n; // far beyond any credit limit or invoice; keeps bigint → jsonb safe

/**
 * Parses a decimal amount as typed or sent ("1,250.50", "1250.5", "150.00-" with SAP's trailing
 * minus, "-3") into minor units, exactly: no float ever holds the value. More decimals than the
 * currency has is an error, not a rounding.
 */
export function parseAmountToMinor(text: string, currency: string): bigint {
  let s = text.trim().replace(/[,\s_]/g, "");
  let negative = false;
  if (s.endsWith("-")) {
    negative = true;
    s = s.slice(0, -1);
  }
  if (s.startsWith("-")) {
    negative = !negative;
    s = s.slice(1);
  } else if (s.startsWith("+")) {
    s = s.slice(1);
  }
  const match = /^(\d*)(?:\.(\d*))?$/.exec(s);
  if (!match || (match[1] === "" && (match[2] ?? "") === "")) {
    throw new MoneyFormatError("format", `"${text}" is not a decimal amount`);
  }
  const exp = currencyExponent(currency);
  const intPart = match[1] || "0";
  const frac = (match[2] ?? "").replace(/0+$/, "");
  if (frac.length > exp) {
    throw new MoneyFormatError("too_many_decimals", `"${text}" has more than ${exp} decimals for ${currency}`);
  }
  const minor = BigInt(intPart) * 10n ** BigInt(exp) + BigInt(frac.padEnd(exp, "0") || "0");
  if (minor >= MAX_MINOR) throw new MoneyFormatError("too_large", `"${text}" is too large`);
  return negative ? -minor : minor;
}

/** Plain decimal text of a minor amount ("1250.50"), for inputs and CSV. */
export function minorToDecimal(minor: bigint, currency: string): string {
  const exp = currencyExponent(currency);
  const negative = minor < 0n;
  const abs = negative ? -minor : minor;
  const digits = abs.toString().padStart(exp + 1, "0");
  const whole = exp === 0 ? digits : digits.slice(0, -exp);
  const frac = exp === 0 ? "" : `.${digits.slice(-exp)}`;
  return `${negative ? "-" : ""}${whole}${frac}`;
}

/** Display text with grouping and the currency, in the reader's language. */
export function formatMoney(minor: bigint | string, currency: string, locale: string): string {
  const value = typeof minor === "string" ? BigInt(minor) : minor;
  const exp = currencyExponent(currency);
  const decimal = minorToDecimal(value, currency);
  // Intl accepts a decimal string without passing through a float (ES2023 "string numeric literal").
  return new Intl.NumberFormat(locale, {
    style: "currency",
    currency,
    minimumFractionDigits: exp,
    maximumFractionDigits: exp,
  }).format(decimal as unknown as number);
}

/**
 * Splits `total` into parts proportional to `weights` with largest-remainder rounding: the parts
 * always sum to the total exactly (DESIGN §3, "Splits use largest-remainder allocation").
 * Ties go to the earlier weight, so the result is deterministic.
 */
export function splitLargestRemainder(total: bigint, weights: readonly bigint[]): bigint[] {
  if (weights.length === 0) throw new Error("splitLargestRemainder needs at least one weight");
  if (weights.some((w) => w < 0n)) throw new Error("weights must not be negative");
  const sum = weights.reduce((a, b) => a + b, 0n);
  if (sum === 0n) throw new Error("weights must not all be zero");
  const negative = total < 0n;
  const abs = negative ? -total : total;
  const parts = weights.map((w) => (abs * w) / sum);
  const remainders = weights.map((w, i) => ({ i, r: (abs * w) % sum }));
  let left = abs - parts.reduce((a, b) => a + b, 0n);
  remainders.sort((a, b) => (b.r > a.r ? 1 : b.r < a.r ? -1 : a.i - b.i));
  for (const { i } of remainders) {
    if (left === 0n) break;
    parts[i] = parts[i]! + 1n;
    left -= 1n;
  }
  return negative ? parts.map((p) => -p) : parts;
}
