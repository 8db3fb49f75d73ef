// ERP material master in, as SAP MATMAS IDoc XML (issue 3 §7): vehicle models (MTART FERT,
// finished products) and spare parts (MTART ERSA) for the catalogue. MATNR stays exactly as sent
// ("000000000000400123" keeps its zeros; alphanumeric part numbers stay as they are). Texts come
// per language (E1MAKTM: SPRAS, SPRAS_ISO, MAKTX). Other material types (semi-finished HALB, raw
// ROH, …) are not the portal's business: they are skipped with a warning, not refused.
import { parseXmlSafely, type SafeXmlOptions, type XmlElement } from "../xml/safe-xml";
import { IssueCollector } from "../common/issues";
import type { DocumentSummary, ParseResult } from "../common/summary";
import { field, readIdocs, sapFunction, sapLanguage, segments, type IdocControl, type SapFunction } from "./idoc";

/** Material types the portal takes, and what they become. */
export const MATERIAL_KINDS: Readonly<Record<string, "vehicle_model" | "part">> = {
  FERT: "vehicle_model",
  ERSA: "part",
};

export interface MaterialDescription {
  /** ISO 639-1, or null when SAP's key is unknown to us (then `sapLanguage` tells which). */
  language: string | null;
  sapLanguage: string | null;
  text: string;
}

export interface MaterialRecord {
  /** MATNR exactly as sent. */
  materialNumber: string;
  kind: "vehicle_model" | "part";
  materialType: string;
  action: SapFunction;
  deleted: boolean;
  materialGroup: string | null;
  oldMaterialNumber: string | null;
  baseUnit: string | null;
  division: string | null;
  /** Weights as exact decimal text in `weightUnit`. */
  grossWeight: string | null;
  netWeight: string | null;
  weightUnit: string | null;
  descriptions: MaterialDescription[];
  plants: { plant: string; status: string | null; reorderPoint: string | null; safetyStock: string | null }[];
  salesAreas: { salesOrganization: string; distributionChannel: string }[];
}

export interface MaterialMasterDocument {
  format: "idoc";
  idocs: IdocControl[];
  materials: MaterialRecord[];
}

export type MaterialMasterResult = ParseResult<DocumentSummary, MaterialMasterDocument>;

export function parseMaterialMaster(input: string | Uint8Array, opts: SafeXmlOptions = {}): MaterialMasterResult {
  const { root } = parseXmlSafely(input, opts);
  const issues = new IssueCollector();
  const idocs = issues.try(() => readIdocs(root)) ?? [];
  const materials: MaterialRecord[] = [];

  for (const idoc of idocs) {
    const at = idocs.length > 1 ? `IDOC[${idoc.index}]/` : "";
    if (idoc.control.messageType && idoc.control.messageType !== "MATMAS") {
      issues.error(`${at}EDI_DC40/MESTYP`, "message_type", `${at}EDI_DC40/MESTYP is "${idoc.control.messageType}", expected MATMAS`);
      continue;
    }
    const maras = segments(idoc.element, "E1MARAM");
    if (maras.length === 0) issues.error(`${at}E1MARAM`, "required", `${at}E1MARAM (material general data) is missing`);
    for (const mara of maras) {
      const record = readMaterial(mara, at, issues);
      if (record) materials.push(record);
    }
  }

  const summary: DocumentSummary = {
    documentType: "material_master",
    documentNumber: idocs[0]?.control.docnum ?? null,
    documentDate: idocs[0]?.control.created ?? null,
    lineCount: materials.length,
  };
  issues.throwIfErrors(summary);
  return { summary, document: { format: "idoc", idocs: idocs.map((i) => i.control), materials }, warnings: issues.warnings };
}

function readMaterial(mara: XmlElement, at: string, issues: IssueCollector): MaterialRecord | undefined {
  const matnr = field(mara, "MATNR");
  const where = `${at}E1MARAM${matnr ? `[MATNR=${matnr}]` : ""}`;
  if (!matnr) {
    issues.error(`${where}/MATNR`, "required", `${where}/MATNR (material number) is missing`);
    return undefined;
  }
  if (matnr.length > 40) {
    issues.error(`${where}/MATNR`, "format", `${where}/MATNR is longer than 40 characters`);
    return undefined;
  }
  const mtart = field(mara, "MTART");
  if (!mtart) {
    issues.error(`${where}/MTART`, "required", `${where}/MTART (material type) is missing`);
    return undefined;
  }
  const kind = Object.hasOwn(MATERIAL_KINDS, mtart) ? MATERIAL_KINDS[mtart] : undefined;
  if (!kind) {
    issues.warn(`${where}/MTART`, "ignored", `${where}: material type ${mtart} is neither a vehicle model (FERT) nor a spare part (ERSA); skipped`);
    return undefined;
  }

  const descriptions: MaterialDescription[] = [];
  for (const makt of segments(mara, "E1MAKTM")) {
    const text = field(makt, "MAKTX");
    if (!text) continue;
    const spras = field(makt, "SPRAS") ?? null;
    const language = sapLanguage(spras ?? undefined, field(makt, "SPRAS_ISO")) ?? null;
    if (!language) {
      issues.warn(`${where}/E1MAKTM/SPRAS`, "enum", `${where}: language key "${spras ?? ""}" of "${text}" is unknown; kept with its SAP key`);
    }
    descriptions.push({ language, sapLanguage: spras, text });
  }
  if (descriptions.length === 0) {
    issues.error(`${where}/E1MAKTM/MAKTX`, "required", `${where} has no description (E1MAKTM/MAKTX) in any language`);
    return undefined;
  }

  const msgfn = field(mara, "MSGFN");
  const action = sapFunction(msgfn) ?? "replace";
  return {
    materialNumber: matnr,
    kind,
    materialType: mtart,
    action,
    deleted: field(mara, "LVORM") === "X" || action === "delete",
    materialGroup: field(mara, "MATKL") ?? null,
    oldMaterialNumber: field(mara, "BISMT") ?? null,
    baseUnit: field(mara, "MEINS") ?? null,
    division: field(mara, "SPART") ?? null,
    grossWeight: field(mara, "BRGEW") ?? null,
    netWeight: field(mara, "NTGEW") ?? null,
    weightUnit: field(mara, "GEWEI") ?? null,
    descriptions,
    plants: segments(mara, "E1MARCM").map((marc) => ({
      plant: field(marc, "WERKS") ?? "",
      status: field(marc, "MMSTA") ?? null,
      reorderPoint: field(marc, "MINBE") ?? null,
      safetyStock: field(marc, "EISBE") ?? null,
    })),
    salesAreas: segments(mara, "E1MVKEM").map((mvke) => ({
      salesOrganization: field(mvke, "VKORG") ?? "",
      distributionChannel: field(mvke, "VTWEG") ?? "",
    })),
  };
}

/** The description in `language`, else English, else the first one. */
export function materialName(material: MaterialRecord, language: string): string {
  return (
    material.descriptions.find((d) => d.language === language)?.text ??
    material.descriptions.find((d) => d.language === "en")?.text ??
    material.descriptions[0]!.text
  );
}
