// Parts stock per warehouse × part (ERP snapshots) with its safety-stock threshold. OEM staff see
// every part, including stock of part numbers the material master has not sent yet; dealers see only
// active parts the OEM lets dealers see (parts.dealer_visible) — warehouse stock is the OEM's, so
// there is no organisation scope on the rows, only this visibility rule.
import { and, asc, count, desc, eq, ilike, isNull, or, sql, type SQL } from "drizzle-orm";
import { parts, partsStock, stockAlerts } from "../../../db/schema";
import { requirePermission } from "../authorize";
import type { Ctx } from "../context";
import { inScope, scopeOf } from "../context";
import { likePattern, type ListQuery, type Page } from "../list-query";
import { rowsOf } from "./evaluate-part-alerts.server";
import type { partsStockListSpec } from "./list-spec";

type Sort = (typeof partsStockListSpec.sorts)[number];
type Filter = keyof typeof partsStockListSpec.filters;

export type PartsStockRow = {
  warehouse: string;
  partNumber: string;
  descriptionZh: string | null;
  descriptionEn: string | null;
  /** bigint as a string (JSON has no bigint). */
  quantity: string;
  threshold: number | null;
  below: boolean;
  snapshotAt: Date;
};

const threshold = sql<number | null>`coalesce(${partsStock.safetyStock}, ${parts.safetyStock})`;
const below = sql<boolean>`coalesce(${partsStock.quantity} < coalesce(${partsStock.safetyStock}, ${parts.safetyStock}) and coalesce(${parts.active}, true), false)`;

/** Only OEM staff (and system jobs) see parts the OEM keeps from dealers. */
export function seesAllParts(ctx: Ctx): boolean {
  return scopeOf(ctx.actor) === "all";
}

export async function listPartsStock(ctx: Ctx, query: ListQuery<Sort, Filter>, locale: string): Promise<Page<PartsStockRow>> {
  requirePermission(ctx.actor, "inventory:read");
  const f = query.filters;
  const where: SQL[] = [];
  if (!seesAllParts(ctx)) where.push(eq(parts.dealerVisible, true), eq(parts.active, true));
  if (f.warehouse) where.push(eq(partsStock.warehouse, f.warehouse));
  if (f.q) {
    const p = likePattern(f.q);
    where.push(or(ilike(partsStock.partNumber, p), ilike(parts.descriptionEn, p), ilike(parts.descriptionZh, p))!);
  }
  if (f.below === "1") where.push(below);
  const description = locale === "en" ? parts.descriptionEn : parts.descriptionZh;
  const sortColumn = {
    warehouse: partsStock.warehouse,
    part: partsStock.partNumber,
    description,
    quantity: partsStock.quantity,
    threshold,
    snapshotAt: partsStock.snapshotAt,
  }[query.sort];
  const order = query.dir === "asc" ? asc(sortColumn) : desc(sortColumn);
  const condition = where.length ? and(...where) : undefined;
  return inScope(ctx, async (tx) => {
    const [total] = await tx.select({ n: count() }).from(partsStock).leftJoin(parts, eq(parts.partNumber, partsStock.partNumber)).where(condition);
    const rows = await tx
      .select({
        warehouse: partsStock.warehouse,
        partNumber: partsStock.partNumber,
        descriptionZh: parts.descriptionZh,
        descriptionEn: parts.descriptionEn,
        quantity: sql<string>`${partsStock.quantity}::text`,
        threshold,
        below,
        snapshotAt: partsStock.snapshotAt,
      })
      .from(partsStock)
      .leftJoin(parts, eq(parts.partNumber, partsStock.partNumber))
      .where(condition)
      .orderBy(order, asc(partsStock.warehouse), asc(partsStock.partNumber))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize);
    return {
      rows: rows.map((r) => ({ ...r, threshold: r.threshold === null ? null : Number(r.threshold), below: r.below === true || (r.below as unknown) === "t" })),
      total: total?.n ?? 0,
      page: query.page,
      pageSize: query.pageSize,
    };
  });
}

/**
 * The warehouses with stock (for the filter) and their open safety-stock alerts (for the chart).
 * Warehouses by a loose index scan on the primary key (one index probe per warehouse), alerts from
 * the small alert table: a page load never counts millions of stock rows.
 */
export async function summarizePartsStock(ctx: Ctx): Promise<{ warehouse: string; openAlerts: number }[]> {
  requirePermission(ctx.actor, "inventory:read");
  return inScope(ctx, async (tx) => {
    const warehouses = rowsOf<{ warehouse: string }>(
      await tx.execute(sql`
        with recursive w(warehouse) as (
          (select warehouse from parts_stock order by warehouse limit 1)
          union all
          select (select p.warehouse from parts_stock p where p.warehouse > w.warehouse order by p.warehouse limit 1) from w where w.warehouse is not null
        )
        select warehouse from w where warehouse is not null limit 500`),
    );
    const alerts = await tx
      .select({ warehouse: stockAlerts.scopeKey, n: count() })
      .from(stockAlerts)
      .where(and(eq(stockAlerts.kind, "part"), isNull(stockAlerts.clearedAt)))
      .groupBy(stockAlerts.scopeKey);
    const open = new Map(alerts.map((a) => [a.warehouse, Number(a.n)]));
    return warehouses.map((w) => ({ warehouse: w.warehouse, openAlerts: open.get(w.warehouse) ?? 0 }));
  });
}
