// How a stored payload is shown on the message page: the raw text (decoded, capped for the screen)
// and a pretty view (XML or JSON re-indented). The pretty printers are lexical: they only move
// whitespace between tokens and never parse values, resolve entities or read a DTD, so what the
// sender wrote (entities, leading zeros, long numbers) is shown exactly as it was written. A
// document with a DTD, or one the printer cannot follow, has no pretty view; the raw text is shown.
// React escapes the text when it renders it: nothing of a payload ever becomes HTML.

export const screenCapBytes = 200 * 1024;

export type PayloadPreview = {
  text: string;
  /** The on-screen text stops at the cap; the download has every byte. */
  truncated: boolean;
  sizeBytes: number;
  encoding: "utf-8" | "utf-16le" | "utf-16be";
  /** Not valid text in its encoding: shown with replacement characters. */
  binary: boolean;
  pretty: { kind: "xml" | "json"; text: string } | null;
};

export function previewPayload(
  payload: Buffer,
  contentType: string,
  capBytes = screenCapBytes,
): PayloadPreview {
  const { encoding, start } = sniffEncoding(payload);
  const truncated = payload.length - start > capBytes;
  let end = Math.min(payload.length, start + capBytes);
  // Never cut a UTF-8 character in two: step back to the first byte of the last character.
  if (truncated && encoding === "utf-8") while (end > start && (payload[end]! & 0xc0) === 0x80) end--;
  if (truncated && encoding !== "utf-8" && (end - start) % 2 === 1) end--;
  const slice = payload.subarray(start, end);
  let binary = false;
  let text: string;
  try {
    text = new TextDecoder(encoding, { fatal: true }).decode(slice);
  } catch {
    binary = true;
    text = new TextDecoder(encoding).decode(slice);
  }
  const pretty = truncated || binary ? null : prettyPrint(text, contentType);
  return { text, truncated, sizeBytes: payload.length, encoding, binary, pretty };
}

function sniffEncoding(b: Buffer): { encoding: PayloadPreview["encoding"]; start: number } {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { encoding: "utf-8", start: 3 };
  if (b[0] === 0xff && b[1] === 0xfe) return { encoding: "utf-16le", start: 2 };
  if (b[0] === 0xfe && b[1] === 0xff) return { encoding: "utf-16be", start: 2 };
  return { encoding: "utf-8", start: 0 };
}

export function prettyPrint(text: string, contentType = ""): PayloadPreview["pretty"] {
  const head = text.trimStart();
  const looksJson = head.startsWith("{") || head.startsWith("[") || /json/i.test(contentType);
  if (looksJson) {
    const json = prettyJson(text);
    if (json !== null) return { kind: "json", text: json };
  }
  if (head.startsWith("<")) {
    const xml = prettyXml(text);
    if (xml !== null) return { kind: "xml", text: xml };
  }
  return null;
}

const maxIndentLevels = 40;
const indent = (level: number) => "  ".repeat(Math.min(level, maxIndentLevels));

/** Re-indents JSON token by token; strings and numbers are copied as written. Null if not JSON. */
export function prettyJson(text: string): string | null {
  try {
    JSON.parse(text); // only to know that it is JSON; the output is built from the text itself
  } catch {
    return null;
  }
  let out = "";
  let level = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < n && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (c === " " || c === "\n" || c === "\r" || c === "\t") {
      i++;
      continue;
    }
    if (c === "{" || c === "[") {
      // An empty object or array stays on one line.
      let j = i + 1;
      while (j < n && /\s/.test(text[j]!)) j++;
      if (text[j] === (c === "{" ? "}" : "]")) {
        out += c + text[j];
        i = j + 1;
        continue;
      }
      level++;
      out += c + "\n" + indent(level);
    } else if (c === "}" || c === "]") {
      level--;
      out += "\n" + indent(level) + c;
    } else if (c === ",") {
      out += ",\n" + indent(level);
    } else if (c === ":") {
      out += ": ";
    } else {
      out += c;
    }
    i++;
  }
  return out;
}

type XmlToken = { kind: "open" | "close" | "empty" | "text" | "other"; text: string };

/**
 * Re-indents XML tag by tag without resolving anything. Null when the text has a DTD or an entity
 * declaration (we never show what a DTD would expand to), or when tags do not balance.
 */
export function prettyXml(text: string): string | null {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) return null;
  const tokens: XmlToken[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    if (text[i] !== "<") {
      const j = text.indexOf("<", i);
      const end = j < 0 ? n : j;
      const t = text.slice(i, end).trim();
      if (t) tokens.push({ kind: "text", text: t });
      i = end;
      continue;
    }
    const special = [
      ["<!--", "-->"],
      ["<![CDATA[", "]]>"],
      ["<?", "?>"],
    ].find(([open]) => text.startsWith(open!, i));
    if (special) {
      const j = text.indexOf(special[1]!, i + special[0]!.length);
      if (j < 0) return null;
      const raw = text.slice(i, j + special[1]!.length);
      tokens.push({ kind: special[0] === "<![CDATA[" ? "text" : "other", text: raw });
      i = j + special[1]!.length;
      continue;
    }
    // A tag ends at the first ">" outside quoted attribute values.
    let j = i + 1;
    let quote: string | null = null;
    while (j < n) {
      const c = text[j]!;
      if (quote) {
        if (c === quote) quote = null;
      } else if (c === '"' || c === "'") quote = c;
      else if (c === ">") break;
      j++;
    }
    if (j >= n) return null;
    const raw = text.slice(i, j + 1);
    tokens.push({ kind: raw.startsWith("</") ? "close" : raw.endsWith("/>") ? "empty" : "open", text: raw });
    i = j + 1;
  }

  const nameOf = (tag: string) => /^<\/?\s*([^\s/>]+)/.exec(tag)?.[1] ?? "";
  const lines: string[] = [];
  const stack: string[] = [];
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.kind === "open") {
      // <a>text</a> stays on one line.
      const next = tokens[k + 1];
      const after = tokens[k + 2];
      if (next?.kind === "text" && after?.kind === "close" && nameOf(after.text) === nameOf(t.text)) {
        lines.push(indent(stack.length) + t.text + next.text + after.text);
        k += 2;
        continue;
      }
      if (next?.kind === "close" && nameOf(next.text) === nameOf(t.text)) {
        lines.push(indent(stack.length) + t.text + next.text);
        k += 1;
        continue;
      }
      lines.push(indent(stack.length) + t.text);
      stack.push(nameOf(t.text));
    } else if (t.kind === "close") {
      if (stack.pop() !== nameOf(t.text)) return null;
      lines.push(indent(stack.length) + t.text);
    } else {
      lines.push(indent(stack.length) + t.text);
    }
  }
  if (stack.length > 0) return null;
  return lines.join("\n");
}
