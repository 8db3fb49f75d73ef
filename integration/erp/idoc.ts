// Reading SAP IDoc XML (the "XML file" port format): a root named after the IDoc or extension type
// (DEBMAS07, MATMAS05, ZINV_ARDO…), one or more <IDOC BEGIN="1"> with the control record EDI_DC40
// and segments named E1…/Z1…, all in no namespace. Meaning sits in qualifiers (QUALF, IDDAT,
// PARVW, SUMID), so segments are found by qualifier, never by position. Values stay exact text.
import { child, children, type XmlElement } from "../xml/safe-xml";
import { sapDate } from "../common/sap";
import { FieldError } from "../common/issues";

export interface IdocControl {
  /** IDoc number, leading zeros kept. */
  docnum: string | null;
  idocType: string | null;
  /** Extension type (CIMTYP), e.g. ZINV_ARDO. */
  extension: string | null;
  messageType: string | null;
  senderPartner: string | null;
  receiverPartner: string | null;
  /** CREDAT as YYYY-MM-DD. */
  created: string | null;
}

export interface Idoc {
  control: IdocControl;
  /** The <IDOC> element; its segments are its children. */
  element: XmlElement;
  /** 1-based position in the file, for messages. */
  index: number;
}

/** Text of a field of a segment: trimmed; undefined when absent or blank. */
export function field(segment: XmlElement | undefined, name: string): string | undefined {
  const value = child(segment, segment?.ns ?? "", name)?.text.trim();
  return value === undefined || value === "" ? undefined : value;
}

export function segment(parent: XmlElement | undefined, name: string): XmlElement | undefined {
  return child(parent, parent?.ns ?? "", name);
}

export function segments(parent: XmlElement | undefined, name: string): XmlElement[] {
  return children(parent, parent?.ns ?? "", name);
}

/** First segment `name` whose qualifier field equals `value`, e.g. (E1EDK02, QUALF, "009"). */
export function qualified(parent: XmlElement | undefined, name: string, qualifier: string, value: string): XmlElement | undefined {
  return segments(parent, name).find((s) => field(s, qualifier) === value);
}

/** The IDocs of a file, in order. Throws a FieldError when the root holds none. */
export function readIdocs(root: XmlElement): Idoc[] {
  const idocs = segments(root, "IDOC");
  if (idocs.length === 0) {
    throw new FieldError(`${root.qname}/IDOC`, "required", `<${root.qname}> contains no <IDOC>; this is not SAP IDoc XML`);
  }
  return idocs.map((element, i) => {
    const dc = segment(element, "EDI_DC40");
    let created: string | null = null;
    try {
      created = sapDate(field(dc, "CREDAT"), "EDI_DC40/CREDAT");
    } catch {
      created = null; // a broken control date never stops a business document; parsers warn
    }
    return {
      element,
      index: i + 1,
      control: {
        docnum: field(dc, "DOCNUM") ?? null,
        idocType: field(dc, "IDOCTYP") ?? null,
        extension: field(dc, "CIMTYP") ?? null,
        messageType: field(dc, "MESTYP") ?? null,
        senderPartner: field(dc, "SNDPRN") ?? null,
        receiverPartner: field(dc, "RCVPRN") ?? null,
        created,
      },
    };
  });
}

/** True when the root looks like IDoc XML of one of `messageTypes` (by EDI_DC40 MESTYP or IDOCTYP prefix). */
export function isIdocOf(root: XmlElement, messageTypes: readonly string[]): boolean {
  const dc = segment(segment(root, "IDOC"), "EDI_DC40");
  if (!dc) return false;
  const mestyp = field(dc, "MESTYP");
  const idoctyp = field(dc, "IDOCTYP") ?? "";
  return messageTypes.some((t) => mestyp === t || idoctyp.startsWith(t));
}

/** SAP's MSGFN function of a master-data segment. */
export type SapFunction = "original" | "replace" | "change" | "delete" | "redefine" | "wait";

export function sapFunction(msgfn: string | undefined): SapFunction | undefined {
  switch (msgfn) {
    case "009":
      return "original";
    case "005":
      return "replace";
    case "004":
      return "change";
    case "003":
      return "delete";
    case "018":
      return "redefine";
    case "023":
      return "wait";
    default:
      return undefined;
  }
}

/** SAP's one-character language keys (SPRAS) to ISO 639-1, for segments without SPRAS_ISO. */
const SAP_LANGUAGES: Readonly<Record<string, string>> = {
  "1": "zh", // Chinese (simplified)
  M: "zh", // Chinese (traditional) — ZF in ISO terms; we keep the language only
  E: "en",
  D: "de",
  F: "fr",
  I: "it",
  S: "es",
  N: "nl",
  J: "ja",
  "3": "ko",
  P: "pt",
  R: "ru",
  O: "no",
  V: "sv",
  K: "da",
  L: "pl",
  C: "cs",
  T: "tr",
};

/** ISO 639-1 language from SPRAS_ISO, else from the SAP key; undefined when neither is known. */
export function sapLanguage(spras: string | undefined, sprasIso: string | undefined): string | undefined {
  if (sprasIso && /^[A-Za-z]{2}$/.test(sprasIso)) return sprasIso.toLowerCase();
  if (spras === undefined) return undefined;
  return Object.hasOwn(SAP_LANGUAGES, spras) ? SAP_LANGUAGES[spras] : undefined;
}
