// Bank statements in: ISO 20022 camt.053 (BkToCstmrStmt, end-of-day statement) and camt.054
// (BkToCstmrDbtCdtNtfctn, debit/credit notification), versions .001.02, .001.04 and .001.08
// (issue 5 §2). Read at transaction level: every entry (Ntry) is booked by the bank with one
// amount; its transactions (NtryDtls/TxDtls) are what the matching engine applies — one entry may
// be a batch of many customer payments. An entry without TxDtls counts as one transaction.
//
// What each field means here:
//   direction         CdtDbtInd of the transaction, else of its entry (CRDT = money in)
//   reversal          RvslInd of the entry: the bank takes back an earlier booking
//   return            TxDtls/RtrInf (a returned payment, with its reason code)
//   bank fee          bank transaction code family/sub-family CHRG, or domain ACMT: not a customer payment
//   remittance        RmtInf/Ustrd (free text), Strd/CdtrRefInf/Ref (SCOR, QRR, ISR), Strd/RfrdDocInf/Nb
//   references        EndToEndId, AcctSvcrRef, UETR, InstrId, TxId, PmtInfId, MndtId
//   debtor            RltdPties/Dbtr/Nm (≤ .07) or Dbtr/Pty/Nm (.08+), DbtrAcct/Id/IBAN or Othr/Id
// Summary totals are the sums of the ENTRY amounts (Ntry/Amt) by CdtDbtInd, in minor units; an
// amount with more decimals than its currency allows is an error, never a rounding.
import { attr, child, children, parseXmlSafely, path, pathAll, text, type SafeXmlOptions, type XmlElement } from "../xml/safe-xml";
import { IssueCollector } from "../common/issues";
import { currencyCode, decimalToMinor, isoDate } from "../common/values";
import type { BankStatementSummary, ParseResult } from "../common/summary";

const CAMT_NS = /^urn:iso:std:iso:20022:tech:xsd:camt\.(053|054)\.001\.(\d{2})$/;
/** Versions with samples and fixtures in our tests; others are read with a warning. */
export const TESTED_CAMT_VERSIONS = ["02", "04", "08"] as const;

export type Direction = "credit" | "debit";

export interface BankTransactionCode {
  domain: string | null;
  family: string | null;
  subFamily: string | null;
  proprietary: string | null;
}

export interface BankParty {
  name: string | null;
  iban: string | null;
  /** Account id other than an IBAN (Othr/Id), e.g. a Chinese account number. */
  accountId: string | null;
}

export interface BankTransaction {
  /** Position within its entry, 1-based. */
  index: number;
  /** Unsigned, in minor units of `currency`; null when the bank sent no amount for the transaction. */
  amountMinor: string | null;
  currency: string | null;
  direction: Direction;
  /** The entry is a reversal (RvslInd): it undoes an earlier booking. */
  reversal: boolean;
  /** RtrInf reason code when the transaction returns an earlier payment. */
  returnReason: string | null;
  isBankFee: boolean;
  references: {
    endToEndId: string | null;
    accountServicerReference: string | null;
    uetr: string | null;
    instructionId: string | null;
    transactionId: string | null;
    paymentInformationId: string | null;
    mandateId: string | null;
    proprietary: { type: string | null; reference: string }[];
  };
  remittance: {
    unstructured: string[];
    /** Strd/CdtrRefInf/Ref with its type (SCOR, QRR, or a proprietary name such as "ISR Reference"). */
    creditorReferences: { reference: string; type: string | null }[];
    /** Strd/RfrdDocInf/Nb: the invoice numbers the payer names. */
    referredDocumentNumbers: string[];
    additional: string[];
  };
  debtor: BankParty;
  creditor: BankParty;
  bankTransactionCode: BankTransactionCode;
  additionalInfo: string | null;
}

export interface BankEntry {
  /** Position within its statement, 1-based. */
  index: number;
  amountMinor: string;
  currency: string;
  direction: Direction;
  reversal: boolean;
  /** BOOK, PDNG, INFO… */
  status: string | null;
  bookingDate: string | null;
  valueDate: string | null;
  entryReference: string | null;
  accountServicerReference: string | null;
  bankTransactionCode: BankTransactionCode;
  isBankFee: boolean;
  /** Btch/NbOfTxs as declared by the bank. */
  batchCount: number | null;
  additionalInfo: string | null;
  transactions: BankTransaction[];
}

export interface BankStatement {
  /** Stmt/Id or Ntfctn/Id */
  id: string;
  electronicSequence: string | null;
  createdAt: string | null;
  account: { iban: string | null; accountId: string | null; currency: string | null; owner: string | null };
  /** OPBD/CLBD (camt.053), signed minor units; null when not sent. */
  openingBalance: { amountMinor: string; currency: string; date: string | null } | null;
  closingBalance: { amountMinor: string; currency: string; date: string | null } | null;
  entries: BankEntry[];
}

export interface BankStatementDocument {
  messageType: "camt.053" | "camt.054";
  /** "001.04" */
  version: string;
  messageId: string | null;
  createdAt: string | null;
  statements: BankStatement[];
  /** Entry totals per currency, unsigned minor units. */
  totalsByCurrency: Record<string, { creditMinor: string; debitMinor: string }>;
}

export type BankStatementResult = ParseResult<BankStatementSummary, BankStatementDocument>;

export class UnsupportedBankFormatError extends Error {
  override readonly name = "UnsupportedBankFormatError";
}

export function parseCamt(input: string | Uint8Array, opts: SafeXmlOptions = {}): BankStatementResult {
  const { root } = parseXmlSafely(input, opts);
  const match = CAMT_NS.exec(root.ns);
  if (root.local !== "Document" || !match) {
    throw new UnsupportedBankFormatError(
      `<${root.qname}>${root.ns ? ` in namespace ${root.ns}` : ""} is not an ISO 20022 camt.053 or camt.054 document`,
    );
  }
  const messageType = match[1] === "053" ? "camt.053" : "camt.054";
  const version = `001.${match[2]}`;
  const issues = new IssueCollector();
  if (!(TESTED_CAMT_VERSIONS as readonly string[]).includes(match[2]!)) {
    issues.warn("Document/@xmlns", "version", `${messageType}.${version} is read like the tested versions (.001.02, .001.04, .001.08)`);
  }

  const ns = root.ns;
  const body = child(root, ns, messageType === "camt.053" ? "BkToCstmrStmt" : "BkToCstmrDbtCdtNtfctn");
  const blockName = messageType === "camt.053" ? "Stmt" : "Ntfctn";
  if (!body) issues.error(`Document/${messageType === "camt.053" ? "BkToCstmrStmt" : "BkToCstmrDbtCdtNtfctn"}`, "required", "The message body is missing");
  const blocks = children(body, ns, blockName);
  if (body && blocks.length === 0) issues.error(`${blockName}`, "required", `The message holds no ${blockName}`);

  const statements = blocks.map((block, i) => readStatement(block, `${blockName}[${i + 1}]`, issues));

  const totals: Record<string, { credit: bigint; debit: bigint }> = {};
  let entryCount = 0;
  let transactionCount = 0;
  for (const s of statements) {
    for (const e of s.entries) {
      entryCount++;
      transactionCount += e.transactions.length;
      const t = (totals[e.currency] ??= { credit: 0n, debit: 0n });
      if (e.direction === "credit") t.credit += BigInt(e.amountMinor);
      else t.debit += BigInt(e.amountMinor);
    }
  }
  const currencies = Object.keys(totals);
  if (currencies.length > 1) {
    issues.warn("Ntry/Amt/@Ccy", "currency", `Entries come in ${currencies.join(", ")}: the summary has no single total; see totals per currency`);
  }
  const only = currencies.length === 1 ? totals[currencies[0]!]! : undefined;
  const created = text(path(body, ["GrpHdr", "CreDtTm"]))?.trim();
  const summary: BankStatementSummary = {
    documentType: messageType === "camt.053" ? "bank_statement" : "bank_notification",
    documentNumber: text(path(body, ["GrpHdr", "MsgId"]))?.trim() || null,
    documentDate: created ? (issues.try(() => isoDate(created, "GrpHdr/CreDtTm")) ?? null) : null,
    statementIds: statements.map((s) => s.id),
    entryCount,
    transactionCount,
    currency: currencies.length === 1 ? currencies[0]! : null,
    totalCreditMinor: only ? only.credit.toString() : currencies.length === 0 ? "0" : null,
    totalDebitMinor: only ? only.debit.toString() : currencies.length === 0 ? "0" : null,
  };
  issues.throwIfErrors(summary);
  return {
    summary,
    document: {
      messageType,
      version,
      messageId: summary.documentNumber,
      createdAt: created ?? null,
      statements,
      totalsByCurrency: Object.fromEntries(
        Object.entries(totals).map(([cur, t]) => [cur, { creditMinor: t.credit.toString(), debitMinor: t.debit.toString() }]),
      ),
    },
    warnings: issues.warnings,
  };
}

function val(el: XmlElement | undefined, steps: string[]): string | null {
  return text(path(el, steps))?.trim() || null;
}

function readStatement(block: XmlElement, at: string, issues: IssueCollector): BankStatement {
  const id = val(block, ["Id"]);
  if (!id) issues.error(`${at}/Id`, "required", `${at}/Id is missing`);
  const acct = child(block, block.ns, "Acct");
  const accountCurrency = val(acct, ["Ccy"]);

  const balance = (code: string) => {
    const bal = children(block, block.ns, "Bal").find((b) => val(b, ["Tp", "CdOrPrtry", "Cd"]) === code);
    const amt = child(bal, block.ns, "Amt");
    if (!bal || !amt) return null;
    const cur = issues.try(() => currencyCode(attr(amt, "Ccy"), `${at}/Bal[${code}]/Amt/@Ccy`));
    if (!cur) return null;
    const minor = issues.try(() => decimalToMinor(amt.text, cur, `${at}/Bal[${code}]/Amt`));
    if (minor === undefined) return null;
    const sign = val(bal, ["CdtDbtInd"]) === "DBIT" ? -1n : 1n;
    const dateText = val(bal, ["Dt", "Dt"]) ?? val(bal, ["Dt", "DtTm"]);
    return {
      amountMinor: (sign * minor).toString(),
      currency: cur,
      date: dateText ? (issues.try(() => isoDate(dateText, `${at}/Bal[${code}]/Dt`)) ?? null) : null,
    };
  };

  const entries: BankEntry[] = [];
  children(block, block.ns, "Ntry").forEach((ntry, i) => {
    const entry = readEntry(ntry, `${at}/Ntry[${i + 1}]`, i + 1, issues);
    if (entry) entries.push(entry);
  });

  const opening = balance("OPBD");
  const closing = balance("CLBD");
  if (opening && closing && opening.currency === closing.currency) {
    // Booked entries move the opening balance to the closing one (reversals included, by their
    // CdtDbtInd); a difference means entries are missing or misread.
    const booked = entries.filter((e) => e.currency === opening.currency && (e.status === null || e.status === "BOOK"));
    const moved = booked.reduce((sum, e) => sum + (e.direction === "credit" ? 1n : -1n) * BigInt(e.amountMinor), 0n);
    if (BigInt(opening.amountMinor) + moved !== BigInt(closing.amountMinor)) {
      issues.warn(`${at}/Bal[CLBD]`, "balance", `${at}: opening balance ${opening.amountMinor} plus booked entries ${moved} is not the closing balance ${closing.amountMinor} (minor units)`);
    }
  }

  return {
    id: id ?? "",
    electronicSequence: val(block, ["ElctrncSeqNb"]),
    createdAt: val(block, ["CreDtTm"]),
    account: {
      iban: val(acct, ["Id", "IBAN"]),
      accountId: val(acct, ["Id", "Othr", "Id"]),
      currency: accountCurrency,
      owner: val(acct, ["Ownr", "Nm"]),
    },
    openingBalance: opening,
    closingBalance: closing,
    entries,
  };
}

function amountOf(amt: XmlElement | undefined, at: string, issues: IssueCollector): { minor: bigint; currency: string } | undefined {
  if (!amt) return undefined;
  const currency = issues.try(() => currencyCode(attr(amt, "Ccy"), `${at}/@Ccy`));
  if (!currency) return undefined;
  const minor = issues.try(() => decimalToMinor(amt.text, currency, at));
  if (minor === undefined) return undefined;
  if (minor < 0n) {
    issues.error(at, "negative", `${at} "${amt.text}" must not be negative; the direction is in CdtDbtInd`);
    return undefined;
  }
  return { minor, currency };
}

function direction(el: XmlElement | undefined, at: string, issues: IssueCollector, fallback?: Direction): Direction | undefined {
  const ind = val(el, ["CdtDbtInd"]);
  if (ind === "CRDT") return "credit";
  if (ind === "DBIT") return "debit";
  if (ind === null && fallback) return fallback;
  issues.error(`${at}/CdtDbtInd`, ind === null ? "required" : "enum", `${at}/CdtDbtInd must be CRDT or DBIT${ind === null ? "" : `, got "${ind}"`}`);
  return undefined;
}

function bankTransactionCode(el: XmlElement | undefined): BankTransactionCode {
  const code = child(el, el?.ns ?? "", "BkTxCd");
  return {
    domain: val(code, ["Domn", "Cd"]),
    family: val(code, ["Domn", "Fmly", "Cd"]),
    subFamily: val(code, ["Domn", "Fmly", "SubFmlyCd"]),
    proprietary: val(code, ["Prtry", "Cd"]),
  };
}

/** Bank charges (ISO 20022 bank transaction codes): never a customer payment. */
function isFee(code: BankTransactionCode): boolean {
  return code.domain === "ACMT" || code.subFamily === "CHRG" || code.family === "CHRG" || code.subFamily === "FEES";
}

function dateOf(el: XmlElement | undefined, at: string, issues: IssueCollector): string | null {
  const value = val(el, ["Dt"]) ?? val(el, ["DtTm"]);
  return value ? (issues.try(() => isoDate(value, at)) ?? null) : null;
}

function readEntry(ntry: XmlElement, at: string, index: number, issues: IssueCollector): BankEntry | undefined {
  const ns = ntry.ns;
  const amount = amountOf(child(ntry, ns, "Amt"), `${at}/Amt`, issues);
  if (!child(ntry, ns, "Amt")) issues.error(`${at}/Amt`, "required", `${at}/Amt is missing`);
  const dir = direction(ntry, at, issues);
  const reversal = val(ntry, ["RvslInd"]) === "true";
  const code = bankTransactionCode(ntry);
  const batch = val(ntry, ["NtryDtls", "Btch", "NbOfTxs"]);

  const txElements = pathAll(ntry, ["NtryDtls", "TxDtls"]);
  const transactions: BankTransaction[] = [];
  let txSum = 0n;
  let txSumComplete = true;
  txElements.forEach((tx, i) => {
    const tat = `${at}/NtryDtls/TxDtls[${i + 1}]`;
    // .001.04+ carry TxDtls/Amt; .001.02 carries AmtDtls/TxAmt/Amt.
    const amtEl = child(tx, ns, "Amt") ?? path(tx, ["AmtDtls", "TxAmt", "Amt"]);
    const txAmount = amountOf(amtEl, amtEl === child(tx, ns, "Amt") ? `${tat}/Amt` : `${tat}/AmtDtls/TxAmt/Amt`, issues);
    const txDir = direction(tx, tat, issues, dir) ?? dir ?? "credit";
    const txCode = bankTransactionCode(tx);
    const effectiveCode = txCode.domain || txCode.proprietary ? txCode : code;
    if (txAmount && amount && txAmount.currency === amount.currency) txSum += txDir === dir ? txAmount.minor : -txAmount.minor;
    else txSumComplete = false;
    transactions.push(readTransaction(tx, i + 1, txAmount, txDir, reversal, effectiveCode));
  });
  if (txElements.length === 0 && amount && dir) {
    // One booking without details: the entry itself is the transaction.
    transactions.push(readTransaction(undefined, 1, amount, dir, reversal, code, ntry));
  } else if (txElements.length === 1 && transactions[0]!.amountMinor === null && amount) {
    transactions[0]!.amountMinor = amount.minor.toString();
    transactions[0]!.currency = amount.currency;
  } else if (txElements.length > 0 && txSumComplete && amount && txSum !== amount.minor) {
    issues.warn(`${at}/NtryDtls`, "sum", `${at}: the transactions add up to ${txSum} minor units, the entry amount is ${amount.minor}`);
  }
  if (batch !== null && txElements.length > 0 && batch !== String(txElements.length)) {
    issues.warn(`${at}/NtryDtls/Btch/NbOfTxs`, "count", `${at}: the batch declares ${batch} transactions, ${txElements.length} are listed`);
  }
  if (!amount || !dir) return undefined;

  return {
    index,
    amountMinor: amount.minor.toString(),
    currency: amount.currency,
    direction: dir,
    reversal,
    status: val(ntry, ["Sts", "Cd"]) ?? val(ntry, ["Sts"]),
    bookingDate: dateOf(child(ntry, ns, "BookgDt"), `${at}/BookgDt`, issues),
    valueDate: dateOf(child(ntry, ns, "ValDt"), `${at}/ValDt`, issues),
    entryReference: val(ntry, ["NtryRef"]),
    accountServicerReference: val(ntry, ["AcctSvcrRef"]),
    bankTransactionCode: code,
    isBankFee: isFee(code),
    batchCount: batch !== null && /^\d+$/.test(batch) ? Number(batch) : null,
    additionalInfo: val(ntry, ["AddtlNtryInf"]),
    transactions,
  };
}

function readTransaction(
  tx: XmlElement | undefined,
  index: number,
  amount: { minor: bigint; currency: string } | undefined,
  dir: Direction,
  reversal: boolean,
  code: BankTransactionCode,
  entry?: XmlElement,
): BankTransaction {
  const refs = child(tx, tx?.ns ?? "", "Refs");
  const rmt = child(tx, tx?.ns ?? "", "RmtInf");
  const strd = children(rmt, rmt?.ns ?? "", "Strd");
  const parties = child(tx, tx?.ns ?? "", "RltdPties");
  return {
    index,
    amountMinor: amount ? amount.minor.toString() : null,
    currency: amount?.currency ?? null,
    direction: dir,
    reversal,
    returnReason: val(tx, ["RtrInf", "Rsn", "Cd"]) ?? val(tx, ["RtrInf", "Rsn", "Prtry"]),
    isBankFee: isFee(code),
    references: {
      endToEndId: val(refs, ["EndToEndId"]),
      accountServicerReference: val(refs, ["AcctSvcrRef"]) ?? (entry ? val(entry, ["AcctSvcrRef"]) : null),
      uetr: val(refs, ["UETR"]),
      instructionId: val(refs, ["InstrId"]),
      transactionId: val(refs, ["TxId"]),
      paymentInformationId: val(refs, ["PmtInfId"]),
      mandateId: val(refs, ["MndtId"]),
      proprietary: children(refs, refs?.ns ?? "", "Prtry")
        .map((p) => ({ type: val(p, ["Tp"]), reference: val(p, ["Ref"]) ?? "" }))
        .filter((p) => p.reference !== ""),
    },
    remittance: {
      unstructured: children(rmt, rmt?.ns ?? "", "Ustrd")
        .map((u) => u.text.trim())
        .filter((u) => u !== ""),
      creditorReferences: strd
        .map((s) => child(s, s.ns, "CdtrRefInf"))
        .filter((c): c is XmlElement => c !== undefined)
        .map((c) => ({ reference: val(c, ["Ref"]) ?? "", type: val(c, ["Tp", "CdOrPrtry", "Cd"]) ?? val(c, ["Tp", "CdOrPrtry", "Prtry"]) }))
        .filter((c) => c.reference !== ""),
      referredDocumentNumbers: strd.flatMap((s) => children(s, s.ns, "RfrdDocInf").map((r) => val(r, ["Nb"]))).filter((n): n is string => n !== null),
      additional: strd.flatMap((s) => children(s, s.ns, "AddtlRmtInf").map((a) => a.text.trim())).filter((a) => a !== ""),
    },
    debtor: party(parties, "Dbtr", "DbtrAcct"),
    creditor: party(parties, "Cdtr", "CdtrAcct"),
    bankTransactionCode: code,
    additionalInfo: val(tx, ["AddtlTxInf"]),
  };
}

function party(parties: XmlElement | undefined, role: "Dbtr" | "Cdtr", accountRole: string): BankParty {
  const p = child(parties, parties?.ns ?? "", role);
  // .001.08 wraps the party: Dbtr/Pty/Nm; earlier versions: Dbtr/Nm.
  const name = val(p, ["Pty", "Nm"]) ?? val(p, ["Nm"]);
  const account = child(parties, parties?.ns ?? "", accountRole);
  return { name, iban: val(account, ["Id", "IBAN"]), accountId: val(account, ["Id", "Othr", "Id"]) };
}

