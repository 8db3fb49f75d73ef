// The organisation list of the admin screens: filtered, sorted and paged on the server.
import { and, asc, count, desc, eq, ilike, or, sql, type SQL } from "drizzle-orm";
import type { organizationType} from "../../../db/schema";
import { organizations, regions, users } from "../../../db/schema";
import { requirePermission } from "../authorize";
import type { Ctx } from "../context";
import { inScope } from "../context";
import { likePattern, type ListQuery, type Page } from "../list-query";
import { organizationListSpec } from "./list-spec";

export { organizationListSpec };


type Sort = (typeof organizationListSpec.sorts)[number];
type Filter = keyof typeof organizationListSpec.filters;

export type OrganizationListRow = {
  id: string;
  code: string;
  name: string;
  type: (typeof organizationType.enumValues)[number];
  regionCode: string | null;
  regionNameZh: string | null;
  regionNameEn: string | null;
  status: "active" | "inactive";
  creditLimitMinor: bigint;
  currency: string;
  userCount: number;
  createdAt: Date;
};

export async function listOrganizations(ctx: Ctx, query: ListQuery<Sort, Filter>): Promise<Page<OrganizationListRow>> {
  requirePermission(ctx.actor, "organization:read");
  const f = query.filters;
  const where: SQL[] = [];
  if (f.q) where.push(or(ilike(organizations.code, likePattern(f.q)), ilike(organizations.name, likePattern(f.q)))!);
  if (f.type) where.push(eq(organizations.type, f.type as OrganizationListRow["type"]));
  if (f.status) where.push(eq(organizations.status, f.status as "active" | "inactive"));
  if (f.region) where.push(eq(organizations.regionCode, f.region));
  const userCount = sql<number>`(select count(*) from ${users} where ${users.organizationId} = ${organizations.id})::int`;
  const sortColumn = {
    code: organizations.code,
    name: organizations.name,
    type: organizations.type,
    region: organizations.regionCode,
    status: organizations.status,
    users: userCount,
    createdAt: organizations.createdAt,
  }[query.sort];
  const order = query.dir === "asc" ? asc(sortColumn) : desc(sortColumn);
  return inScope(ctx, async (tx) => {
    const condition = where.length ? and(...where) : undefined;
    const [total] = await tx.select({ n: count() }).from(organizations).where(condition);
    const rows = await tx
      .select({
        id: organizations.id,
        code: organizations.code,
        name: organizations.name,
        type: organizations.type,
        regionCode: organizations.regionCode,
        regionNameZh: regions.nameZh,
        regionNameEn: regions.nameEn,
        status: organizations.status,
        creditLimitMinor: organizations.creditLimitMinor,
        currency: organizations.currency,
        userCount,
        createdAt: organizations.createdAt,
      })
      .from(organizations)
      .leftJoin(regions, eq(regions.code, organizations.regionCode))
      .where(condition)
      .orderBy(order, asc(organizations.id))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize);
    return { rows, total: total?.n ?? 0, page: query.page, pageSize: query.pageSize };
  });
}

export async function listRegions(ctx: Ctx) {
  return inScope(ctx, (tx) => tx.select().from(regions).orderBy(asc(regions.code)));
}

/** Organisations a user may be attached to (admin user form), newest codes last. */
export async function listOrganizationChoices(ctx: Ctx) {
  return inScope(ctx, (tx) =>
    tx
      .select({ id: organizations.id, code: organizations.code, name: organizations.name, type: organizations.type })
      .from(organizations)
      .orderBy(asc(organizations.code)),
  );
}

export async function listDealerGroups(ctx: Ctx) {
  return inScope(ctx, (tx) =>
    tx
      .select({ id: organizations.id, code: organizations.code, name: organizations.name })
      .from(organizations)
      .where(eq(organizations.type, "dealer_group"))
      .orderBy(asc(organizations.code)),
  );
}
