// Exact readers for the values inbound messages carry as text: decimal amounts to integer minor
// units, ISO dates, currency codes. Every failure is a FieldError naming the field and the rule.
// Never Number()/parseFloat on an amount (DESIGN §5, docs/decisions/003-money-as-integers.md).
import { MoneyFormatError, parseAmountToMinor } from "../../portal/domain/money";
import { FieldError } from "./issues";

/** xsd:decimal as UBL and ISO 20022 write it: optional sign, digits, optional fraction; no grouping. */
const XSD_DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

/**
 * A decimal amount (UBL, ISO 20022, our JSON) to minor units of `currency`. More decimals than
 * the currency has (0.396 EUR, 1.5 JPY, 1.2345 KWD) is an error, never a rounding.
 */
export function decimalToMinor(text: string | undefined, currency: string, field: string): bigint {
  const value = (text ?? "").trim();
  if (value === "") throw new FieldError(field, "required", `${field} is missing`);
  if (!XSD_DECIMAL.test(value)) {
    throw new FieldError(field, "amount", `${field} "${value}" is not a decimal amount (digits, optional sign and "." fraction)`);
  }
  return toMinor(value, currency, field);
}

export function toMinor(value: string, currency: string, field: string): bigint {
  try {
    return parseAmountToMinor(value, currency);
  } catch (e) {
    if (e instanceof MoneyFormatError) {
      if (e.rule === "too_many_decimals") {
        throw new FieldError(field, "too_many_decimals", `${field} "${value}" has more decimals than ${currency} allows`);
      }
      throw new FieldError(field, e.rule === "too_large" ? "too_large" : "amount", `${field} "${value}": ${e.message}`);
    }
    throw e;
  }
}

const ISO_CURRENCY = /^[A-Z]{3}$/;

export function currencyCode(text: string | undefined, field: string): string {
  const value = (text ?? "").trim();
  if (value === "") throw new FieldError(field, "required", `${field} (currency) is missing`);
  if (!ISO_CURRENCY.test(value)) throw new FieldError(field, "currency", `${field} "${value}" is not an ISO 4217 currency code`);
  return value;
}

/** True when y-m-d is a real calendar day (leap years included). */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const days = [31, year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return day <= days[month - 1]!;
}

/**
 * An ISO date "YYYY-MM-DD" (UBL cbc:IssueDate, camt Dt). A date-time (camt DtTm,
 * "2020-06-18T20:00:00") gives its date part as written, without converting time zones.
 */
export function isoDate(text: string | undefined, field: string): string {
  const value = (text ?? "").trim();
  if (value === "") throw new FieldError(field, "required", `${field} is missing`);
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:\d{2})?$/.exec(value);
  if (!m || !isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]))) {
    throw new FieldError(field, "date", `${field} "${value}" is not a valid date (YYYY-MM-DD)`);
  }
  return `${m[1]}-${m[2]}-${m[3]}`;
}

/** US dates as DMS exports write them, "MM/DD/YYYY", to "YYYY-MM-DD". */
export function usDate(text: string | undefined, field: string): string {
  const value = (text ?? "").trim();
  if (value === "") throw new FieldError(field, "required", `${field} is missing`);
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(value);
  if (!m || !isCalendarDate(Number(m[3]), Number(m[1]), Number(m[2]))) {
    throw new FieldError(field, "date", `${field} "${value}" is not a valid date (MM/DD/YYYY)`);
  }
  return `${m[3]}-${m[1]}-${m[2]}`;
}
