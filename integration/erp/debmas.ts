// ERP dealer (customer) master in, as SAP DEBMAS IDoc XML or our JSON REST variant (issue 3 §7):
// one normalised record per dealer for the domain to create or update dealer organisations.
// The dealer is identified by the ERP customer number (KUNNR) exactly as sent, leading zeros
// kept; mapping it to one of our dealers is the partner-id mapping table's job, not the parser's.
//
// Decisions: the credit limit comes from E1KNKKM (credit management per credit control area
// KKBER: KLIMK) with its currency in WAERS of the same segment — our ERP's extension; without it
// we fall back to the first sales area's currency and warn. SORTL (search term) carries our dealer
// code ("D031") as a hint for people; it never decides the mapping.
import { z } from "zod";
import { parseXmlSafely, type SafeXmlOptions, type XmlElement } from "../xml/safe-xml";
import { FieldError, IssueCollector } from "../common/issues";
import { parseJsonSafely, zodIssues } from "../common/json";
import { sapAmountToMinor } from "../common/sap";
import { decimalToMinor, isoDate } from "../common/values";
import type { DocumentSummary, ParseResult } from "../common/summary";
import { field, readIdocs, sapFunction, sapLanguage, segment, segments, type IdocControl, type SapFunction } from "./idoc";

export interface DealerSalesArea {
  salesOrganization: string;
  distributionChannel: string;
  division: string;
  currency: string | null;
  salesOffice: string | null;
  /** SAP order block code (AUFSD) for this sales area; null when orders may be placed. */
  orderBlock: string | null;
}

export interface DealerCompanyCode {
  companyCode: string;
  reconciliationAccount: string | null;
  paymentTerms: string | null;
}

export interface DealerMasterRecord {
  /** ERP customer number (KUNNR), exactly as sent. */
  customerNumber: string;
  /** Our dealer code when the ERP carries it (SORTL / dealerCode); a hint, not the mapping. */
  dealerCode: string | null;
  action: SapFunction;
  name: string;
  nameLatin: string | null;
  street: string | null;
  postalCode: string | null;
  city: string | null;
  /** SAP region code (REGIO), e.g. "330" for Zhejiang in a CN system. */
  region: string | null;
  /** ISO 3166-1 alpha-2 */
  country: string;
  phone: string | null;
  /** ISO 639-1 */
  language: string | null;
  taxNumber: string | null;
  accountGroup: string | null;
  deleted: boolean;
  /** Central order block (AUFSD on the general data), or "blocked" from JSON. */
  orderBlock: string | null;
  paymentTerms: string | null;
  creditLimit: { controlArea: string | null; currency: string; amountMinor: string } | null;
  salesAreas: DealerSalesArea[];
  companyCodes: DealerCompanyCode[];
}

export interface DealerMasterDocument {
  format: "idoc" | "json";
  /** IDoc control records (IDoc XML only). */
  idocs: IdocControl[];
  /** The sender's message id (JSON only). */
  messageId: string | null;
  dealers: DealerMasterRecord[];
}

export type DealerMasterResult = ParseResult<DocumentSummary, DealerMasterDocument>;

/** Reads a dealer master message; XML or JSON told apart by content. */
export function parseDealerMaster(input: string | Uint8Array, opts: SafeXmlOptions = {}): DealerMasterResult {
  return looksLikeJson(input) ? parseDealerMasterJson(input) : parseDebmasXml(input, opts);
}

function looksLikeJson(input: string | Uint8Array): boolean {
  const head = typeof input === "string" ? input.slice(0, 64) : Buffer.from(input.subarray(0, 64)).toString("utf8");
  return /^\ufeff?\s*[{[]/.test(head);
}

// ---------------------------------------------------------------------------------------------
// IDoc XML

export function parseDebmasXml(input: string | Uint8Array, opts: SafeXmlOptions = {}): DealerMasterResult {
  const { root } = parseXmlSafely(input, opts);
  const issues = new IssueCollector();
  const idocs = issues.try(() => readIdocs(root)) ?? [];
  const dealers: DealerMasterRecord[] = [];

  for (const idoc of idocs) {
    const at = idocs.length > 1 ? `IDOC[${idoc.index}]/` : "";
    if (idoc.control.messageType && idoc.control.messageType !== "DEBMAS") {
      issues.error(`${at}EDI_DC40/MESTYP`, "message_type", `${at}EDI_DC40/MESTYP is "${idoc.control.messageType}", expected DEBMAS`);
      continue;
    }
    const customers = segments(idoc.element, "E1KNA1M");
    if (customers.length === 0) issues.error(`${at}E1KNA1M`, "required", `${at}E1KNA1M (customer general data) is missing`);
    for (const kna1 of customers) {
      const record = readCustomer(kna1, at, issues);
      if (record) dealers.push(record);
    }
  }

  const summary = dealerSummary(dealers, idocs[0]?.control.docnum ?? null, idocs[0]?.control.created ?? null);
  issues.throwIfErrors(summary);
  return { summary, document: { format: "idoc", idocs: idocs.map((i) => i.control), messageId: null, dealers }, warnings: issues.warnings };
}

function readCustomer(kna1: XmlElement, at: string, issues: IssueCollector): DealerMasterRecord | undefined {
  const kunnr = field(kna1, "KUNNR");
  const where = `${at}E1KNA1M${kunnr ? `[KUNNR=${kunnr}]` : ""}`;
  let ok = true;
  if (!kunnr) {
    issues.error(`${where}/KUNNR`, "required", `${where}/KUNNR (customer number) is missing`);
    ok = false;
  } else if (!/^[0-9A-Z]{1,10}$/.test(kunnr)) {
    issues.error(`${where}/KUNNR`, "format", `${where}/KUNNR "${kunnr}" must be 1 to 10 digits or capital letters`);
    ok = false;
  }
  const name = field(kna1, "NAME1");
  if (!name) {
    issues.error(`${where}/NAME1`, "required", `${where}/NAME1 (name) is missing`);
    ok = false;
  }
  const country = field(kna1, "LAND1");
  if (!country || !/^[A-Z]{2}$/.test(country)) {
    issues.error(`${where}/LAND1`, country ? "format" : "required", `${where}/LAND1 (country) must be an ISO 3166 two-letter code${country ? `, got "${country}"` : ""}`);
    ok = false;
  }
  const msgfn = field(kna1, "MSGFN");
  const action = sapFunction(msgfn);
  if (msgfn && !action) issues.warn(`${where}/MSGFN`, "enum", `${where}/MSGFN "${msgfn}" is not a known SAP function; read as "replace"`);

  const salesAreas: DealerSalesArea[] = segments(kna1, "E1KNVVM").map((vv) => ({
    salesOrganization: field(vv, "VKORG") ?? "",
    distributionChannel: field(vv, "VTWEG") ?? "",
    division: field(vv, "SPART") ?? "",
    currency: field(vv, "WAERS") ?? null,
    salesOffice: field(vv, "VKBUR") ?? null,
    orderBlock: field(vv, "AUFSD") ?? null,
  }));
  const companyCodes: DealerCompanyCode[] = segments(kna1, "E1KNB1M").map((b1) => ({
    companyCode: field(b1, "BUKRS") ?? "",
    reconciliationAccount: field(b1, "AKONT") ?? null,
    paymentTerms: field(b1, "ZTERM") ?? null,
  }));

  let creditLimit: DealerMasterRecord["creditLimit"] = null;
  const kkm = segment(kna1, "E1KNKKM");
  const klimk = field(kkm, "KLIMK");
  if (kkm && klimk !== undefined) {
    let currency = field(kkm, "WAERS");
    if (!currency) {
      currency = salesAreas.find((s) => s.currency)?.currency ?? undefined;
      if (currency) {
        issues.warn(`${where}/E1KNKKM/WAERS`, "required", `${where}/E1KNKKM/WAERS is missing; the credit limit is read in ${currency}, the currency of the first sales area`);
      } else {
        issues.error(`${where}/E1KNKKM/WAERS`, "required", `${where}/E1KNKKM/WAERS (credit limit currency) is missing`);
      }
    }
    if (currency) {
      const cur = currency;
      const minor = issues.try(() => sapAmountToMinor(klimk, cur, `${where}/E1KNKKM/KLIMK`));
      if (minor !== undefined) {
        if (minor < 0n) issues.error(`${where}/E1KNKKM/KLIMK`, "negative", `${where}/E1KNKKM/KLIMK must not be negative`);
        creditLimit = { controlArea: field(kkm, "KKBER") ?? null, currency: cur, amountMinor: minor.toString() };
      }
    }
  }

  if (!ok || !kunnr || !name || !country) return undefined;
  return {
    customerNumber: kunnr,
    dealerCode: field(kna1, "SORTL") ?? null,
    action: action ?? "replace",
    name,
    nameLatin: field(kna1, "NAME2") ?? null,
    street: field(kna1, "STRAS") ?? null,
    postalCode: field(kna1, "PSTLZ") ?? null,
    city: field(kna1, "ORT01") ?? null,
    region: field(kna1, "REGIO") ?? null,
    country,
    phone: field(kna1, "TELF1") ?? null,
    language: sapLanguage(field(kna1, "SPRAS"), field(kna1, "SPRAS_ISO")) ?? null,
    taxNumber: field(kna1, "STCD1") ?? null,
    accountGroup: field(kna1, "KTOKD") ?? null,
    deleted: field(kna1, "LOEVM") === "X" || action === "delete",
    orderBlock: field(kna1, "AUFSD") ?? null,
    paymentTerms: companyCodes.find((c) => c.paymentTerms)?.paymentTerms ?? null,
    creditLimit,
    salesAreas,
    companyCodes,
  };
}

// ---------------------------------------------------------------------------------------------
// JSON REST variant

const code = (max: number) => z.string().regex(new RegExp(`^[0-9A-Z]{1,${max}}$`), `must be 1 to ${max} digits or capital letters`);
const decimalText = z.string().regex(/^\d+(\.\d+)?$/, 'must be a decimal amount as a string, e.g. "5000000.00"');
const optionalText = z.string().trim().min(1).nullish();

/**
 * Our JSON dealer master (POST /api/integration/erp/dealer-master, or the daily pull):
 * customer numbers and amounts are strings so nothing drops a leading zero or a decimal.
 */
export const dealerMasterJsonSchema = z.object({
  messageId: z.string().min(1).max(100),
  sentAt: z.string().datetime({ offset: true }),
  dealers: z
    .array(
      z.object({
        customerNumber: code(10),
        dealerCode: optionalText,
        name: z.string().trim().min(1).max(200),
        nameLatin: optionalText,
        address: z.object({
          street: optionalText,
          postalCode: optionalText,
          city: optionalText,
          region: optionalText,
          country: z.string().regex(/^[A-Z]{2}$/, "must be an ISO 3166 two-letter code"),
        }),
        phone: optionalText,
        email: z.string().email().nullish(),
        language: z.string().regex(/^[a-z]{2}$/, "must be an ISO 639-1 code such as zh or en").nullish(),
        taxNumber: optionalText,
        accountGroup: optionalText,
        blocked: z.boolean().default(false),
        deleted: z.boolean().default(false),
        paymentTerms: optionalText,
        creditLimit: z
          .object({
            amount: decimalText,
            currency: z.string().regex(/^[A-Z]{3}$/, "must be an ISO 4217 code"),
            controlArea: optionalText,
          })
          .nullish(),
        salesAreas: z
          .array(
            z.object({
              salesOrganization: code(4),
              distributionChannel: code(2),
              division: code(2),
              currency: z.string().regex(/^[A-Z]{3}$/).nullish(),
              salesOffice: optionalText,
              orderBlock: optionalText,
            }),
          )
          .default([]),
      }),
    )
    .min(1, "must list at least one dealer"),
});

export type DealerMasterJson = z.infer<typeof dealerMasterJsonSchema>;

export function parseDealerMasterJson(input: string | Uint8Array): DealerMasterResult {
  const parsed = dealerMasterJsonSchema.safeParse(parseJsonSafely(input));
  const issues = new IssueCollector();
  if (!parsed.success) {
    issues.errors.push(...zodIssues(parsed.error));
    issues.throwIfErrors();
    throw new Error("unreachable");
  }
  const json = parsed.data;
  const dealers: DealerMasterRecord[] = json.dealers.map((d, i) => {
    let creditLimit: DealerMasterRecord["creditLimit"] = null;
    if (d.creditLimit) {
      const limit = d.creditLimit;
      const minor = issues.try(() => decimalToMinor(limit.amount, limit.currency, `dealers.${i}.creditLimit.amount`));
      if (minor !== undefined) creditLimit = { controlArea: limit.controlArea ?? null, currency: limit.currency, amountMinor: minor.toString() };
    }
    return {
      customerNumber: d.customerNumber,
      dealerCode: d.dealerCode ?? null,
      action: d.deleted ? "delete" : "replace",
      name: d.name,
      nameLatin: d.nameLatin ?? null,
      street: d.address.street ?? null,
      postalCode: d.address.postalCode ?? null,
      city: d.address.city ?? null,
      region: d.address.region ?? null,
      country: d.address.country,
      phone: d.phone ?? null,
      language: d.language ?? null,
      taxNumber: d.taxNumber ?? null,
      accountGroup: d.accountGroup ?? null,
      deleted: d.deleted,
      orderBlock: d.blocked ? "blocked" : null,
      paymentTerms: d.paymentTerms ?? null,
      creditLimit,
      salesAreas: d.salesAreas.map((s) => ({
        salesOrganization: s.salesOrganization,
        distributionChannel: s.distributionChannel,
        division: s.division,
        currency: s.currency ?? null,
        salesOffice: s.salesOffice ?? null,
        orderBlock: s.orderBlock ?? null,
      })),
      companyCodes: [],
    };
  });
  const seen = new Set<string>();
  json.dealers.forEach((d, i) => {
    if (seen.has(d.customerNumber)) {
      issues.error(`dealers.${i}.customerNumber`, "duplicate", `dealers.${i}.customerNumber "${d.customerNumber}" appears twice in one message`);
    }
    seen.add(d.customerNumber);
  });
  const summary = dealerSummary(dealers, json.messageId, safeDate(json.sentAt));
  issues.throwIfErrors(summary);
  return { summary, document: { format: "json", idocs: [], messageId: json.messageId, dealers }, warnings: issues.warnings };
}

function safeDate(value: string): string | null {
  try {
    return isoDate(value, "sentAt");
  } catch (e) {
    if (e instanceof FieldError) return null;
    throw e;
  }
}

function dealerSummary(dealers: readonly DealerMasterRecord[], documentNumber: string | null, documentDate: string | null): DocumentSummary {
  return {
    documentType: "dealer_master",
    documentNumber,
    documentDate,
    partnerId: dealers.length === 1 ? dealers[0]!.customerNumber : null,
    lineCount: dealers.length,
  };
}
