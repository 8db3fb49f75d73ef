// Integration demo data: the partner mappings that let the shared real samples process out of the
// box (issue 3 §7). The Reynolds STAR vehicle inventory sample's DealerNumber 542951325614443 is
// dealer D001. Idempotent: an existing mapping of that number (possibly changed by OEM staff) is
// left as it is, and nothing happens before the demo network exists.
import { eq } from "drizzle-orm";
import type { Db } from "../client";
import { organizations, partnerMappings, type IntegrationSystem } from "../schema";
import { inScope, systemCtx } from "../../portal/domain/context";
import { writeAudit } from "../../portal/domain/audit/write-audit.server";

export const demoPartnerMappings: { system: IntegrationSystem; partnerId: string; organizationCode: string; note: string }[] = [
  { system: "dms", partnerId: "542951325614443", organizationCode: "D001", note: "demo: dealer number of the shared STAR vehicle inventory sample" },
  // The simulated DMS (integration/simulator) is D002's: its hourly snapshot must not replace the
  // sample's stock of D001.
  { system: "dms", partnerId: "000771230001", organizationCode: "D002", note: "demo: the simulated DMS of dealer D002" },
];

export async function seedIntegrationDemo(db: Db): Promise<{ mappings: number }> {
  return inScope(systemCtx(db, "seed"), async (tx, c) => {
    let mappings = 0;
    for (const m of demoPartnerMappings) {
      const [org] = await tx.select({ id: organizations.id }).from(organizations).where(eq(organizations.code, m.organizationCode));
      if (!org) continue;
      const [row] = await tx
        .insert(partnerMappings)
        .values({ system: m.system, partnerId: m.partnerId, organizationId: org.id, note: m.note, createdAt: c.now })
        .onConflictDoNothing()
        .returning();
      if (!row) continue;
      mappings++;
      await writeAudit(c, { action: "partner_mapping.created", entityType: "partner_mapping", entityId: `${m.system}:${m.partnerId}`, organizationId: org.id, after: row });
    }
    return { mappings };
  });
}
