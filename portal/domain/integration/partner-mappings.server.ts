// Partner-id mappings: which of our organisations a sender's partner id means (the DMS dealer
// number, the ERP customer number…). One mechanism for every feed; OEM staff edit it.
import { and, eq } from "drizzle-orm";
import { partnerMappings, type IntegrationSystem } from "../../../db/schema";
import { writeAudit } from "../audit/write-audit.server";
import { requirePermission } from "../authorize";
import type { Ctx } from "../context";
import { inScope } from "../context";

export async function findPartnerOrganization(ctx: Ctx, system: IntegrationSystem, partnerId: string): Promise<string | null> {
  return inScope(ctx, async (tx) => {
    const [row] = await tx
      .select({ organizationId: partnerMappings.organizationId })
      .from(partnerMappings)
      .where(and(eq(partnerMappings.system, system), eq(partnerMappings.partnerId, partnerId)));
    return row?.organizationId ?? null;
  });
}

/** Maps a partner id to an organisation (replacing an earlier mapping), audited. */
export async function mapPartner(
  ctx: Ctx,
  input: { system: IntegrationSystem; partnerId: string; organizationId: string; note?: string },
): Promise<void> {
  requirePermission(ctx.actor, "integration:monitor");
  await inScope(ctx, async (tx, c) => {
    const [before] = await tx
      .select()
      .from(partnerMappings)
      .where(and(eq(partnerMappings.system, input.system), eq(partnerMappings.partnerId, input.partnerId)));
    await tx
      .insert(partnerMappings)
      .values({ ...input, note: input.note ?? null, createdAt: ctx.now })
      .onConflictDoUpdate({
        target: [partnerMappings.system, partnerMappings.partnerId],
        set: { organizationId: input.organizationId, note: input.note ?? null },
      });
    await writeAudit(c, {
      action: before ? "partner_mapping.updated" : "partner_mapping.created",
      entityType: "partner_mapping",
      entityId: `${input.system}:${input.partnerId}`,
      organizationId: input.organizationId,
      before: before ?? null,
      after: input,
    });
  });
}
