// Parts stock per warehouse × part (ERP snapshots) with its safety-stock threshold. OEM staff see
// every part, including stock of part numbers the material master has not sent yet; dealers see only
// active parts the OEM lets dealers see (parts.dealer_visible) — warehouse stock is the OEM's, so
// there is no organisation scope on the rows, only this visibility rule.
import { and, asc, count, desc, eq, ilike, or, sql, type SQL } from "drizzle-orm";
import { parts, partsStock } from "../../../db/schema";
import { requirePermission } from "../authorize";
import type { Ctx } from "../context";
import { inScope, scopeOf } from "../context";
import { likePattern, type ListQuery, type Page } from "../list-query";
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

/** The warehouses with stock (for the filter), and how many lines of each are below threshold. */
export async function summarizePartsStock(ctx: Ctx): Promise<{ warehouse: string; lines: number; below: number }[]> {
  requirePermission(ctx.actor, "inventory:read");
  const visible = seesAllParts(ctx) ? undefined : and(eq(parts.dealerVisible, true), eq(parts.active, true));
  return inScope(ctx, async (tx) => {
    const rows = await tx
      .select({ warehouse: partsStock.warehouse, lines: count(), below: sql<number>`count(*) filter (where ${below})::int` })
      .from(partsStock)
      .leftJoin(parts, eq(parts.partNumber, partsStock.partNumber))
      .where(visible)
      .groupBy(partsStock.warehouse)
      .orderBy(asc(partsStock.warehouse));
    return rows.map((r) => ({ warehouse: r.warehouse, lines: Number(r.lines), below: Number(r.below) }));
  });
}
