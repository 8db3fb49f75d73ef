// User lists: all users for OEM admins, the own organisation's for a dealer principal (the RLS scope
// decides which rows exist for the query at all).
import { and, asc, count, desc, eq, ilike, or, type SQL } from "drizzle-orm";
import { organizations, users } from "../../../db/schema";
import { requirePermission } from "../authorize";
import type { Ctx } from "../context";
import { inScope, scopeCondition } from "../context";
import { likePattern, type ListQuery, type Page } from "../list-query";
import { userListSpec } from "./list-spec";

export { userListSpec };
import { userColumns, type UserView } from "./get-user.server";


type Sort = (typeof userListSpec.sorts)[number];
type Filter = keyof typeof userListSpec.filters;

export async function listUsers(ctx: Ctx, query: ListQuery<Sort, Filter>): Promise<Page<UserView>> {
  requirePermission(ctx.actor, "user:manage_all", "user:manage_own_org");
  const f = query.filters;
  const where: SQL[] = [];
  const scoped = scopeCondition(ctx, users.organizationId);
  if (scoped) where.push(scoped);
  if (f.q) where.push(or(ilike(users.name, likePattern(f.q)), ilike(users.email, likePattern(f.q)))!);
  if (f.role) where.push(eq(users.role, f.role as UserView["role"]));
  if (f.status) where.push(eq(users.status, f.status as UserView["status"]));
  if (f.org) where.push(or(eq(organizations.code, f.org.toUpperCase()), ilike(organizations.name, likePattern(f.org)))!);
  const sortColumn = {
    name: users.name,
    email: users.email,
    role: users.role,
    organization: organizations.code,
    status: users.status,
    lastLoginAt: users.lastLoginAt,
    createdAt: users.createdAt,
  }[query.sort];
  const order = query.dir === "asc" ? asc(sortColumn) : desc(sortColumn);
  const condition = where.length ? and(...where) : undefined;
  return inScope(ctx, async (tx) => {
    const [total] = await tx
      .select({ n: count() })
      .from(users)
      .innerJoin(organizations, eq(organizations.id, users.organizationId))
      .where(condition);
    const rows = await tx
      .select(userColumns)
      .from(users)
      .innerJoin(organizations, eq(organizations.id, users.organizationId))
      .where(condition)
      .orderBy(order, asc(users.id))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize);
    return { rows, total: total?.n ?? 0, page: query.page, pageSize: query.pageSize };
  });
}
