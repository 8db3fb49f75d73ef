// Applies ERP material-master records to the catalogue (issue 3 §7): finished products (FERT) are
// vehicle models, spare parts (ERSA) are parts; both keyed by the SAP material number exactly as
// sent (leading zeros kept). A deleted material (LVORM or MSGFN 003) becomes inactive, never
// removed: orders, stock and alerts still refer to it. Master data is last-write-wins per message.
// One compact audit row per message lists what was created, what changed (field: before → after)
// and what was deactivated. When a part's threshold or active flag changes, its safety-stock
// alerts are re-evaluated in every warehouse right away.
import { inArray } from "drizzle-orm";
import { parts, vehicleModels, type Part, type VehicleModel } from "../../../db/schema";
import { writeAudit } from "../audit/write-audit.server";
import type { Ctx } from "../context";
import { inScope } from "../context";
import { evaluatePartAlerts } from "../parts/evaluate-part-alerts.server";

export type ErpMaterial = {
  materialNumber: string;
  kind: "vehicle_model" | "part";
  deleted: boolean;
  materialGroup: string | null;
  baseUnit: string | null;
  nameZh: string;
  nameEn: string;
  /** Parts: safety stock in the base unit; null when the message carries none (the old one stays). */
  safetyStock: number | null;
};

export type MaterialMasterOutcome = { created: number; updated: number; unchanged: number; deactivated: number; alerts: { raised: number; updated: number; cleared: number } };

type Change = { number: string; kind: ErpMaterial["kind"]; changes: Record<string, [unknown, unknown]> };

const AUDIT_LIST_CAP = 200;

export async function applyMaterialMaster(ctx: Ctx, materials: readonly ErpMaterial[], source: { messageId: string; documentNumber: string | null }): Promise<MaterialMasterOutcome> {
  return inScope(ctx, async (tx, c) => {
    const modelNumbers = materials.filter((m) => m.kind === "vehicle_model").map((m) => m.materialNumber);
    const partNumbers = materials.filter((m) => m.kind === "part").map((m) => m.materialNumber);
    const models = new Map<string, VehicleModel>();
    const partRows = new Map<string, Part>();
    if (modelNumbers.length) for (const m of await tx.select().from(vehicleModels).where(inArray(vehicleModels.materialNumber, modelNumbers))) models.set(m.materialNumber, m);
    if (partNumbers.length) for (const p of await tx.select().from(parts).where(inArray(parts.partNumber, partNumbers))) partRows.set(p.partNumber, p);

    const created: string[] = [];
    const changed: Change[] = [];
    const deactivated: string[] = [];
    const alertParts = new Set<string>();
    let unchanged = 0;

    for (const m of materials) {
      const active = !m.deleted;
      if (m.kind === "vehicle_model") {
        const values = { nameZh: m.nameZh, nameEn: m.nameEn, materialGroup: m.materialGroup, active };
        const before = models.get(m.materialNumber);
        if (!before) {
          const [row] = await tx.insert(vehicleModels).values({ materialNumber: m.materialNumber, ...values, updatedAt: c.now }).returning();
          models.set(m.materialNumber, row!);
          created.push(m.materialNumber);
          continue;
        }
        const changes = diff(before, values);
        if (!changes) {
          unchanged++;
          continue;
        }
        const [row] = await tx.update(vehicleModels).set({ ...values, updatedAt: c.now }).where(inArray(vehicleModels.id, [before.id])).returning();
        models.set(m.materialNumber, row!);
        changed.push({ number: m.materialNumber, kind: m.kind, changes });
        if (before.active && !active) deactivated.push(m.materialNumber);
      } else {
        const before = partRows.get(m.materialNumber);
        const values = {
          descriptionZh: m.nameZh,
          descriptionEn: m.nameEn,
          baseUnit: m.baseUnit,
          materialGroup: m.materialGroup,
          active,
          safetyStock: m.safetyStock ?? before?.safetyStock ?? null,
        };
        if (!before) {
          const [row] = await tx.insert(parts).values({ partNumber: m.materialNumber, ...values, updatedAt: c.now }).returning();
          partRows.set(m.materialNumber, row!);
          created.push(m.materialNumber);
          alertParts.add(m.materialNumber); // stock may have arrived before its master record
          continue;
        }
        const changes = diff(before, values);
        if (!changes) {
          unchanged++;
          continue;
        }
        const [row] = await tx.update(parts).set({ ...values, updatedAt: c.now }).where(inArray(parts.partNumber, [before.partNumber])).returning();
        partRows.set(m.materialNumber, row!);
        changed.push({ number: m.materialNumber, kind: m.kind, changes });
        if (before.active && !active) deactivated.push(m.materialNumber);
        if ("safetyStock" in changes || "active" in changes) alertParts.add(m.materialNumber);
      }
    }

    const alerts = await evaluatePartAlerts(c, { partNumbers: [...alertParts] });
    const outcome: MaterialMasterOutcome = { created: created.length, updated: changed.length, unchanged, deactivated: deactivated.length, alerts };
    if (created.length || changed.length) {
      await writeAudit(c, {
        action: "catalog.material_master_applied",
        entityType: "catalog",
        entityId: source.documentNumber ?? source.messageId,
        after: {
          messageId: source.messageId,
          ...outcome,
          createdNumbers: capped(created),
          changes: capped(changed),
          deactivatedNumbers: capped(deactivated),
        },
      });
    }
    return outcome;
  });
}

/** Fields whose value differs, as [before, after]; null when nothing changed. */
function diff(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, [unknown, unknown]> | null {
  const out: Record<string, [unknown, unknown]> = {};
  for (const [key, value] of Object.entries(after)) if (before[key] !== value) out[key] = [before[key] ?? null, value];
  return Object.keys(out).length ? out : null;
}

function capped<T>(list: T[]): T[] | { first: T[]; more: number } {
  return list.length <= AUDIT_LIST_CAP ? list : { first: list.slice(0, AUDIT_LIST_CAP), more: list.length - AUDIT_LIST_CAP };
}
