// Safe, exact XML reading for every inbound message (DESIGN §5, issue 3 "Safe, exact parsing").
// Owns: the size cap, the refusal of DTDs and entities (XXE, billion laughs), nesting, name and
// node limits, well-formedness with line/column (fast-xml-parser's XMLValidator), and a
// namespace-aware element tree built from fast-xml-parser's output whose values are always the
// exact strings sent (SAP keys keep leading zeros, amounts keep their decimals).
//
// Speed on hostile input (measured, see integration/README.md): every check that can refuse a
// document runs first, in one linear pass with native indexOf jumps (byte size, "<!DOCTYPE" and
// "<!ENTITY", forbidden characters, depth, names, node and value limits). fast-xml-parser and its
// validator copy text one character at a time (30-120 ns per character on a 2-core box), so long
// text runs and attribute values are cut out before they see the document and put back, verbatim,
// when the tree is built; positions in validator messages are mapped back to the original text.
import { XMLParser, XMLValidator } from "fast-xml-parser";

export type XmlRejectionCode =
  | "too_large"
  | "dtd_forbidden"
  | "forbidden_name"
  | "too_deep"
  | "limit_exceeded"
  | "not_well_formed"
  | "unsupported_encoding";

/** A document we refuse to read. `code` maps to a 4xx answer; `message` is for people. */
export class XmlRejectedError extends Error {
  override readonly name = "XmlRejectedError";
  constructor(
    readonly code: XmlRejectionCode,
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
  }
}

export interface SafeXmlOptions {
  /** Largest accepted input in bytes (UTF-8 bytes for a string). Default 10 MiB. */
  maxBytes?: number;
  /** Deepest accepted element nesting; the root element is depth 1. Default 64. */
  maxDepth?: number;
  /**
   * Most nodes: tags (start and end), attributes, comments, processing instructions, CDATA
   * sections and entity references together. Default 100,000 (the 661 KB, 394-vehicle STAR
   * sample has about 36,000).
   * fast-xml-parser spends 1-4 µs per node, so this bounds the time a document can cost; bulk
   * feeds above it (200,000-line stock snapshots) belong to a streaming reader.
   */
  maxNodes?: number;
  /** Most attributes on one element. Default 256. */
  maxAttributes?: number;
  /** Longest element or attribute name. Default 256 characters. */
  maxNameLength?: number;
  /** Longest single text run or attribute value. Default 4 MiB (an embedded PDF fits). */
  maxValueLength?: number;
}

export const DEFAULT_MAX_XML_BYTES = 10 * 1024 * 1024;
export const DEFAULT_MAX_XML_DEPTH = 64;
export const DEFAULT_MAX_XML_NODES = 100_000;

export interface XmlAttribute {
  /** Namespace URI; "" for an unprefixed attribute (attributes never take the default namespace). */
  readonly ns: string;
  readonly local: string;
  /** The name as written, prefix included; for messages only, never for matching. */
  readonly qname: string;
  readonly value: string;
}

export interface XmlElement {
  /** Namespace URI; "" when the element is in no namespace. */
  readonly ns: string;
  readonly local: string;
  /** The name as written, prefix included; for messages only, never for matching. */
  readonly qname: string;
  readonly attributes: readonly XmlAttribute[];
  readonly children: readonly XmlElement[];
  /** Direct character data (text and CDATA), each piece trimmed, entities resolved. */
  readonly text: string;
}

export interface XmlDocument {
  readonly root: XmlElement;
}

const XML_NS = "http://www.w3.org/XML/1998/namespace";
const XMLNS_NS = "http://www.w3.org/2000/xmlns/";
const FORBIDDEN_NAMES = new Set(["__proto__", "constructor", "prototype"]);

/**
 * Reads an XML document safely. Throws XmlRejectedError for anything oversize, hostile or not
 * well-formed; never resolves DTDs or custom entities (there are none to resolve: any
 * `<!DOCTYPE` or `<!ENTITY` is refused before parsing).
 */
export function parseXmlSafely(input: string | Uint8Array, opts: SafeXmlOptions = {}): XmlDocument {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_XML_BYTES;
  const limits: Limits = {
    maxDepth: opts.maxDepth ?? DEFAULT_MAX_XML_DEPTH,
    maxNodes: opts.maxNodes ?? DEFAULT_MAX_XML_NODES,
    maxAttributes: opts.maxAttributes ?? 256,
    maxNameLength: opts.maxNameLength ?? 256,
    maxValueLength: opts.maxValueLength ?? 4 * 1024 * 1024,
  };

  // 1. Size, before any decoding or scanning work proportional to a hostile input.
  const byteLength =
    typeof input === "string"
      ? input.length > maxBytes
        ? Infinity // every UTF-16 unit is at least one UTF-8 byte: no need to count
        : Buffer.byteLength(input, "utf8")
      : input.byteLength;
  if (byteLength > maxBytes) {
    throw new XmlRejectedError(
      "too_large",
      `The document is larger than the limit of ${maxBytes} bytes${Number.isFinite(byteLength) ? ` (${byteLength} bytes)` : ""}.`,
    );
  }

  // 2. Text, without a byte-order mark.
  let xml = typeof input === "string" ? input : decode(input);
  if (xml.charCodeAt(0) === 0xfeff) xml = xml.slice(1);

  // 3. No DTD, no entity declarations: the defence against XXE and entity expansion that does
  //    not depend on the parser's own limits. Case-insensitive and anywhere in the text, so a
  //    DOCTYPE quoted inside a CDATA section is refused too; no feed of ours needs one.
  if (/<!\s*(?:doctype|entity)/i.test(xml)) {
    throw new XmlRejectedError(
      "dtd_forbidden",
      "Document type declarations (<!DOCTYPE>) and entity declarations (<!ENTITY>) are not accepted.",
    );
  }

  // 4. Characters XML 1.0 forbids (NUL and the other C0 controls but tab, LF and CR). Refusing
  //    them also frees \u0001 to mark the runs cut out in step 5.
  // eslint-disable-next-line no-control-regex -- finding the characters XML forbids is the point
  const bad = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.exec(xml);
  if (bad) {
    const { line, column } = lineColumn(xml, bad.index);
    throw new XmlRejectedError(
      "not_well_formed",
      `The document is not well-formed XML at line ${line}, column ${column}: the character U+${bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")} is not allowed in XML.`,
      line,
      column,
    );
  }

  // 5. Depth, names and sizes in one linear pass; long values are cut out for speed.
  const cuts = prescan(xml, limits);
  const { reduced, runs, offsets } = cutRuns(xml, cuts);

  // 6. Well-formedness, with the line and column people need to fix the file.
  const valid = XMLValidator.validate(reduced, { allowBooleanAttributes: false });
  if (valid !== true) {
    const { line, column } = mapPosition(xml, reduced, offsets, valid.err.line, valid.err.col);
    const msg = valid.err.msg.replace(/line (\d+), col (\d+)/g, (_m, l: string, c: string) => {
      const p = mapPosition(xml, reduced, offsets, Number(l), Number(c));
      return `line ${p.line}, col ${p.column}`;
    });
    throw new XmlRejectedError(
      "not_well_formed",
      `The document is not well-formed XML at line ${line}, column ${column}: ${truncate(msg, 300)}`,
      line,
      column,
    );
  }

  // 7. Parse: values stay strings, entities are resolved by us (XML's five and character
  //    references only), CDATA is kept apart so it is never entity-decoded.
  let raw: RawNode[];
  try {
    raw = parser(limits.maxDepth).parse(reduced) as RawNode[];
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (/nested tags/i.test(message)) {
      throw new XmlRejectedError("too_deep", `Elements are nested deeper than ${limits.maxDepth} levels.`);
    }
    if (/\[SECURITY\]/.test(message)) throw new XmlRejectedError("forbidden_name", truncate(message, 300));
    throw new XmlRejectedError("not_well_formed", `The document is not well-formed XML: ${truncate(message, 300)}`);
  }

  const roots: [RawNode, string][] = [];
  for (const node of raw) {
    const key = elementKey(node);
    if (key !== undefined) roots.push([node, key]);
  }
  if (roots.length !== 1) {
    throw new XmlRejectedError("not_well_formed", `The document must have exactly one root element (found ${roots.length}).`);
  }
  const [rootNode, rootName] = roots[0]!;
  return { root: buildElement(rootNode, rootName, rootScope, 1, { maxDepth: limits.maxDepth, runs }) };
}

// ---------------------------------------------------------------------------------------------
// Decoding

function decode(bytes: Uint8Array): string {
  // UTF-16 announces itself with a byte-order mark; UTF-8 is XML's default.
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return decodeWith("utf-16le", bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return decodeWith("utf-16be", bytes.subarray(2));
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 200)).toString("latin1");
  const declared = /^(?:\xef\xbb\xbf)?\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/
    .exec(head)?.[1]
    ?.toLowerCase();
  const encoding = declared ?? "utf-8";
  if (["utf-8", "utf8", "us-ascii", "ascii"].includes(encoding)) return decodeWith("utf-8", bytes);
  if (["iso-8859-1", "latin1", "iso_8859-1", "windows-1252", "cp1252"].includes(encoding)) {
    return decodeWith("windows-1252", bytes);
  }
  throw new XmlRejectedError("unsupported_encoding", `The encoding "${encoding}" is not supported; send UTF-8.`);
}

function decodeWith(encoding: string, bytes: Uint8Array): string {
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    throw new XmlRejectedError("not_well_formed", `The document is not valid ${encoding.toUpperCase()} text.`);
  }
}

// ---------------------------------------------------------------------------------------------
// Pre-scan: one linear pass with native indexOf jumps and no allocation per element.

const SLASH = 47;
const BANG = 33;
const QUESTION = 63;
const DQUOTE = 34;
const SQUOTE = 39;
const GT = 62;
const LT = 60;

/** Runs at least this long are cut out before the validator and the parser see the document. */
const CUT_THRESHOLD = 16;

interface Limits {
  maxDepth: number;
  maxNodes: number;
  maxAttributes: number;
  maxNameLength: number;
  maxValueLength: number;
}

/** [start, end) of a text run or attribute value (inside its quotes) in the original text. */
type Cut = readonly [start: number, end: number];

function prescan(xml: string, limits: Limits): Cut[] {
  const n = xml.length;
  const cuts: Cut[] = [];
  let nodes = 0;
  const tooMany = () =>
    new XmlRejectedError(
      "limit_exceeded",
      `The document has more than ${limits.maxNodes} nodes (tags, attributes, comments, processing instructions, CDATA sections and entity references).`,
    );

  // Every entity or character reference is a node: each costs a decode.
  for (let a = xml.indexOf("&"); a !== -1; a = xml.indexOf("&", a + 1)) {
    if (++nodes > limits.maxNodes) throw tooMany();
  }

  let depth = 0;
  let textStart = 0;
  let i = xml.indexOf("<");
  while (i !== -1) {
    if (i - textStart > limits.maxValueLength) throw valueTooLong(xml, textStart, limits.maxValueLength, "text");
    if (depth > 0 && i - textStart >= CUT_THRESHOLD) cuts.push([textStart, i]);
    if (++nodes > limits.maxNodes) throw tooMany();
    const c1 = xml.charCodeAt(i + 1);
    let end: number; // index of the '>' that closes this piece of markup
    if (c1 === BANG) {
      // comment or CDATA: skip to its end so markup inside is neither counted nor checked
      if (xml.startsWith("<!--", i)) end = closeOf(xml, "-->", i + 4, i, "comment");
      else if (xml.startsWith("<![CDATA[", i)) end = closeOf(xml, "]]>", i + 9, i, "CDATA section");
      else end = closeOf(xml, ">", i + 2, i, "declaration");
    } else if (c1 === QUESTION) {
      end = closeOf(xml, "?>", i + 2, i, "processing instruction");
    } else if (c1 === SLASH) {
      depth--;
      end = closeOf(xml, ">", i + 2, i, "end tag");
    } else {
      // start tag: its name, then attributes up to the closing '>' outside quotes
      let j = i + 1;
      const nameLimit = i + 1 + limits.maxNameLength;
      while (j < n && !isNameEnd(xml.charCodeAt(j))) {
        if (j >= nameLimit) throw nameTooLong(xml, i, limits.maxNameLength);
        j++;
      }
      checkName(xml.slice(i + 1, j));
      let attributes = 0;
      let attrStart = -1;
      for (;;) {
        if (j >= n) throw unterminated(xml, i, "start tag");
        const c = xml.charCodeAt(j);
        if (c === DQUOTE || c === SQUOTE) {
          if (attrStart !== -1) {
            const name = xml.slice(attrStart, j);
            if (name.length > limits.maxNameLength + 8) throw nameTooLong(xml, attrStart, limits.maxNameLength);
            checkAttributeName(name);
            attrStart = -1;
          }
          const close = xml.indexOf(c === DQUOTE ? '"' : "'", j + 1);
          if (close === -1) throw unterminated(xml, i, "start tag");
          const length = close - j - 1;
          if (length > limits.maxValueLength) throw valueTooLong(xml, j, limits.maxValueLength, "attribute value");
          if (length >= CUT_THRESHOLD) {
            const lt = xml.indexOf("<", j + 1);
            if (lt !== -1 && lt < close) {
              const { line, column } = lineColumn(xml, lt);
              throw new XmlRejectedError("not_well_formed", `The document is not well-formed XML at line ${line}, column ${column}: "<" is not allowed in an attribute value.`, line, column);
            }
            cuts.push([j + 1, close]);
          }
          j = close + 1;
          continue;
        }
        if (c === GT) break;
        if (c === LT) throw unterminated(xml, i, "start tag");
        if (attrStart === -1 && !isSpace(c) && c !== SLASH) {
          attrStart = j;
          if (++attributes > limits.maxAttributes) {
            const { line, column } = lineColumn(xml, i);
            throw new XmlRejectedError(
              "limit_exceeded",
              `The element at line ${line}, column ${column} has more than ${limits.maxAttributes} attributes.`,
              line,
              column,
            );
          }
          if (++nodes > limits.maxNodes) throw tooMany();
        }
        j++;
      }
      end = j;
      if (xml.charCodeAt(j - 1) !== SLASH && ++depth > limits.maxDepth) {
        throw new XmlRejectedError("too_deep", `Elements are nested deeper than ${limits.maxDepth} levels.`);
      }
    }
    textStart = end + 1;
    i = xml.indexOf("<", textStart);
  }
  if (n - textStart > limits.maxValueLength) throw valueTooLong(xml, textStart, limits.maxValueLength, "text");
  return cuts;
}

function closeOf(xml: string, terminator: string, from: number, start: number, what: string): number {
  const at = xml.indexOf(terminator, from);
  if (at === -1) throw unterminated(xml, start, what);
  return at + terminator.length - 1;
}

function unterminated(xml: string, at: number, what: string): XmlRejectedError {
  const { line, column } = lineColumn(xml, at);
  return new XmlRejectedError(
    "not_well_formed",
    `The document is not well-formed XML at line ${line}, column ${column}: the ${what} starting here is never closed.`,
    line,
    column,
  );
}

function nameTooLong(xml: string, at: number, max: number): XmlRejectedError {
  const { line, column } = lineColumn(xml, at);
  return new XmlRejectedError("limit_exceeded", `A name at line ${line}, column ${column} is longer than ${max} characters.`, line, column);
}

function valueTooLong(xml: string, at: number, max: number, what: string): XmlRejectedError {
  const { line, column } = lineColumn(xml, at);
  return new XmlRejectedError("limit_exceeded", `The ${what} at line ${line}, column ${column} is longer than ${max} characters.`, line, column);
}

/** 1-based line and column of a UTF-16 index, lines ending at "\n" (as the validator counts). */
function lineColumn(xml: string, index: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let nl = xml.indexOf("\n"); nl !== -1 && nl < index; nl = xml.indexOf("\n", nl + 1)) {
    line++;
    lineStart = nl + 1;
  }
  return { line, column: index - lineStart + 1 };
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

function isNameEnd(c: number): boolean {
  return isSpace(c) || c === GT || c === SLASH;
}

/** `text` is `name =` up to the opening quote of a value. */
function checkAttributeName(text: string): void {
  const eq = text.indexOf("=");
  checkName((eq === -1 ? text : text.slice(0, eq)).trim());
}

function checkName(qname: string): void {
  const local = qname.slice(qname.indexOf(":") + 1);
  if (FORBIDDEN_NAMES.has(local) || FORBIDDEN_NAMES.has(qname)) {
    throw new XmlRejectedError("forbidden_name", `The name "${truncate(qname, 80)}" is not accepted as an element or attribute name.`);
  }
}

// ---------------------------------------------------------------------------------------------
// Cutting long runs out, and mapping positions back

const MARK = "\u0001";
// eslint-disable-next-line no-control-regex -- \u0001 cannot occur in an accepted document (step 4)
const MARKER = /\u0001([0-9a-z]+)\u0001/g;

interface Offset {
  /** Index just after the marker in the reduced text. */
  readonly reducedEnd: number;
  /** How many more characters the original had up to that point. */
  readonly shift: number;
}

function cutRuns(xml: string, cuts: readonly Cut[]): { reduced: string; runs: string[]; offsets: Offset[] } {
  if (cuts.length === 0) return { reduced: xml, runs: [], offsets: [] };
  const parts: string[] = [];
  const runs: string[] = [];
  const offsets: Offset[] = [];
  let at = 0;
  let reducedLength = 0;
  let shift = 0;
  for (const [start, end] of cuts) {
    const before = xml.slice(at, start);
    const marker = `${MARK}${runs.length.toString(36)}${MARK}`;
    parts.push(before, marker);
    runs.push(xml.slice(start, end));
    reducedLength += before.length + marker.length;
    shift += end - start - marker.length;
    offsets.push({ reducedEnd: reducedLength, shift });
    at = end;
  }
  parts.push(xml.slice(at));
  return { reduced: parts.join(""), runs, offsets };
}

function mapPosition(xml: string, reduced: string, offsets: readonly Offset[], line: number, col: number): { line: number; column: number } {
  if (offsets.length === 0) return { line, column: col };
  let lineStart = 0;
  for (let l = 1; l < line; l++) {
    const nl = reduced.indexOf("\n", lineStart);
    if (nl === -1) break;
    lineStart = nl + 1;
  }
  const index = lineStart + col - 1;
  let shift = 0;
  for (const o of offsets) {
    if (o.reducedEnd > index) break;
    shift = o.shift;
  }
  return lineColumn(xml, index + shift);
}

// ---------------------------------------------------------------------------------------------
// Parser and tree

const ATTR_PREFIX = "@_";
const TEXT = "#text";
const CDATA = "#cdata";
const ATTRS = ":@";

function parser(maxDepth: number): XMLParser {
  return new XMLParser({
    preserveOrder: true, // every element its own node, so repeated segments stay in order
    ignoreAttributes: false,
    attributeNamePrefix: ATTR_PREFIX,
    parseTagValue: false, // "0000012345" stays a string
    parseAttributeValue: false,
    trimValues: true,
    processEntities: false, // we resolve XML's five entities and character references ourselves
    htmlEntities: false,
    cdataPropName: CDATA,
    ignoreDeclaration: true,
    ignorePiTags: true,
    removeNSPrefix: false, // prefixes are resolved to namespace URIs below
    maxNestedTags: maxDepth + 1, // the pre-scan already refused deeper documents
    jPath: false, // hand callbacks the matcher instead of building a path string per element
    onDangerousProperty: (name) => name, // names like "toString" are harmless in our tree; keep them exact
  });
}

type RawNode = Record<string, unknown>;

/** The element name of a preserveOrder node, or undefined for text, CDATA, comments and PIs. */
function elementKey(node: RawNode): string | undefined {
  for (const key in node) {
    if (key !== ATTRS && key !== TEXT && key !== CDATA && key.charCodeAt(0) !== QUESTION) return key;
  }
  return undefined;
}

interface Scope {
  readonly parent: Scope | null;
  readonly bindings: ReadonlyMap<string, string>;
}

const rootScope: Scope = {
  parent: null,
  bindings: new Map([
    ["xml", XML_NS],
    ["xmlns", XMLNS_NS],
  ]),
};

function lookup(scope: Scope, prefix: string): string | undefined {
  for (let s: Scope | null = scope; s; s = s.parent) {
    const uri = s.bindings.get(prefix);
    if (uri !== undefined) return uri;
  }
  return undefined;
}

function splitName(qname: string): [prefix: string, local: string] {
  const colon = qname.indexOf(":");
  return colon === -1 ? ["", qname] : [qname.slice(0, colon), qname.slice(colon + 1)];
}

interface BuildContext {
  readonly maxDepth: number;
  readonly runs: readonly string[];
}

const NO_ATTRIBUTES: readonly XmlAttribute[] = Object.freeze([]);

function buildElement(node: RawNode, qname: string, parentScope: Scope, depth: number, ctx: BuildContext): XmlElement {
  if (depth > ctx.maxDepth) throw new XmlRejectedError("too_deep", `Elements are nested deeper than ${ctx.maxDepth} levels.`);
  checkName(qname);
  const rawAttrs = node[ATTRS] as Record<string, unknown> | undefined;

  // Namespace declarations on this element open a new scope for it and its descendants.
  let bindings: Map<string, string> | null = null;
  let plainNames: string[] | null = null;
  let plainValues: string[] | null = null;
  if (rawAttrs) {
    for (const key in rawAttrs) {
      const name = key.slice(ATTR_PREFIX.length);
      const value = attributeValue(String(rawAttrs[key]), qname, ctx);
      if (name === "xmlns" || name.startsWith("xmlns:")) {
        const prefix = name === "xmlns" ? "" : name.slice(6);
        if (prefix === "xmlns" || (prefix !== "xml" && value === XML_NS) || value === XMLNS_NS) {
          throw new XmlRejectedError("not_well_formed", `The namespace declaration ${name}="${truncate(value, 80)}" is not allowed.`);
        }
        if (prefix !== "" && value === "") {
          throw new XmlRejectedError("not_well_formed", `The namespace prefix "${prefix}" cannot be undeclared (on <${qname}>).`);
        }
        (bindings ??= new Map()).set(prefix, value);
      } else {
        (plainNames ??= []).push(name);
        (plainValues ??= []).push(value);
      }
    }
  }
  const scope: Scope = bindings ? { parent: parentScope, bindings } : parentScope;

  const [prefix, local] = splitName(qname);
  let ns: string;
  if (prefix === "") {
    ns = lookup(scope, "") ?? "";
  } else {
    const uri = lookup(scope, prefix);
    if (uri === undefined) {
      throw new XmlRejectedError("not_well_formed", `The namespace prefix "${prefix}" of <${qname}> is not declared.`);
    }
    ns = uri;
  }

  let attributes = NO_ATTRIBUTES;
  if (plainNames && plainValues) {
    const list: XmlAttribute[] = [];
    let prefixed = false;
    for (let k = 0; k < plainNames.length; k++) {
      const name = plainNames[k]!;
      checkName(name);
      const [aPrefix, aLocal] = splitName(name);
      let aNs = "";
      if (aPrefix !== "") {
        prefixed = true;
        const uri = lookup(scope, aPrefix);
        if (uri === undefined) {
          throw new XmlRejectedError("not_well_formed", `The namespace prefix "${aPrefix}" of attribute ${name} on <${qname}> is not declared.`);
        }
        aNs = uri;
      }
      list.push({ ns: aNs, local: aLocal, qname: name, value: plainValues[k]! });
    }
    // The validator refuses a repeated name; two prefixes bound to one URI can still name the
    // same attribute (Namespaces in XML 1.0, §6.3).
    if (prefixed && new Set(list.map((a) => `${a.ns} ${a.local}`)).size !== list.length) {
      throw new XmlRejectedError("not_well_formed", `An attribute appears twice on <${qname}> (same namespace and local name).`);
    }
    attributes = list;
  }

  const children: XmlElement[] = [];
  let text = "";
  const content = node[qname];
  if (Array.isArray(content)) {
    for (const item of content as RawNode[]) {
      const t = item[TEXT];
      if (t !== undefined) {
        text += textValue(String(t), qname, ctx);
        continue;
      }
      const cdata = item[CDATA] as RawNode[] | undefined;
      if (cdata !== undefined) {
        for (const part of cdata) text += String(part[TEXT] ?? "");
        continue;
      }
      const key = elementKey(item);
      if (key !== undefined) children.push(buildElement(item, key, scope, depth + 1, ctx));
    }
  }
  return { ns, local, qname, attributes, children, text };
}

/** Puts cut-out runs back; the parser trimmed around the markers, so trim again after. */
function restore(value: string, ctx: BuildContext): string {
  if (ctx.runs.length === 0 || value.indexOf(MARK) === -1) return value;
  return value.replace(MARKER, (_m, k: string) => ctx.runs[parseInt(k, 36)] ?? "").trim();
}

function textValue(raw: string, where: string, ctx: BuildContext): string {
  return decodeEntities(restore(raw, ctx), where);
}

function attributeValue(raw: string, where: string, ctx: BuildContext): string {
  let value = restore(raw, ctx);
  // Attribute-value normalisation (XML 1.0 §3.3.3): literal tab, CR and LF become spaces;
  // the same characters written as character references survive.
  if (/[\t\n\r]/.test(value)) value = value.replace(/\r\n|[\t\n\r]/g, " ");
  return decodeEntities(value, where);
}

const NAMED: Readonly<Record<string, string>> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

function decodeEntities(value: string, where: string): string {
  if (value.indexOf("&") === -1) return value;
  // Every "&" must start a reference; cut-out runs were not seen by the validator.
  return value.replace(/&([^;&<\s]{0,40});?/g, (whole, ref: string) => {
    if (!whole.endsWith(";")) {
      throw new XmlRejectedError("not_well_formed", `A bare "&" in <${where}> must be written as &amp;.`);
    }
    if (ref.startsWith("#")) {
      const hex = ref[1] === "x";
      const digits = hex ? ref.slice(2) : ref.slice(1);
      const code = (hex ? /^[0-9a-fA-F]{1,6}$/ : /^[0-9]{1,7}$/).test(digits) ? parseInt(digits, hex ? 16 : 10) : NaN;
      if (!isXmlChar(code)) {
        throw new XmlRejectedError("not_well_formed", `The character reference ${whole} in <${where}> is not a valid XML character.`);
      }
      return String.fromCodePoint(code);
    }
    const named = Object.hasOwn(NAMED, ref) ? NAMED[ref] : undefined;
    if (named === undefined) {
      throw new XmlRejectedError(
        "not_well_formed",
        `The entity ${truncate(whole, 40)} in <${where}> is not defined (only &lt; &gt; &amp; &quot; &apos; are).`,
      );
    }
    return named;
  });
}

function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

function truncate(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, max)}…`;
}

// ---------------------------------------------------------------------------------------------
// Helpers for callers: match on (namespace URI, local name), never on prefixes.

/** A step in `path`: a local name in the namespace of the element it is looked up in, or [ns, local]. */
export type XmlStep = string | readonly [ns: string, local: string];

/** First child element with this namespace URI and local name. */
export function child(el: XmlElement | undefined, ns: string, local: string): XmlElement | undefined {
  if (!el) return undefined;
  for (const c of el.children) if (c.local === local && c.ns === ns) return c;
  return undefined;
}

/** All child elements with this namespace URI and local name, in document order. */
export function children(el: XmlElement | undefined, ns: string, local: string): XmlElement[] {
  if (!el) return [];
  return el.children.filter((c) => c.local === local && c.ns === ns);
}

/** Text of an element ("" when empty), or undefined when the element is absent. */
export function text(el: XmlElement | undefined): string | undefined {
  return el?.text;
}

/** Attribute value by local name; unprefixed attributes are in no namespace (ns ""). */
export function attr(el: XmlElement | undefined, name: string, ns = ""): string | undefined {
  if (!el) return undefined;
  for (const a of el.attributes) if (a.local === name && a.ns === ns) return a.value;
  return undefined;
}

/**
 * Follows first matching children: `path(ntry, ["NtryDtls", "Btch", "NbOfTxs"])` looks each local
 * name up in the namespace of the element it starts from; a `[ns, local]` step names the
 * namespace explicitly (UBL's cac/cbc).
 */
export function path(el: XmlElement | undefined, steps: readonly XmlStep[]): XmlElement | undefined {
  let current = el;
  for (const step of steps) {
    if (!current) return undefined;
    current = typeof step === "string" ? child(current, current.ns, step) : child(current, step[0], step[1]);
  }
  return current;
}

/** All elements reached by `steps`, fanning out at every step (every TxDtls of an entry). */
export function pathAll(el: XmlElement | undefined, steps: readonly XmlStep[]): XmlElement[] {
  let current: XmlElement[] = el ? [el] : [];
  for (const step of steps) {
    current = current.flatMap((c) => (typeof step === "string" ? children(c, c.ns, step) : children(c, step[0], step[1])));
  }
  return current;
}
