// Seeds the demo network on first start with an empty database. Idempotent: organisations and users
// are keyed by code and email, and existing rows are left as they are.
import { eq } from "drizzle-orm";
import type { Db } from "../client";
import { organizations, users } from "../schema";
import { cachedHash, createOrganization, createRegion, createUser, DEMO_PASSWORD } from "../factories";
import { inScope, systemCtx } from "../../portal/domain/context";
import { writeAudit } from "../../portal/domain/audit/write-audit.server";
import { demoAccounts, demoDealers, demoFleets, demoRegions, dealerGroup, oem } from "./demo-data";
import { seedIntegrationDemo } from "./demo-integration";

export async function seedDemo(db: Db): Promise<{ created: boolean; organizations: number; users: number }> {
  const ctx = systemCtx(db, "seed");
  const existing = await inScope(ctx, (tx) => tx.select({ id: organizations.id }).from(organizations).where(eq(organizations.code, oem.code)));
  // A network seeded before the integration demo data existed still gets its partner mappings.
  if (existing.length > 0) return seedIntegrationDemo(db).then(() => ({ created: false, organizations: 0, users: 0 }));

  for (const r of demoRegions) await createRegion(db, r);
  const byCode = new Map<string, string>();
  const add = async (values: Parameters<typeof createOrganization>[1]) => {
    const code = values?.code ?? "";
    const found = await inScope(ctx, (tx) => tx.select().from(organizations).where(eq(organizations.code, code)));
    const org = found[0] ?? (await createOrganization(db, values));
    byCode.set(org.code, org.id);
    return org;
  };
  await add({ ...oem, type: "oem", creditLimitMinor: 0n });
  const group = await add({ ...dealerGroup, type: "dealer_group" });
  for (const d of demoDealers) {
    await add({ code: d.code, name: d.name, type: "dealer", regionCode: d.regionCode, parentId: d.inGroup ? group.id : null, creditLimitMinor: d.creditLimitMinor });
  }
  for (const f of demoFleets) await add({ ...f, type: "fleet_customer", creditLimitMinor: 50_000_000_00n });

  await cachedHash(DEMO_PASSWORD);
  let userCount = 0;
  const addUser = async (email: string, name: string, role: Parameters<typeof createUser>[1]["role"], orgCode: string) => {
    const taken = await inScope(ctx, (tx) => tx.select({ id: users.id }).from(users).where(eq(users.email, email)));
    if (taken.length) return;
    await createUser(db, { email, name, role, organizationId: byCode.get(orgCode)!, password: DEMO_PASSWORD });
    userCount++;
  };
  for (const a of demoAccounts) await addUser(a.email, a.name, a.role, a.org);
  // Every other dealer gets a principal and a salesperson so the user lists look like a real network.
  for (const d of demoDealers) {
    const n = d.code.toLowerCase();
    if (d.code !== "D001") await addUser(`principal@${n}.example`, `${d.code} 总经理`, "dealer_principal", d.code);
    if (d.code !== "D001") await addUser(`sales@${n}.example`, `${d.code} 销售顾问`, "dealer_sales", d.code);
  }
  for (const f of demoFleets.slice(1)) await addUser(`fleet@${f.code.toLowerCase()}.example`, `${f.code} 车队经理`, "fleet_manager", f.code);
  // One audit row for the whole seed: the demo network did not come from nowhere.
  await inScope(ctx, (_tx, c) =>
    writeAudit(c, { action: "seed.demo", entityType: "system", after: { organizations: byCode.size, users: userCount } }),
  );
  await seedIntegrationDemo(db);
  return { created: true, organizations: byCode.size, users: userCount };
}
