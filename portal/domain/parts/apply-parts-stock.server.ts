// Applies an ERP parts-stock snapshot of one warehouse (issue 3 §7) in two steps, so a 200,000-line
// snapshot never needs one huge transaction:
//
// 1. applyPartsStockBatch — one multi-row upsert per batch (the caller commits each batch together
//    with its progress cursor). A snapshot SETS quantities, so an upsert is idempotent: applying the
//    same lines again gives the same rows. A row never goes back to an older snapshot
//    (`where parts_stock.snapshot_at <= excluded.snapshot_at`), whatever order batches of two
//    snapshots of one warehouse interleave in.
// 2. finishPartsStockSnapshot — once every line is in, in the transaction that marks the message
//    processed: parts of the warehouse the snapshot did not list get quantity 0 (a snapshot is the
//    whole truth for its warehouse: the ERP reports no stock for them; the row and its
//    warehouse-specific threshold stay, so a part that ran out is visible and alerts), then the
//    safety-stock alerts of the warehouse are raised and cleared, and one compact audit row is written.
//
// Both take a transaction-level advisory lock per warehouse, so the finish of one snapshot never
// interleaves with a batch of another snapshot of the same warehouse.
import { sql } from "drizzle-orm";
import { writeAudit } from "../audit/write-audit.server";
import type { Ctx } from "../context";
import { inScope } from "../context";
import { evaluatePartAlerts, rowsOf, type PartAlertCounts } from "./evaluate-part-alerts.server";

export type PartsStockSnapshotRef = {
  warehouse: string;
  snapshotId: string;
  /** ISO 8601 UTC */
  takenAt: string;
  /** integration_messages.id of the snapshot, stamped on every row it set. */
  messageId: string;
};

export type PartsStockBatchLine = { part: string; quantity: string; safety: number | null };

export type PartsStockFinish = PartAlertCounts & { zeroed: number; lines: number; unknownParts: number; unknownExamples: string[] };

/** Advisory-lock class of parts-stock snapshots (the second key is the warehouse's hash). */
const LOCK_CLASS = 7201401;

export async function lockWarehouse(ctx: Ctx, warehouse: string): Promise<void> {
  await inScope(ctx, (tx) => tx.execute(sql`select pg_advisory_xact_lock(${LOCK_CLASS}, hashtext(${warehouse}))`));
}

export async function applyPartsStockBatch(ctx: Ctx, snapshot: PartsStockSnapshotRef, lines: readonly PartsStockBatchLine[]): Promise<number> {
  if (lines.length === 0) return 0;
  // One JSON parameter instead of 4 × 5,000: no bind-parameter limit, same on postgres.js and PGlite.
  const rows = JSON.stringify(lines.map((l) => ({ p: l.part, q: l.quantity, s: l.safety })));
  return inScope(ctx, async (tx) => {
    await lockWarehouse({ ...ctx, db: tx }, snapshot.warehouse);
    const result = await tx.execute(sql`
      insert into parts_stock (warehouse, part_number, quantity, safety_stock, snapshot_at, message_id)
      select ${snapshot.warehouse}, r.p, r.q, r.s, ${snapshot.takenAt}::timestamptz, ${snapshot.messageId}::uuid
      from json_to_recordset(${rows}::json) as r(p text, q bigint, s integer)
      on conflict (warehouse, part_number) do update
        set quantity = excluded.quantity, safety_stock = excluded.safety_stock,
            snapshot_at = excluded.snapshot_at, message_id = excluded.message_id
        where parts_stock.snapshot_at <= excluded.snapshot_at
      returning 1 as n`);
    return rowsOf(result).length;
  });
}

export async function finishPartsStockSnapshot(ctx: Ctx, snapshot: PartsStockSnapshotRef, lineCount: number): Promise<PartsStockFinish> {
  return inScope(ctx, async (tx, c) => {
    await lockWarehouse(c, snapshot.warehouse);
    const zeroed = rowsOf(
      await tx.execute(sql`
        update parts_stock set quantity = 0, snapshot_at = ${snapshot.takenAt}::timestamptz, message_id = ${snapshot.messageId}::uuid
        where warehouse = ${snapshot.warehouse} and snapshot_at < ${snapshot.takenAt}::timestamptz
        returning 1 as n`),
    ).length;
    const unknown = rowsOf<{ n: number | string; examples: string[] | string | null }>(
      await tx.execute(sql`
        select count(*)::int as n, (array_agg(ps.part_number order by ps.part_number))[1:5] as examples
        from parts_stock ps left join parts p on p.part_number = ps.part_number
        where ps.warehouse = ${snapshot.warehouse} and ps.message_id = ${snapshot.messageId}::uuid and p.part_number is null`),
    )[0];
    const alerts = await evaluatePartAlerts(c, { warehouse: snapshot.warehouse });
    const unknownParts = Number(unknown?.n ?? 0);
    const unknownExamples = Array.isArray(unknown?.examples) ? unknown.examples : [];
    const outcome: PartsStockFinish = { lines: lineCount, zeroed, unknownParts, unknownExamples, ...alerts };
    await writeAudit(c, {
      action: "parts_stock.snapshot_applied",
      entityType: "parts_stock",
      entityId: snapshot.warehouse,
      after: { snapshotId: snapshot.snapshotId, takenAt: snapshot.takenAt, messageId: snapshot.messageId, ...outcome },
    });
    return outcome;
  });
}
