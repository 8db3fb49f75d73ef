// Safe JSON reading for inbound REST messages, with the same guarantees as the XML reader: size
// cap before parsing, a byte-order mark removed, nesting limited, prototype-polluting keys refused,
// and a clear rejection (never a 500) for text that is not JSON.
import type { ZodError } from "zod";
import type { FieldIssue } from "./issues";

export type JsonRejectionCode = "too_large" | "too_deep" | "forbidden_name" | "not_well_formed";

export class JsonRejectedError extends Error {
  override readonly name = "JsonRejectedError";
  constructor(
    readonly code: JsonRejectionCode,
    message: string,
  ) {
    super(message);
  }
}

export interface SafeJsonOptions {
  /** Default 10 MiB. */
  maxBytes?: number;
  /** Default 64 levels of objects and arrays. */
  maxDepth?: number;
}

const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

export function parseJsonSafely(input: string | Uint8Array, opts: SafeJsonOptions = {}): unknown {
  const maxBytes = opts.maxBytes ?? 10 * 1024 * 1024;
  const maxDepth = opts.maxDepth ?? 64;
  const bytes = typeof input === "string" ? (input.length > maxBytes ? Infinity : Buffer.byteLength(input)) : input.byteLength;
  if (bytes > maxBytes) throw new JsonRejectedError("too_large", `The document is larger than the limit of ${maxBytes} bytes.`);
  let text: string;
  try {
    text = typeof input === "string" ? input : new TextDecoder("utf-8", { fatal: true }).decode(input);
  } catch {
    throw new JsonRejectedError("not_well_formed", "The document is not valid UTF-8 text.");
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);

  // Nesting, outside strings, in one pass: JSON.parse and revivers recurse.
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash escapes the next character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > maxDepth) throw new JsonRejectedError("too_deep", `Objects and arrays are nested deeper than ${maxDepth} levels.`);
    } else if (c === 125 || c === 93) depth--;
  }

  try {
    return JSON.parse(text, (key, value: unknown) => {
      if (FORBIDDEN_KEYS.has(key)) throw new JsonRejectedError("forbidden_name", `The key "${key}" is not accepted.`);
      return value;
    });
  } catch (e) {
    if (e instanceof JsonRejectedError) throw e;
    throw new JsonRejectedError("not_well_formed", `The document is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** zod issues as field issues: the path names the field, the zod code is the rule. */
export function zodIssues(error: ZodError, prefix = ""): FieldIssue[] {
  return error.issues.map((issue) => {
    const field = [prefix, ...issue.path.map(String)].filter((p) => p !== "").join(".") || "(document)";
    return { field, rule: issue.code === "custom" ? String(issue.params?.["rule"] ?? "custom") : issue.code, message: `${field}: ${issue.message}` };
  });
}
