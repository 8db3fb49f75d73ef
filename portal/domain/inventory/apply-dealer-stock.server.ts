// Applies one dealer's vehicle stock snapshot from its DMS (issue 3 §7): every vehicle listed is in
// that dealer's stock as of the snapshot time, whatever its make, new or used.
//
// Rules:
// - Each listed vehicle becomes `dealer_stock` of the dealer with lastSeenInStockAt = snapshot time:
//   created when unknown (a used car of another make), moved to this dealer when it came from the
//   factory (MES), from another dealer or back after a sale (a trade-in).
// - Vehicles of this dealer in `dealer_stock` that the snapshot no longer lists become `sold`, and
//   stay the dealer's. A STAR inventory export lists what is on the lot; a car drops out when it
//   leaves it, and a retail sale is by far the most common way. Keeping the organisation keeps the
//   car in the dealer's history and sales rate. The DMS retail-sale feed, when it comes, confirms
//   the sale with its date; a dealer trade shows up as the car appearing in the other dealer's
//   snapshot (it moves there), and a car listed again comes back to `dealer_stock`.
// - An empty snapshot removes nothing (with a warning): an empty export is far likelier a DMS fault
//   than a dealer with no car left, and would otherwise mark the whole stock sold.
// - Out-of-order safety: a snapshot older than the newest one already applied for this dealer is
//   stale and changes nothing; a vehicle reported by another dealer's newer snapshot stays there
//   (warning). Snapshots of one dealer apply one at a time (advisory lock per dealer).
import { and, eq, inArray, isNull, lt, max, or, sql } from "drizzle-orm";
import { vehicles, type Vehicle } from "../../../db/schema";
import { writeAudit } from "../audit/write-audit.server";
import type { Ctx } from "../context";
import { inScope } from "../context";

export type DealerStockVehicle = {
  vin: string;
  vinValid: boolean;
  make: string | null;
  model: string | null;
  modelYear: number | null;
  stockNumber: string | null;
  isNew: boolean | null;
  location: string | null;
  listPriceMinor: bigint | null;
  currency: string | null;
  orderReference: string | null;
};

export type DealerStockIssue = { vin: string; rule: "newer_elsewhere"; message: string };

export type DealerStockResult = {
  stale: boolean;
  created: number;
  /** Came into this dealer's stock (from the factory, another dealer or back from sold). */
  arrived: number;
  refreshed: number;
  /** No longer listed: marked sold. */
  removed: number;
  emptySnapshot: boolean;
  issues: DealerStockIssue[];
};

const chunkSize = 500;

export async function applyDealerStock(
  ctx: Ctx,
  input: { organizationId: string; snapshotAt: Date; vehicles: DealerStockVehicle[] },
): Promise<DealerStockResult> {
  const { organizationId, snapshotAt } = input;
  const result: DealerStockResult = { stale: false, created: 0, arrived: 0, refreshed: 0, removed: 0, emptySnapshot: input.vehicles.length === 0, issues: [] };
  // The last record of a VIN listed twice wins (the parser warned about it).
  const byVin = new Map<string, DealerStockVehicle>();
  for (const v of input.vehicles) byVin.set(v.vin, v);
  const listed = [...byVin.values()].sort((a, b) => (a.vin < b.vin ? -1 : a.vin > b.vin ? 1 : 0));

  return inScope(ctx, async (tx, c) => {
    // One snapshot of a dealer at a time: two concurrent ones would each mark the other's cars sold.
    await tx.execute(sql`select pg_advisory_xact_lock(7201301, hashtext(${organizationId}))`);
    const [newest] = await tx.select({ at: max(vehicles.lastSeenInStockAt) }).from(vehicles).where(eq(vehicles.organizationId, organizationId));
    if (newest?.at && newest.at.getTime() > snapshotAt.getTime()) return { ...result, stale: true };

    for (let i = 0; i < listed.length; i += chunkSize) {
      const chunk = listed.slice(i, i + chunkSize);
      const existing = await tx
        .select()
        .from(vehicles)
        .where(inArray(vehicles.vin, chunk.map((v) => v.vin)))
        .orderBy(vehicles.vin)
        .for("update");
      const before = new Map(existing.map((v) => [v.vin, v]));
      const rows = [];
      for (const v of chunk) {
        const old = before.get(v.vin);
        if (old && old.organizationId !== organizationId && old.lastSeenInStockAt && old.lastSeenInStockAt.getTime() > snapshotAt.getTime()) {
          result.issues.push({ vin: v.vin, rule: "newer_elsewhere", message: `VIN ${v.vin} is in the newer stock snapshot of another dealer; left there` });
          continue;
        }
        rows.push({
          ...v,
          organizationId,
          status: "dealer_stock" as const,
          lastSeenInStockAt: snapshotAt,
          updatedAt: ctx.now,
        });
      }
      if (rows.length === 0) continue;
      const written = await tx
        .insert(vehicles)
        .values(rows)
        .onConflictDoUpdate({
          target: vehicles.vin,
          set: {
            vinValid: sql`excluded.vin_valid`,
            organizationId: sql`excluded.organization_id`,
            status: sql`excluded.status`,
            // Descriptive data the snapshot lacks is kept from the factory or an earlier snapshot.
            make: sql`coalesce(excluded.make, ${vehicles.make})`,
            model: sql`coalesce(excluded.model, ${vehicles.model})`,
            modelYear: sql`coalesce(excluded.model_year, ${vehicles.modelYear})`,
            isNew: sql`coalesce(excluded.is_new, ${vehicles.isNew})`,
            orderReference: sql`coalesce(${vehicles.orderReference}, excluded.order_reference)`,
            // Stock data is the snapshot's as it is.
            stockNumber: sql`excluded.stock_number`,
            location: sql`excluded.location`,
            listPriceMinor: sql`excluded.list_price_minor`,
            currency: sql`excluded.currency`,
            lastSeenInStockAt: sql`excluded.last_seen_in_stock_at`,
            updatedAt: sql`excluded.updated_at`,
          },
        })
        .returning();
      for (const after of written) {
        const old = before.get(after.vin);
        if (!old) {
          result.created++;
          await writeAudit(c, { action: "vehicle.created", entityType: "vehicle", entityId: after.vin, organizationId, after: auditView(after) });
        } else if (old.status !== after.status || old.organizationId !== after.organizationId) {
          result.arrived++;
          await writeAudit(c, { action: "vehicle.status_changed", entityType: "vehicle", entityId: after.vin, organizationId, before: auditView(old), after: auditView(after) });
        } else {
          result.refreshed++;
        }
      }
    }

    if (result.emptySnapshot) return result;
    const gone = await tx
      .update(vehicles)
      .set({ status: "sold", updatedAt: ctx.now })
      .where(
        and(
          eq(vehicles.organizationId, organizationId),
          eq(vehicles.status, "dealer_stock"),
          or(isNull(vehicles.lastSeenInStockAt), lt(vehicles.lastSeenInStockAt, snapshotAt)),
        ),
      )
      .returning();
    for (const after of gone) {
      result.removed++;
      await writeAudit(c, {
        action: "vehicle.status_changed",
        entityType: "vehicle",
        entityId: after.vin,
        organizationId,
        before: { ...auditView(after), status: "dealer_stock" },
        after: { ...auditView(after), reason: "not in the dealer's stock snapshot" },
      });
    }
    return result;
  });
}

function auditView(v: Vehicle) {
  return { status: v.status, organizationId: v.organizationId, stockNumber: v.stockNumber, location: v.location, lastSeenInStockAt: v.lastSeenInStockAt };
}
