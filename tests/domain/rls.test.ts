// The database enforces isolation and the append-only audit log a second time, beneath the
// application: these tests talk to it directly as the application role.
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { auditLog, organizations, users } from "../../db/schema";
import { createOrganization, createUser } from "../../db/factories";
import { inScope, systemCtx, type Ctx } from "../../portal/domain/context";
import { writeAudit } from "../../portal/domain/audit/write-audit.server";
import { openTestDatabase, usingPostgres } from "../setup/db";

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => database?.close());

/** drizzle wraps driver errors ("Failed query: …"); the database's own message is the cause. */
async function dbError(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    const e = error as Error & { cause?: Error };
    return `${e.message} ${e.cause?.message ?? ""}`;
  }
  return "no error";
}

const dealerCtx = (orgId: string): Ctx => ({
  db: database.db,
  now: new Date(),
  actor: {
    kind: "user",
    userId: "00000000-0000-0000-0000-000000000000",
    email: "x@test.example",
    name: "x",
    role: "dealer_principal",
    organizationId: orgId,
    organizationType: "dealer",
    organizationName: "x",
    scope: [orgId],
  },
});

describe("row-level security", () => {
  it("shows no rows at all to a query that forgot its scope", async () => {
    const org = await createOrganization(database.db, { type: "dealer" });
    await createUser(database.db, { organizationId: org.id, role: "dealer_sales" });
    const rows = await database.db.select().from(users).where(eq(users.organizationId, org.id));
    expect(rows).toHaveLength(0);
    const orgs = await database.db.select().from(organizations);
    expect(orgs).toHaveLength(0);
  });

  it("shows a dealer only its own users, even when the query asks for another dealer's", async () => {
    const mine = await createOrganization(database.db, { type: "dealer" });
    const theirs = await createOrganization(database.db, { type: "dealer" });
    const me = await createUser(database.db, { organizationId: mine.id, role: "dealer_sales" });
    const them = await createUser(database.db, { organizationId: theirs.id, role: "dealer_sales" });
    const seen = await inScope(dealerCtx(mine.id), (tx) => tx.select({ id: users.id }).from(users));
    expect(seen.map((r) => r.id)).toContain(me.id);
    expect(seen.map((r) => r.id)).not.toContain(them.id);
    const direct = await inScope(dealerCtx(mine.id), (tx) => tx.select().from(users).where(eq(users.id, them.id)));
    expect(direct).toHaveLength(0);
  });

  it("refuses to write a row into another organisation", async () => {
    const mine = await createOrganization(database.db, { type: "dealer" });
    const theirs = await createOrganization(database.db, { type: "dealer" });
    const attempt = inScope(dealerCtx(mine.id), (tx) =>
      tx.insert(users).values({ organizationId: theirs.id, email: `intruder-${theirs.code}@test.example`, name: "x", role: "dealer_sales", passwordHash: "x" }),
    );
    expect(await dbError(attempt)).toMatch(/row-level security/);
    // A dealer cannot move one of its users to another organisation either.
    const me = await createUser(database.db, { organizationId: mine.id, role: "dealer_sales" });
    expect(await dbError(inScope(dealerCtx(mine.id), (tx) => tx.update(users).set({ organizationId: theirs.id }).where(eq(users.id, me.id))))).toMatch(
      /row-level security/,
    );
  });

  it("runs the application as the dealer_portal_app role, not as the connecting superuser", async () => {
    const [row] = await database.query<{ current_user: string }>("select current_user");
    expect(row?.current_user).toBe("dealer_portal_app");
  });
});

describe("audit log", () => {
  it("cannot be updated, deleted or truncated by the application", async () => {
    const ctx = systemCtx(database.db, "test");
    const marker = `rls-test-${Date.now()}`;
    await inScope(ctx, (_tx, c) => writeAudit(c, { action: marker, entityType: "test" }));
    expect(await dbError(inScope(ctx, (tx) => tx.update(auditLog).set({ action: "tampered" }).where(eq(auditLog.action, marker))))).toMatch(
      /permission denied|append-only/,
    );
    expect(await dbError(inScope(ctx, (tx) => tx.delete(auditLog).where(eq(auditLog.action, marker))))).toMatch(/permission denied|append-only/);
    expect(await dbError(inScope(ctx, (tx) => tx.execute(sql`truncate audit_log`)))).toMatch(/permission denied|append-only/);
    const rows = await inScope(ctx, (tx) => tx.select().from(auditLog).where(eq(auditLog.action, marker)));
    expect(rows).toHaveLength(1);
  });

  it("is append-only even for the database owner (trigger), on the real server", async () => {
    if (!usingPostgres) return; // PGlite has one connection, already switched to the app role
    const postgres = (await import("postgres")).default;
    const owner = postgres(process.env.TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
    try {
      await expect(owner`update audit_log set action = 'tampered' where id = (select min(id) from audit_log)`).rejects.toThrow(/append-only/);
      await expect(owner`delete from audit_log`).rejects.toThrow(/append-only/);
      const [priv] = await owner`select has_table_privilege('dealer_portal_app', 'audit_log', 'UPDATE') as u, has_table_privilege('dealer_portal_app', 'audit_log', 'DELETE') as d, has_table_privilege('dealer_portal_app', 'audit_log', 'INSERT') as i`;
      expect(priv).toEqual({ u: false, d: false, i: true });
    } finally {
      await owner.end();
    }
  });
});
