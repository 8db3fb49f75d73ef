// The partner-id mapping table of the monitor (issue 3 §7): which of our organisations a sender's
// partner id means, per system. OEM admins only; paged, sorted and filtered on the server.
import { and, asc, count, desc, eq, ilike, or, type SQL } from "drizzle-orm";
import {
  integrationSystem,
  organizations,
  partnerMappings,
  type IntegrationSystem,
} from "../../../db/schema";
import { requirePermission } from "../authorize";
import type { Ctx } from "../context";
import { inScope } from "../context";
import { likePattern, type ListQuery, type ListSpec, type Page } from "../list-query";

export const partnerMappingListSpec = {
  sorts: ["system", "partnerId", "organization", "createdAt"],
  defaultSort: "system",
  filters: { system: integrationSystem.enumValues, q: "text" },
} as const satisfies ListSpec<string, string>;

type Sort = (typeof partnerMappingListSpec.sorts)[number];
type Filter = keyof typeof partnerMappingListSpec.filters;

export type PartnerMappingRow = {
  system: IntegrationSystem;
  partnerId: string;
  organizationId: string;
  organizationCode: string;
  organizationName: string;
  note: string | null;
  createdAt: Date;
};

export async function listPartnerMappings(
  ctx: Ctx,
  query: ListQuery<Sort, Filter>,
): Promise<Page<PartnerMappingRow>> {
  requirePermission(ctx.actor, "integration:monitor");
  const f = query.filters;
  const where: SQL[] = [];
  if (f.system) where.push(eq(partnerMappings.system, f.system as IntegrationSystem));
  if (f.q) {
    const p = likePattern(f.q);
    where.push(
      or(
        ilike(partnerMappings.partnerId, p),
        ilike(organizations.code, p),
        ilike(organizations.name, p),
        ilike(partnerMappings.note, p),
      )!,
    );
  }
  const condition = where.length ? and(...where) : undefined;
  const column = {
    system: partnerMappings.system,
    partnerId: partnerMappings.partnerId,
    organization: organizations.code,
    createdAt: partnerMappings.createdAt,
  }[query.sort];
  const order = query.dir === "asc" ? asc(column) : desc(column);
  return inScope(ctx, async (tx) => {
    const [total] = await tx
      .select({ n: count() })
      .from(partnerMappings)
      .innerJoin(organizations, eq(organizations.id, partnerMappings.organizationId))
      .where(condition);
    const rows = await tx
      .select({
        system: partnerMappings.system,
        partnerId: partnerMappings.partnerId,
        organizationId: partnerMappings.organizationId,
        organizationCode: organizations.code,
        organizationName: organizations.name,
        note: partnerMappings.note,
        createdAt: partnerMappings.createdAt,
      })
      .from(partnerMappings)
      .innerJoin(organizations, eq(organizations.id, partnerMappings.organizationId))
      .where(condition)
      .orderBy(order, asc(partnerMappings.system), asc(partnerMappings.partnerId))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize);
    return { rows, total: total?.n ?? 0, page: query.page, pageSize: query.pageSize };
  });
}
