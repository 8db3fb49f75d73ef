// The audit screen's search: newest first, filtered by action, entity, actor text and date range.
import { and, asc, count, desc, eq, gte, ilike, lt, or, type SQL } from "drizzle-orm";
import { auditLog } from "../../../db/schema";
import { requirePermission } from "../authorize";
import type { Ctx } from "../context";
import { inScope } from "../context";
import { likePattern, type ListQuery, type Page } from "../list-query";
import { auditListSpec } from "./list-spec";

export { auditListSpec };


type Sort = (typeof auditListSpec.sorts)[number];
type Filter = keyof typeof auditListSpec.filters;

export type AuditView = {
  id: string;
  at: Date;
  actorLabel: string;
  action: string;
  entityType: string;
  entityId: string | null;
  organizationId: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
  ip: string | null;
};

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

export async function searchAudit(ctx: Ctx, query: ListQuery<Sort, Filter>): Promise<Page<AuditView>> {
  requirePermission(ctx.actor, "audit:read");
  const f = query.filters;
  const where: SQL[] = [];
  if (f.q) {
    const p = likePattern(f.q);
    where.push(or(ilike(auditLog.actorLabel, p), ilike(auditLog.entityId, p), ilike(auditLog.action, p))!);
  }
  if (f.action) where.push(ilike(auditLog.action, `${f.action.replace(/[\\%_]/g, "\\$&")}%`));
  if (f.entity) where.push(eq(auditLog.entityType, f.entity));
  if (f.from && isoDate.test(f.from)) where.push(gte(auditLog.at, new Date(`${f.from}T00:00:00Z`)));
  if (f.to && isoDate.test(f.to)) where.push(lt(auditLog.at, new Date(new Date(`${f.to}T00:00:00Z`).getTime() + 86_400_000)));
  const sortColumn = { at: auditLog.at, action: auditLog.action, entityType: auditLog.entityType, actor: auditLog.actorLabel }[query.sort];
  const condition = where.length ? and(...where) : undefined;
  return inScope(ctx, async (tx) => {
    const [total] = await tx.select({ n: count() }).from(auditLog).where(condition);
    const rows = await tx
      .select()
      .from(auditLog)
      .where(condition)
      .orderBy(query.dir === "asc" ? asc(sortColumn) : desc(sortColumn), desc(auditLog.id))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize);
    return {
      rows: rows.map((r) => ({ ...r, id: r.id.toString() })),
      total: total?.n ?? 0,
      page: query.page,
      pageSize: query.pageSize,
    };
  });
}
