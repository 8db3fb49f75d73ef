// Safety-stock alerts for parts (DESIGN §3 Inventory, issue 3 §7): an open alert for every
// warehouse × part whose quantity is below its threshold, cleared (clearedAt) once it recovers.
// Threshold: parts_stock.safety_stock (warehouse-specific, from the snapshot line) else
// parts.safety_stock (from the material master). "Below" is strictly less: a threshold of 0 never
// alerts, and stock equal to the threshold is enough. Parts made inactive by the material master do
// not alert (and their open alerts clear). Set-based SQL, so a 200,000-line warehouse is a few
// statements, not 200,000 round trips. At most one open alert per subject is the database's rule
// (stock_alerts_open_uq); an alert that stays open only has its level and threshold brought up to date.
import { sql, type SQL } from "drizzle-orm";
import type { Ctx } from "../context";
import { inScope } from "../context";

export type PartAlertScope = { warehouse: string } | { partNumbers: readonly string[] };
export type PartAlertCounts = { raised: number; updated: number; cleared: number };

export async function evaluatePartAlerts(ctx: Ctx, scope: PartAlertScope): Promise<PartAlertCounts> {
  if ("partNumbers" in scope && scope.partNumbers.length === 0) return { raised: 0, updated: 0, cleared: 0 };
  const stockFilter: SQL =
    "warehouse" in scope
      ? sql`ps.warehouse = ${scope.warehouse}`
      : sql`ps.part_number in (select value from json_array_elements_text(${JSON.stringify(scope.partNumbers)}::json))`;
  const alertFilter: SQL =
    "warehouse" in scope
      ? sql`sa.scope_key = ${scope.warehouse}`
      : sql`sa.subject in (select value from json_array_elements_text(${JSON.stringify(scope.partNumbers)}::json))`;
  return inScope(ctx, async (tx) => {
    const upserted = await tx.execute(sql`
      insert into stock_alerts (kind, scope_key, subject, organization_id, threshold, level, raised_at)
      select 'part', ps.warehouse, ps.part_number, null, coalesce(ps.safety_stock, p.safety_stock), ps.quantity, ${ctx.now.toISOString()}::timestamptz
      from parts_stock ps left join parts p on p.part_number = ps.part_number
      where ${stockFilter} and coalesce(p.active, true) and ps.quantity < coalesce(ps.safety_stock, p.safety_stock)
      on conflict (kind, scope_key, subject) where cleared_at is null
      do update set level = excluded.level, threshold = excluded.threshold
        where stock_alerts.level is distinct from excluded.level or stock_alerts.threshold is distinct from excluded.threshold
      returning (xmax = 0) as inserted`);
    const rows = rowsOf<{ inserted: boolean | string }>(upserted);
    const cleared = await tx.execute(sql`
      update stock_alerts sa
      set cleared_at = ${ctx.now.toISOString()}::timestamptz,
          level = coalesce((select ps.quantity from parts_stock ps where ps.warehouse = sa.scope_key and ps.part_number = sa.subject), sa.level)
      where sa.kind = 'part' and sa.cleared_at is null and ${alertFilter}
        and not exists (
          select 1 from parts_stock ps left join parts p on p.part_number = ps.part_number
          where ps.warehouse = sa.scope_key and ps.part_number = sa.subject
            and coalesce(p.active, true) and ps.quantity < coalesce(ps.safety_stock, p.safety_stock))
      returning sa.id`);
    const raised = rows.filter((r) => r.inserted === true || r.inserted === "t").length;
    return { raised, updated: rows.length - raised, cleared: rowsOf(cleared).length };
  });
}

/** postgres.js returns the rows as the result; PGlite as `.rows`. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
