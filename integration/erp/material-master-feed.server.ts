// ERP material master feed (SAP MATMAS IDoc XML, issue 3 §7): vehicle models (FERT) and spare parts
// (ERSA) for the catalogue, daily. Names per language with a fallback (Chinese, else English, else
// the first text; English, else the first); the part's safety stock is the plant data's EISBE (the
// largest of the plants sent, rounded up to a whole base unit), kept as it was when no plant has one.
import { applyMaterialMaster, type ErpMaterial } from "../../portal/domain/catalog/apply-material-master.server";
import type { FieldIssue } from "../common/issues";
import type { Feed } from "../pipeline/feed";
import { materialName, parseMaterialMaster, type MaterialMasterDocument, type MaterialRecord } from "./matmas";

export const materialMasterFeed: Feed<MaterialMasterDocument> = {
  system: "erp",
  type: "material-master",
  maxBytes: 10 * 1024 * 1024,
  expectedEveryMinutes: 24 * 60, // master data daily
  parse: (body) => parseMaterialMaster(body),
  messageIdOf: (doc) => (doc.idocs[0]?.docnum ? `IDOC-${doc.idocs[0].docnum}` : null),
  // Master records are their own business documents; the same IDoc again is caught by its message id.
  businessKeyOf: () => null,
  async apply(ctx, doc, message) {
    const warnings: FieldIssue[] = [];
    const materials = doc.materials.map((m) => toErpMaterial(m, warnings));
    const outcome = await applyMaterialMaster(ctx, materials, { messageId: message.messageId, documentNumber: doc.idocs[0]?.docnum ?? null });
    return { warnings, detail: { ...outcome } };
  },
};

export function toErpMaterial(m: MaterialRecord, warnings: FieldIssue[]): ErpMaterial {
  return {
    materialNumber: m.materialNumber,
    kind: m.kind,
    deleted: m.deleted,
    materialGroup: m.materialGroup,
    baseUnit: m.baseUnit,
    nameZh: materialName(m, "zh"),
    nameEn: materialName(m, "en"),
    safetyStock: m.kind === "part" ? safetyStockOf(m, warnings) : null,
  };
}

/** EISBE of the plants, as a whole number of the base unit ("40.000" → 40); null when none is sent. */
function safetyStockOf(m: MaterialRecord, warnings: FieldIssue[]): number | null {
  let best: number | null = null;
  for (const plant of m.plants) {
    const text = plant.safetyStock?.trim();
    if (!text) continue;
    const field = `E1MARAM[MATNR=${m.materialNumber}]/E1MARCM[WERKS=${plant.plant}]/EISBE`;
    const match = /^(\d{1,9})(?:\.(\d+))?$/.exec(text);
    if (!match) {
      warnings.push({ field, rule: "quantity", message: `${field} "${text}" is not a quantity; the part's safety stock was left as it was` });
      continue;
    }
    let value = Number(match[1]);
    if (match[2] && /[1-9]/.test(match[2])) {
      value += 1;
      warnings.push({ field, rule: "rounded", message: `${field} "${text}" is not a whole number of the base unit; ${value} is used` });
    }
    best = best === null ? value : Math.max(best, value);
  }
  return best;
}
