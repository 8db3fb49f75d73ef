// Creates or edits an organisation (OEM admin). Deactivating one ends its users' sessions at once.
import { eq } from "drizzle-orm";
import { organizations, regions, type Organization } from "../../../db/schema";
import { writeAudit } from "../audit/write-audit.server";
import { requirePermission } from "../authorize";
import { invalidateOrganizationSessions } from "../auth/session.server";
import type { Ctx } from "../context";
import { inScope } from "../context";
import { ConflictError, NotFoundError, ValidationError } from "../errors";
import { MoneyFormatError, parseAmountToMinor } from "../money";
import { parseInput } from "../validation";
import { getOrganizationForActor } from "./get-organization.server";
import { organizationInput } from "./organization-input";
import type { Tx } from "../../../db/client";

async function toValues(tx: Tx, raw: unknown, selfId?: string) {
  const input = parseInput(organizationInput, raw);
  let creditLimitMinor: bigint;
  try {
    creditLimitMinor = parseAmountToMinor(input.creditLimit || "0", input.currency);
  } catch (error) {
    if (error instanceof MoneyFormatError) {
      throw new ValidationError([{ field: "creditLimit", rule: error.rule, message: error.message }]);
    }
    throw error;
  }
  if (creditLimitMinor < 0n) {
    throw new ValidationError([{ field: "creditLimit", rule: "min", message: "must not be negative" }]);
  }
  const regionCode = input.regionCode || null;
  if (regionCode) {
    const [region] = await tx.select().from(regions).where(eq(regions.code, regionCode));
    if (!region) throw new ValidationError([{ field: "regionCode", rule: "exists", message: "unknown region" }]);
  }
  const parentId = input.parentId || null;
  if (parentId) {
    if (input.type !== "dealer") {
      throw new ValidationError([{ field: "parentId", rule: "dealer_only", message: "only a dealer belongs to a dealer group" }]);
    }
    const [parent] = await tx.select().from(organizations).where(eq(organizations.id, parentId));
    if (!parent || parent.type !== "dealer_group" || parent.id === selfId) {
      throw new ValidationError([{ field: "parentId", rule: "dealer_group", message: "must be a dealer group" }]);
    }
  }
  return {
    code: input.code,
    name: input.name,
    type: input.type,
    regionCode,
    parentId,
    status: input.status,
    creditLimitMinor,
    currency: input.currency,
  };
}

async function assertCodeFree(tx: Tx, code: string, selfId?: string) {
  const [existing] = await tx.select({ id: organizations.id }).from(organizations).where(eq(organizations.code, code));
  if (existing && existing.id !== selfId) {
    throw new ValidationError([{ field: "code", rule: "unique", message: "is already used by another organisation" }]);
  }
}

export async function createOrganization(ctx: Ctx, raw: unknown): Promise<Organization> {
  requirePermission(ctx.actor, "organization:manage");
  return inScope(ctx, async (tx, c) => {
    const values = await toValues(tx, raw);
    await assertCodeFree(tx, values.code);
    const [created] = await tx
      .insert(organizations)
      .values({ ...values, createdAt: ctx.now, updatedAt: ctx.now })
      .returning();
    await writeAudit(c, {
      action: "organization.created",
      entityType: "organization",
      entityId: created!.id,
      organizationId: created!.id,
      after: created,
    });
    return created!;
  });
}

export async function updateOrganization(
  ctx: Ctx,
  id: string,
  raw: unknown,
  expectedUpdatedAt?: string,
): Promise<Organization> {
  requirePermission(ctx.actor, "organization:manage");
  const before = await getOrganizationForActor(ctx, id);
  return inScope(ctx, async (tx, c) => {
    const values = await toValues(tx, raw, id);
    if (values.type !== before.type) {
      throw new ValidationError([{ field: "type", rule: "immutable", message: "cannot change after creation" }]);
    }
    await assertCodeFree(tx, values.code, id);
    if (before.type === "oem" && values.status === "inactive") {
      throw new ValidationError([{ field: "status", rule: "oem_active", message: "the OEM cannot be deactivated" }]);
    }
    // Optimistic concurrency: two admins editing the same organisation cannot silently overwrite.
    if (expectedUpdatedAt && new Date(expectedUpdatedAt).getTime() !== before.updatedAt.getTime()) {
      throw new ConflictError("stale", "the organisation was changed by someone else; reload and try again");
    }
    const [after] = await tx
      .update(organizations)
      .set({ ...values, updatedAt: ctx.now })
      .where(eq(organizations.id, id))
      .returning();
    if (!after) throw new NotFoundError("organization");
    let endedSessions = 0;
    if (before.status === "active" && after.status === "inactive") {
      endedSessions = await invalidateOrganizationSessions(tx, id);
    }
    await writeAudit(c, {
      action: before.status !== after.status ? `organization.${after.status === "active" ? "activated" : "deactivated"}` : "organization.updated",
      entityType: "organization",
      entityId: id,
      organizationId: id,
      before,
      after: endedSessions ? { ...after, endedSessions } : after,
    });
    return after;
  });
}
