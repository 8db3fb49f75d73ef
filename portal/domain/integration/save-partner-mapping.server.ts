// Adding or changing a partner-id mapping from the monitor: the organisation is chosen by its code,
// validated here, and the mapping written (and audited) by mapPartner in the same transaction.
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { integrationSystem, organizations, type IntegrationSystem } from "../../../db/schema";
import { requirePermission } from "../authorize";
import type { Ctx } from "../context";
import { inScope } from "../context";
import { ValidationError } from "../errors";
import { parseInput } from "../validation";
import { mapPartner } from "./partner-mappings.server";

export const partnerMappingInput = z.object({
  system: z.enum(integrationSystem.enumValues),
  // Partner ids are kept exactly as the sender writes them (leading zeros included), only trimmed.
  partnerId: z.string().trim().min(1).max(64),
  organizationCode: z.string().trim().min(1).max(20),
  note: z
    .string()
    .trim()
    .max(200)
    .optional()
    .transform((v) => (v ? v : undefined)),
});

export type SavedPartnerMapping = {
  system: IntegrationSystem;
  partnerId: string;
  organizationCode: string;
  organizationName: string;
};

export async function savePartnerMapping(ctx: Ctx, raw: unknown): Promise<SavedPartnerMapping> {
  requirePermission(ctx.actor, "integration:monitor");
  const input = parseInput(partnerMappingInput, raw);
  return inScope(ctx, async (tx, c) => {
    const [org] = await tx
      .select({ id: organizations.id, code: organizations.code, name: organizations.name })
      .from(organizations)
      .where(eq(sql`upper(${organizations.code})`, input.organizationCode.toUpperCase()));
    if (!org) {
      throw new ValidationError([
        {
          field: "organizationCode",
          rule: "unknown_organization",
          message: `no organisation has the code ${input.organizationCode}`,
          params: { code: input.organizationCode },
        },
      ]);
    }
    await mapPartner(c, {
      system: input.system,
      partnerId: input.partnerId,
      organizationId: org.id,
      note: input.note,
    });
    return {
      system: input.system,
      partnerId: input.partnerId,
      organizationCode: org.code,
      organizationName: org.name,
    };
  });
}
