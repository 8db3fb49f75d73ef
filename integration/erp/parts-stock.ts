// ERP parts-stock snapshot per warehouse (issue 3 §3, §7): our own XML format, read by a STREAMING
// parser so a 200,000-line snapshot costs constant memory (saxes, SAX-style; the DOM-style
// safe-xml.ts reader caps documents at 100,000 nodes on purpose).
//
// The format (namespace optional; when present it must be ours):
//
//   <?xml version="1.0" encoding="UTF-8"?>
//   <PartsStockSnapshot xmlns="urn:dealer-portal:erp:parts-stock:1"
//       snapshotId="WH01-20250304T0600" warehouse="WH01" takenAt="2025-03-04T06:00:00Z" lineCount="3">
//     <Line part="000000000050001234" qty="12" safety="5"/>
//     <Line part="AU-7L0-698-151" qty="0"/>
//   </PartsStockSnapshot>
//
// - snapshotId: the sender's id of this snapshot (1-100 of A-Z a-z 0-9 . _ : -); with the warehouse
//   it is the business key (the same snapshot under a new message id is a duplicate).
// - warehouse: the ERP storage location / plant key (1-20 of A-Z a-z 0-9 _ -), kept exactly.
// - takenAt: ISO 8601 date-time with a zone (Z or ±hh:mm): when the ERP took the snapshot. An older
//   snapshot than the newest applied one of the same warehouse is ignored as stale.
// - lineCount (optional): lines the sender wrote; a different count refuses the document (truncated).
// - Line/@part: the SAP material number exactly as sent (leading zeros kept), 1-40 characters, no
//   spaces. A part may appear once per snapshot.
// - Line/@qty: unrestricted stock in the base unit: a whole number ≥ 0 (no sign, no decimals).
// - Line/@safety (optional): a warehouse-specific safety stock overriding the part's own; whole ≥ 0.
//
// A snapshot is the whole truth for its warehouse: parts of that warehouse that it does not list
// have no stock (quantity 0; see portal/domain/parts/apply-parts-stock.server.ts).
//
// Safety: size cap before reading; any DOCTYPE (so any ENTITY declaration) refused; only XML's own
// entities and character references; UTF-8 only (a BOM is fine); nesting capped; every value kept as
// a string, quantities checked digit by digit and never passed through a float.
import { SaxesParser, type SaxesTagNS } from "saxes";
import { IssueCollector, MessageValidationError, type FieldIssue } from "../common/issues";
import type { ParseResult } from "../common/summary";
import { XmlRejectedError } from "../xml/safe-xml";

export const PARTS_STOCK_NS = "urn:dealer-portal:erp:parts-stock:1";
/** 200,000 lines of ~80-100 bytes with room to spare. */
export const PARTS_STOCK_MAX_BYTES = 24 * 1024 * 1024;
export const PARTS_STOCK_MAX_LINES = 500_000;
const MAX_DEPTH = 8;
const MAX_REPORTED_ISSUES = 100;
const CHUNK_CHARS = 64 * 1024;

const SNAPSHOT_ID = /^[A-Za-z0-9._:-]{1,100}$/;
const WAREHOUSE = /^[A-Za-z0-9_-]{1,20}$/;
const PART = /^[!-~]{1,40}$/; // printable ASCII without space, as SAP MATNR allows
const WHOLE = /^\d+$/;
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export interface PartsStockHeader {
  snapshotId: string;
  warehouse: string;
  /** ISO 8601 in UTC (`toISOString()`), so two snapshots compare as strings. */
  takenAt: string;
  declaredLineCount: number | null;
}

export interface PartsStockLine {
  /** 1-based position of the line in the document. */
  index: number;
  part: string;
  /** Whole number as a decimal string without leading zeros ("0" for zero). */
  quantity: string;
  safety: number | null;
}

export interface PartsStockSummary {
  documentType: "parts_stock";
  documentNumber: string;
  /** The date of takenAt (UTC). */
  documentDate: string;
  lineCount: number;
  warehouse: string;
  takenAt: string;
}

/** The header and the bytes: lines are streamed again from `payload` when applied, never held. */
export interface PartsStockDocument {
  header: PartsStockHeader;
  lineCount: number;
  payload: Uint8Array;
}

export interface PartsStockOptions {
  maxBytes?: number;
  maxLines?: number;
}

/**
 * Reads and validates the whole snapshot in one streaming pass (plus a second one only when a part
 * number seems to repeat). Throws XmlRejectedError (unreadable or hostile) or MessageValidationError
 * listing every problem (up to 100, then a count) with field, rule and line number.
 */
export function parsePartsStock(input: Uint8Array | string, opts: PartsStockOptions = {}): ParseResult<PartsStockSummary, PartsStockDocument> {
  const payload = typeof input === "string" ? Buffer.from(input, "utf8") : input;
  const issues = new CappedIssues();
  const seen = new HashSet64();
  const suspects = new Set<string>();
  const reader = new PartsStockReader(payload, opts, issues, (line) => {
    if (seen.add(line.part) === false && suspects.size < 10_000) suspects.add(line.part);
  });
  reader.readAll();
  const header = reader.header;
  if (header?.declaredLineCount !== null && header?.declaredLineCount !== undefined && header.declaredLineCount !== reader.lineCount) {
    issues.error(
      "PartsStockSnapshot/@lineCount",
      "line_count",
      `PartsStockSnapshot/@lineCount says ${header.declaredLineCount} lines but the document has ${reader.lineCount}; it may be truncated`,
    );
  }
  if (suspects.size > 0) confirmDuplicates(payload, opts, suspects, issues);

  const summary: PartsStockSummary | undefined = header
    ? {
        documentType: "parts_stock",
        documentNumber: header.snapshotId,
        documentDate: header.takenAt.slice(0, 10),
        lineCount: reader.lineCount,
        warehouse: header.warehouse,
        takenAt: header.takenAt,
      }
    : undefined;
  issues.throwIfErrors(summary);
  return { summary: summary!, document: { header: header!, lineCount: reader.lineCount, payload }, warnings: issues.warnings };
}

/** Only the header (stops at the root element): for a worker resuming an already validated snapshot. */
export function readPartsStockHeader(input: Uint8Array, opts: PartsStockOptions = {}): PartsStockHeader {
  const issues = new CappedIssues();
  const reader = new PartsStockReader(input, opts, issues, () => {});
  reader.readUntilHeader();
  issues.throwIfErrors();
  if (!reader.header) throw new MessageValidationError([{ field: "PartsStockSnapshot", rule: "required", message: "no PartsStockSnapshot element" }]);
  return reader.header;
}

/**
 * The lines after the first `skip`, in arrays of at most `batchSize`, read lazily: only one chunk of
 * text and one batch are in memory at a time. Any problem throws (the document was validated when
 * it was received; this is a second line of defence, not the validation).
 */
export async function* readPartsStockBatches(
  input: Uint8Array,
  { batchSize, skip = 0, ...opts }: PartsStockOptions & { batchSize: number; skip?: number },
): AsyncGenerator<PartsStockLine[]> {
  const issues = new CappedIssues();
  let batch: PartsStockLine[] = [];
  const ready: PartsStockLine[][] = [];
  const reader = new PartsStockReader(input, opts, issues, (line) => {
    if (line.index <= skip) return;
    batch.push(line);
    if (batch.length === batchSize) {
      ready.push(batch);
      batch = [];
    }
  });
  while (reader.step()) {
    issues.throwIfErrors();
    while (ready.length > 0) yield ready.shift()!;
    // Let other work run between chunks: a caller that reads the next batch ahead while the
    // database writes the current one gets the two done side by side.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  issues.throwIfErrors();
  while (ready.length > 0) yield ready.shift()!;
  if (batch.length > 0) yield batch;
}

/** The incremental reader: feeds saxes chunk by chunk and reports lines one at a time. */
class PartsStockReader {
  header: PartsStockHeader | null = null;
  lineCount = 0;
  private readonly parser: SaxesParser<{ xmlns: true; position: true }>;
  private readonly decoder = new TextDecoder("utf-8", { fatal: true });
  private offset = 0;
  private depth = 0;
  private rootSeen = false;
  private closed = false;
  private readonly maxLines: number;

  constructor(
    private readonly input: Uint8Array,
    opts: PartsStockOptions,
    private readonly issues: CappedIssues,
    private readonly onLine: (line: PartsStockLine) => void,
  ) {
    const maxBytes = opts.maxBytes ?? PARTS_STOCK_MAX_BYTES;
    this.maxLines = opts.maxLines ?? PARTS_STOCK_MAX_LINES;
    if (input.byteLength > maxBytes) throw new XmlRejectedError("too_large", `the document is ${input.byteLength} bytes; at most ${maxBytes} are accepted`);
    if ((input[0] === 0xff && input[1] === 0xfe) || (input[0] === 0xfe && input[1] === 0xff)) {
      throw new XmlRejectedError("unsupported_encoding", "parts-stock snapshots are read in UTF-8 only (this one starts with a UTF-16 byte-order mark)");
    }
    const parser = new SaxesParser({ xmlns: true, position: true });
    this.parser = parser;
    parser.on("error", (err) => {
      throw new XmlRejectedError("not_well_formed", `not well-formed XML: ${err.message.replace(/^\d+:\d+: /, "")}`, parser.line, parser.column);
    });
    parser.on("doctype", () => {
      throw new XmlRejectedError("dtd_forbidden", "a DOCTYPE (and with it any ENTITY declaration) is not accepted", parser.line, parser.column);
    });
    parser.on("xmldecl", (decl) => {
      if (decl.encoding && !/^utf-?8$/i.test(decl.encoding)) {
        throw new XmlRejectedError("unsupported_encoding", `encoding "${decl.encoding.slice(0, 40)}" is not accepted; send UTF-8`, parser.line, parser.column);
      }
    });
    parser.on("opentagstart", () => {
      this.depth++;
      if (this.depth > MAX_DEPTH) throw new XmlRejectedError("too_deep", `elements are nested deeper than ${MAX_DEPTH} levels`, parser.line, parser.column);
    });
    parser.on("opentag", (tag) => this.openTag(tag));
    parser.on("closetag", () => {
      this.depth--;
    });
    parser.on("text", (text) => this.text(text));
    parser.on("cdata", (text) => this.text(text));
  }

  /** Reads the next chunk; false once the document is done. */
  step(): boolean {
    if (this.closed) return false;
    if (this.offset >= this.input.byteLength) {
      this.write(this.decode(new Uint8Array(0), false));
      this.parser.close();
      this.closed = true;
      if (!this.rootSeen) throw new XmlRejectedError("not_well_formed", "the document has no root element");
      return false;
    }
    const end = Math.min(this.input.byteLength, this.offset + CHUNK_CHARS);
    const chunk = this.input.subarray(this.offset, end);
    this.offset = end;
    this.write(this.decode(chunk, true));
    return true;
  }

  readAll(): void {
    while (this.step()) {
      /* every line goes to onLine */
    }
  }

  readUntilHeader(): void {
    while (!this.header && !this.issues.hasErrors() && this.step()) {
      /* until the root element is open */
    }
  }

  private decode(chunk: Uint8Array, stream: boolean): string {
    try {
      return this.decoder.decode(chunk, { stream });
    } catch {
      throw new XmlRejectedError("not_well_formed", `the document is not valid UTF-8 (near byte ${this.offset})`);
    }
  }

  private write(text: string): void {
    if (text) this.parser.write(text);
  }

  private where(): string {
    return `line ${this.parser.line}`;
  }

  private openTag(tag: SaxesTagNS): void {
    const ours = tag.uri === "" || tag.uri === PARTS_STOCK_NS;
    if (this.depth === 1) {
      this.rootSeen = true;
      if (!ours || tag.local !== "PartsStockSnapshot") {
        this.issues.error(tag.name, "format", `the root element is <${tag.name.slice(0, 60)}>${tag.uri ? ` in namespace ${tag.uri.slice(0, 80)}` : ""}; a parts-stock snapshot is <PartsStockSnapshot> (namespace ${PARTS_STOCK_NS} or none)`);
        return;
      }
      this.header = this.readHeader(tag);
      return;
    }
    if (this.depth === 2 && ours && tag.local === "Line") {
      this.lineCount++;
      if (this.lineCount > this.maxLines) throw new XmlRejectedError("limit_exceeded", `more than ${this.maxLines} lines in one snapshot`, this.parser.line, this.parser.column);
      const line = this.readLine(tag, this.lineCount);
      if (line) this.onLine(line);
      return;
    }
    this.issues.error(
      this.depth === 2 ? tag.name.slice(0, 60) : `Line[${this.lineCount}]/${tag.name.slice(0, 60)}`,
      "unexpected_element",
      `<${tag.name.slice(0, 60)}> (${this.where()}) is not part of a parts-stock snapshot: only <Line> elements belong in <PartsStockSnapshot>, and they are empty`,
    );
  }

  private text(text: string): void {
    if (this.depth >= 1 && text.trim() !== "") {
      this.issues.error(
        this.depth === 1 ? "PartsStockSnapshot" : `Line[${this.lineCount}]`,
        "unexpected_text",
        `text "${text.trim().slice(0, 40)}" (${this.where()}) is not allowed here; values are attributes`,
      );
    }
  }

  private readHeader(tag: SaxesTagNS): PartsStockHeader | null {
    const at = (name: string) => tag.attributes[name]?.value;
    const f = (name: string) => `PartsStockSnapshot/@${name}`;
    let ok = true;
    const snapshotId = at("snapshotId")?.trim() ?? "";
    if (!snapshotId) ok = this.fail(f("snapshotId"), "required", `${f("snapshotId")} is missing`);
    else if (!SNAPSHOT_ID.test(snapshotId)) ok = this.fail(f("snapshotId"), "format", `${f("snapshotId")} "${snapshotId.slice(0, 40)}" must be 1-100 of A-Z a-z 0-9 . _ : -`);
    const warehouse = at("warehouse")?.trim() ?? "";
    if (!warehouse) ok = this.fail(f("warehouse"), "required", `${f("warehouse")} is missing`);
    else if (!WAREHOUSE.test(warehouse)) ok = this.fail(f("warehouse"), "format", `${f("warehouse")} "${warehouse.slice(0, 40)}" must be 1-20 of A-Z a-z 0-9 _ -`);
    const takenAtText = at("takenAt")?.trim() ?? "";
    let takenAt = "";
    if (!takenAtText) ok = this.fail(f("takenAt"), "required", `${f("takenAt")} is missing`);
    else {
      const iso = isoDateTime(takenAtText);
      if (!iso) ok = this.fail(f("takenAt"), "date_time", `${f("takenAt")} "${takenAtText.slice(0, 40)}" is not an ISO 8601 date-time with a zone (2025-03-04T06:00:00Z)`);
      else takenAt = iso;
    }
    let declaredLineCount: number | null = null;
    const lineCountText = at("lineCount")?.trim();
    if (lineCountText !== undefined) {
      if (!WHOLE.test(lineCountText) || lineCountText.length > 9) ok = this.fail(f("lineCount"), "integer", `${f("lineCount")} "${lineCountText.slice(0, 20)}" is not a whole number`);
      else declaredLineCount = Number(lineCountText);
    }
    return ok ? { snapshotId, warehouse, takenAt, declaredLineCount } : null;
  }

  private readLine(tag: SaxesTagNS, index: number): PartsStockLine | null {
    const field = (name: string) => `Line[${index}]/@${name}`;
    const where = this.where();
    let ok = true;
    const part = tag.attributes.part?.value;
    if (part === undefined || part === "") ok = this.fail(field("part"), "required", `${field("part")} (${where}) is missing`);
    else if (!PART.test(part)) ok = this.fail(field("part"), "format", `${field("part")} "${part.slice(0, 50)}" (${where}) must be 1-40 printable characters without spaces`);
    const quantity = this.whole(tag.attributes.qty?.value, field("qty"), where, 18, true);
    if (quantity === undefined) ok = false;
    const safetyText = tag.attributes.safety?.value;
    let safety: number | null = null;
    if (safetyText !== undefined) {
      const s = this.whole(safetyText, field("safety"), where, 9, false);
      if (s === undefined) ok = false;
      else safety = Number(s);
    }
    return ok ? { index, part: part!, quantity: quantity!, safety } : null;
  }

  /** A whole number ≥ 0 as a canonical decimal string, or undefined after recording the issue. */
  private whole(raw: string | undefined, field: string, where: string, maxDigits: number, required: boolean): string | undefined {
    const text = raw?.trim();
    if (text === undefined || text === "") {
      if (required) this.fail(field, "required", `${field} (${where}) is missing`);
      else this.fail(field, "integer", `${field} (${where}) is empty`);
      return undefined;
    }
    if (text.startsWith("-") || (text.endsWith("-") && /^[\d.]+-$/.test(text))) {
      this.fail(field, "non_negative", `${field} "${text.slice(0, 30)}" (${where}) is negative; stock is a whole number of 0 or more`);
      return undefined;
    }
    if (!WHOLE.test(text)) {
      const decimal = /^\+?\d*[.,]\d+$/.test(text) || /^\+?\d+[.,]\d*$/.test(text);
      this.fail(
        field,
        decimal ? "integer" : "format",
        decimal
          ? `${field} "${text.slice(0, 30)}" (${where}) has decimals; quantities are whole numbers of the base unit`
          : `${field} "${text.slice(0, 30)}" (${where}) is not a whole number`,
      );
      return undefined;
    }
    const canonical = text.replace(/^0+(?=\d)/, "");
    if (canonical.length > maxDigits || (maxDigits === 9 && Number(canonical) > 2_147_483_647)) {
      this.fail(field, "range", `${field} "${text.slice(0, 30)}" (${where}) is too large`);
      return undefined;
    }
    return canonical;
  }

  private fail(field: string, rule: string, message: string): false {
    this.issues.error(field, rule, message);
    return false;
  }
}

/** Keeps the first 100 issues and counts the rest, so a broken 200,000-line file stays readable. */
class CappedIssues extends IssueCollector {
  private dropped = 0;

  override error(field: string, rule: string, message: string): void {
    if (this.errors.length < MAX_REPORTED_ISSUES) super.error(field, rule, message);
    else this.dropped++;
  }

  hasErrors(): boolean {
    return this.errors.length > 0;
  }

  override throwIfErrors(summary?: unknown): void {
    if (this.errors.length === 0) return;
    const all: FieldIssue[] = [...this.errors];
    if (this.dropped > 0) all.push({ field: "document", rule: "more_errors", message: `${this.dropped} more problems not listed` });
    throw new MessageValidationError(all, summary);
  }
}

/**
 * Exact duplicate check for the part numbers a 64-bit hash flagged: a second streaming pass counts
 * only those. Hash collisions (about one in 10⁹ for 200,000 lines) thus never refuse a good file.
 */
function confirmDuplicates(payload: Uint8Array, opts: PartsStockOptions, suspects: Set<string>, issues: CappedIssues): void {
  const first = new Map<string, number>();
  const reader = new PartsStockReader(payload, opts, new CappedIssues(), (line) => {
    if (!suspects.has(line.part)) return;
    const earlier = first.get(line.part);
    if (earlier === undefined) first.set(line.part, line.index);
    else issues.error(`Line[${line.index}]/@part`, "duplicate", `Line[${line.index}]/@part "${line.part}" already appears in Line[${earlier}]; a part may appear once per snapshot`);
  });
  reader.readAll();
}

/**
 * A set of 64-bit string hashes (two 32-bit FNV-1a variants) in typed arrays: 16 bytes a slot, about
 * 6 MB for 200,000 part numbers, instead of a Set of strings several times that.
 */
class HashSet64 {
  private hi = new Uint32Array(1 << 12);
  private lo = new Uint32Array(1 << 12);
  private used = new Uint8Array(1 << 12);
  private size = 0;

  /** false when the hash was already present. */
  add(text: string): boolean {
    let h1 = 0x811c9dc5;
    let h2 = 0x01000193 ^ text.length;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 15);
    }
    h1 >>>= 0;
    h2 >>>= 0;
    if ((this.size + 1) * 2 > this.used.length) this.grow();
    return this.insert(h1, h2);
  }

  private insert(h1: number, h2: number): boolean {
    const mask = this.used.length - 1;
    let i = (h1 ^ Math.imul(h2, 0x9e3779b1)) & mask;
    while (this.used[i]) {
      if (this.hi[i] === h1 && this.lo[i] === h2) return false;
      i = (i + 1) & mask;
    }
    this.used[i] = 1;
    this.hi[i] = h1;
    this.lo[i] = h2;
    this.size++;
    return true;
  }

  private grow(): void {
    const { hi, lo, used } = this;
    this.hi = new Uint32Array(used.length * 2);
    this.lo = new Uint32Array(used.length * 2);
    this.used = new Uint8Array(used.length * 2);
    this.size = 0;
    for (let i = 0; i < used.length; i++) if (used[i]) this.insert(hi[i]!, lo[i]!);
  }
}

function isoDateTime(text: string): string | null {
  const m = ISO_DATE_TIME.exec(text);
  if (!m) return null;
  const [, , mo, d, h, mi] = m.map(Number) as number[];
  if (mo! < 1 || mo! > 12 || d! < 1 || d! > 31 || h! > 23 || mi! > 59) return null;
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) return null;
  // "2025-02-30" rolls over in Date: refuse it rather than move the day.
  if (m[7] === "Z" && date.getUTCDate() !== d) return null;
  return date.toISOString();
}
