// Applies one dealer record of the ERP customer master: updates the dealer it is mapped to, or links
// an unmapped dealer with the same code, or creates a new dealer and maps it. Deleted or centrally
// blocked customers become inactive (which ends their users' sessions, as a manual deactivation does).
import { and, eq } from "drizzle-orm";
import { organizations, partnerMappings } from "../../../db/schema";
import { writeAudit } from "../audit/write-audit.server";
import { invalidateOrganizationSessions } from "../auth/session.server";
import type { Ctx } from "../context";
import { inScope } from "../context";

export type ErpDealer = {
  customerNumber: string;
  dealerCode: string | null;
  name: string;
  nameLatin: string | null;
  deleted: boolean;
  orderBlock: string | null;
  creditLimit: { currency: string; amountMinor: string } | null;
};

export type ErpDealerOutcome = { organizationId: string; action: "created" | "updated" | "linked" | "unchanged" };

const codePattern = /^[A-Z0-9][A-Z0-9_-]{0,19}$/;

export async function applyErpDealer(ctx: Ctx, dealer: ErpDealer): Promise<ErpDealerOutcome> {
  return inScope(ctx, async (tx, c) => {
    const name = dealer.nameLatin && !dealer.name.includes(dealer.nameLatin) ? `${dealer.name} ${dealer.nameLatin}` : dealer.name;
    const status = dealer.deleted || dealer.orderBlock ? ("inactive" as const) : ("active" as const);
    const credit = dealer.creditLimit ? { creditLimitMinor: BigInt(dealer.creditLimit.amountMinor), currency: dealer.creditLimit.currency } : {};
    const values = { name: name.slice(0, 120), status, ...credit };

    const [mapping] = await tx
      .select()
      .from(partnerMappings)
      .where(and(eq(partnerMappings.system, "erp"), eq(partnerMappings.partnerId, dealer.customerNumber)));
    let target = mapping ? (await tx.select().from(organizations).where(eq(organizations.id, mapping.organizationId)))[0] : undefined;
    let action: ErpDealerOutcome["action"] = "updated";

    if (!target && dealer.dealerCode && codePattern.test(dealer.dealerCode)) {
      // An existing dealer with the code the ERP carries, not yet mapped to any ERP customer: link it.
      const [sameCode] = await tx.select().from(organizations).where(eq(organizations.code, dealer.dealerCode));
      if (sameCode && sameCode.type === "dealer") {
        const [taken] = await tx
          .select()
          .from(partnerMappings)
          .where(and(eq(partnerMappings.system, "erp"), eq(partnerMappings.organizationId, sameCode.id)));
        if (!taken) {
          target = sameCode;
          action = "linked";
        }
      }
    }

    if (!target) {
      const code = dealer.dealerCode && codePattern.test(dealer.dealerCode) && !(await codeTaken(dealer.dealerCode)) ? dealer.dealerCode : `ERP-${dealer.customerNumber}`;
      const [created] = await tx
        .insert(organizations)
        .values({ code, type: "dealer", ...values, createdAt: ctx.now, updatedAt: ctx.now })
        .returning();
      await tx.insert(partnerMappings).values({ system: "erp", partnerId: dealer.customerNumber, organizationId: created!.id, note: "created by ERP dealer master", createdAt: ctx.now });
      await writeAudit(c, { action: "organization.created", entityType: "organization", entityId: created!.id, organizationId: created!.id, after: created });
      return { organizationId: created!.id, action: "created" };
    }

    if (action === "linked") {
      await tx.insert(partnerMappings).values({ system: "erp", partnerId: dealer.customerNumber, organizationId: target.id, note: "linked by dealer code", createdAt: ctx.now });
    }
    const changed =
      target.name !== values.name ||
      target.status !== values.status ||
      (dealer.creditLimit && (target.creditLimitMinor !== values.creditLimitMinor || target.currency !== values.currency));
    if (!changed && action !== "linked") return { organizationId: target.id, action: "unchanged" };
    const [after] = await tx.update(organizations).set({ ...values, updatedAt: ctx.now }).where(eq(organizations.id, target.id)).returning();
    if (target.status === "active" && after!.status === "inactive") await invalidateOrganizationSessions(tx, target.id);
    await writeAudit(c, {
      action: target.status !== after!.status ? `organization.${after!.status === "active" ? "activated" : "deactivated"}` : "organization.updated",
      entityType: "organization",
      entityId: target.id,
      organizationId: target.id,
      before: target,
      after,
    });
    return { organizationId: target.id, action };

    async function codeTaken(code: string) {
      return (await tx.select({ id: organizations.id }).from(organizations).where(eq(organizations.code, code))).length > 0;
    }
  });
}
