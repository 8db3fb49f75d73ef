// SAP IDoc field conventions (INVOIC02, DEBMAS, MATMAS…): amounts are CHAR fields with "." as the
// decimal point, no grouping, optional blanks, and a trailing minus for negatives ("150.00-");
// dates are DATS "YYYYMMDD" with "00000000" (or blanks) meaning "no date"; keys such as KUNNR and
// MATNR are kept exactly as sent, leading zeros included ("0000012345").
import { isCalendarDate, toMinor } from "./values";
import { FieldError } from "./issues";

const SAP_AMOUNT = /^-?(?:\d+(?:\.\d*)?|\.\d+)-?$/;

/** SAP amount text to minor units of `currency` (exponent per ISO 4217: JPY 0, KWD 3). */
export function sapAmountToMinor(text: string | undefined, currency: string, field: string): bigint {
  const value = (text ?? "").trim();
  if (value === "") throw new FieldError(field, "required", `${field} is missing`);
  if (!SAP_AMOUNT.test(value) || (value.startsWith("-") && value.endsWith("-"))) {
    throw new FieldError(field, "amount", `${field} "${value}" is not an SAP amount (digits, "." decimals, optional trailing minus)`);
  }
  return toMinor(value, currency, field);
}

/** SAP DATS "YYYYMMDD" to "YYYY-MM-DD"; "00000000" and blanks are "no date" (null). */
export function sapDate(text: string | undefined, field: string): string | null {
  const value = (text ?? "").trim();
  if (value === "" || value === "00000000") return null;
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  if (!m || !isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]))) {
    throw new FieldError(field, "date", `${field} "${value}" is not a valid SAP date (YYYYMMDD)`);
  }
  return `${m[1]}-${m[2]}-${m[3]}`;
}

/** A required SAP date: like sapDate, but "no date" is an error. */
export function requiredSapDate(text: string | undefined, field: string): string {
  const date = sapDate(text, field);
  if (date === null) throw new FieldError(field, "required", `${field} is missing`);
  return date;
}

/** An SAP key as sent: surrounding blanks removed, leading zeros kept; never a number. */
export function sapKey(text: string | undefined): string | undefined {
  const value = text?.trim();
  return value === undefined || value === "" ? undefined : value;
}
