// Safety-stock alerts for follow-up: open ones first, then by the chosen column. Row-level security
// decides which alerts exist for the reader (an alert of a dealer's own stock is that dealer's;
// warehouse alerts have no organisation and are the OEM's); dealers additionally never see alerts of
// parts kept from them (parts.dealer_visible).
import { aliasedTable, and, asc, count, desc, eq, ilike, isNotNull, isNull, or, sql, type SQL } from "drizzle-orm";
import { parts, stockAlerts } from "../../../db/schema";
import { requirePermission } from "../authorize";
import type { Ctx } from "../context";
import { inScope } from "../context";
import { likePattern, type ListQuery, type Page } from "../list-query";
import { seesAllParts } from "./list-parts-stock.server";
import type { stockAlertListSpec } from "./list-spec";

type Sort = (typeof stockAlertListSpec.sorts)[number];
type Filter = keyof typeof stockAlertListSpec.filters;

export type StockAlertRow = {
  id: string;
  kind: string;
  /** part alerts: the warehouse */
  scopeKey: string;
  /** part alerts: the part number */
  subject: string;
  descriptionZh: string | null;
  descriptionEn: string | null;
  threshold: string;
  level: string;
  raisedAt: Date;
  clearedAt: Date | null;
  acknowledgedBy: string | null;
};

const part = aliasedTable(parts, "alert_part");

export async function listStockAlerts(ctx: Ctx, query: ListQuery<Sort, Filter>): Promise<Page<StockAlertRow>> {
  requirePermission(ctx.actor, "inventory:read");
  const f = query.filters;
  const where: SQL[] = [];
  if (!seesAllParts(ctx)) where.push(or(sql`${stockAlerts.kind} <> 'part'`, eq(part.dealerVisible, true))!);
  if (f.status === "open") where.push(isNull(stockAlerts.clearedAt));
  if (f.status === "cleared") where.push(isNotNull(stockAlerts.clearedAt));
  if (f.warehouse) where.push(eq(stockAlerts.scopeKey, f.warehouse));
  if (f.q) {
    const p = likePattern(f.q);
    where.push(or(ilike(stockAlerts.subject, p), ilike(part.descriptionEn, p), ilike(part.descriptionZh, p))!);
  }
  const sortColumn = {
    raisedAt: stockAlerts.raisedAt,
    warehouse: stockAlerts.scopeKey,
    part: stockAlerts.subject,
    level: stockAlerts.level,
    threshold: stockAlerts.threshold,
    clearedAt: stockAlerts.clearedAt,
  }[query.sort];
  const order = query.dir === "asc" ? asc(sortColumn) : desc(sortColumn);
  const condition = where.length ? and(...where) : undefined;
  const join = and(eq(stockAlerts.kind, "part"), eq(part.partNumber, stockAlerts.subject));
  return inScope(ctx, async (tx) => {
    const [total] = await tx.select({ n: count() }).from(stockAlerts).leftJoin(part, join).where(condition);
    const rows = await tx
      .select({
        id: stockAlerts.id,
        kind: stockAlerts.kind,
        scopeKey: stockAlerts.scopeKey,
        subject: stockAlerts.subject,
        descriptionZh: part.descriptionZh,
        descriptionEn: part.descriptionEn,
        threshold: sql<string>`${stockAlerts.threshold}::text`,
        level: sql<string>`${stockAlerts.level}::text`,
        raisedAt: stockAlerts.raisedAt,
        clearedAt: stockAlerts.clearedAt,
        acknowledgedBy: stockAlerts.acknowledgedBy,
      })
      .from(stockAlerts)
      .leftJoin(part, join)
      .where(condition)
      // Open alerts first, whatever the chosen order (they are the ones to follow up).
      .orderBy(sql`(${stockAlerts.clearedAt} is null) desc`, order, asc(stockAlerts.id))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize);
    return { rows, total: total?.n ?? 0, page: query.page, pageSize: query.pageSize };
  });
}

/** Open alerts the reader sees, for the page head. */
export async function countOpenStockAlerts(ctx: Ctx): Promise<number> {
  const page = await listStockAlerts(ctx, { page: 1, pageSize: 1, sort: "raisedAt", dir: "desc", filters: { status: "open" } });
  return page.total;
}
