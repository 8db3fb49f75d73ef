// Organisation and user administration: rules, audit rows, optimistic concurrency.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { auditLog, organizations } from "../../db/schema";
import { createOrganization, createRegion, createUser } from "../../db/factories";
import { inScope, systemCtx, type Ctx, type UserActor } from "../../portal/domain/context";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "../../portal/domain/errors";
import { createOrganization as createOrg, updateOrganization } from "../../portal/domain/organizations/save-organization.server";
import { createUser as createUserOp, updateUser } from "../../portal/domain/users/save-user.server";
import { listUsers } from "../../portal/domain/users/list-users.server";
import { userListSpec } from "../../portal/domain/users/list-spec";
import { parseListQuery } from "../../portal/domain/list-query";
import { openTestDatabase } from "../setup/db";

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => database?.close());

function actorCtx(user: { id: string; email: string; role: UserActor["role"]; organizationId: string }, type: UserActor["organizationType"], scope: UserActor["scope"]): Ctx {
  return {
    db: database.db,
    now: new Date(),
    requestId: "test-request",
    actor: { kind: "user", userId: user.id, email: user.email, name: "t", role: user.role, organizationId: user.organizationId, organizationType: type, organizationName: "t", scope },
  };
}

async function oemAdmin() {
  const oem = await createOrganization(database.db, { type: "oem" });
  const admin = await createUser(database.db, { organizationId: oem.id, role: "oem_admin" });
  return actorCtx(admin, "oem", "all");
}

const auditOf = (entityId: string) =>
  inScope(systemCtx(database.db, "test"), (tx) => tx.select().from(auditLog).where(eq(auditLog.entityId, entityId)).orderBy(auditLog.id));

describe("organisations", () => {
  it("creates a dealer with an exact credit limit and an audit row carrying who and the request", async () => {
    const ctx = await oemAdmin();
    const region = await createRegion(database.db);
    const code = `D${Date.now().toString().slice(-8)}`;
    const org = await createOrg(ctx, { code, name: "测试经销商", type: "dealer", regionCode: region.code, creditLimit: "12,345,678.91", currency: "CNY" });
    expect(org.creditLimitMinor).toBe(1234567891n);
    const [row] = await auditOf(org.id);
    expect(row).toMatchObject({ action: "organization.created", entityType: "organization", requestId: "test-request" });
    expect(row!.actorLabel).toMatch(/^user:/);
    expect((row!.after as { creditLimitMinor: string }).creditLimitMinor).toBe("1234567891");
  });

  it("names the field and rule of every bad value and creates nothing", async () => {
    const ctx = await oemAdmin();
    const bad = await createOrg(ctx, { code: "bad code!", name: "", type: "planet", creditLimit: "1.234", currency: "CNY" }).catch((e) => e);
    expect(bad).toBeInstanceOf(ValidationError);
    const fields = (bad as ValidationError).issues.map((i) => `${i.field}:${i.rule}`);
    expect(fields).toEqual(expect.arrayContaining(["code:format_regex", "name:required", "type:one_of"]));
    const decimals = await createOrg(ctx, { code: "OKCODE1", name: "x", type: "dealer", creditLimit: "1.234", currency: "CNY" }).catch((e) => e);
    expect((decimals as ValidationError).issues).toEqual([expect.objectContaining({ field: "creditLimit", rule: "too_many_decimals" })]);
    const missing = await inScope(systemCtx(database.db, "t"), (tx) => tx.select().from(organizations).where(eq(organizations.code, "OKCODE1")));
    expect(missing).toHaveLength(0);
  });

  it("refuses a duplicate code, a parent that is not a dealer group, and a stale edit", async () => {
    const ctx = await oemAdmin();
    const existing = await createOrganization(database.db, { type: "dealer" });
    const dup = await createOrg(ctx, { code: existing.code, name: "x", type: "dealer" }).catch((e) => e);
    expect((dup as ValidationError).issues[0]).toMatchObject({ field: "code", rule: "unique" });
    const notGroup = await createOrg(ctx, { code: `X${Date.now() % 1e6}`, name: "x", type: "dealer", parentId: existing.id }).catch((e) => e);
    expect((notGroup as ValidationError).issues[0]).toMatchObject({ field: "parentId", rule: "dealer_group" });
    const stale = await updateOrganization(ctx, existing.id, { code: existing.code, name: "new", type: "dealer" }, "2000-01-01T00:00:00.000Z").catch((e) => e);
    expect(stale).toBeInstanceOf(ConflictError);
  });

  it("is not for dealers: a principal cannot create or edit organisations", async () => {
    const dealer = await createOrganization(database.db, { type: "dealer" });
    const principal = await createUser(database.db, { organizationId: dealer.id, role: "dealer_principal" });
    const ctx = actorCtx(principal, "dealer", [dealer.id]);
    await expect(createOrg(ctx, { code: "NOPE1", name: "x", type: "dealer" })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(updateOrganization(ctx, dealer.id, { code: dealer.code, name: "x", type: "dealer" })).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe("users", () => {
  it("lets a principal add a salesperson to its own dealer, but not to another or with an OEM role", async () => {
    const mine = await createOrganization(database.db, { type: "dealer" });
    const other = await createOrganization(database.db, { type: "dealer" });
    const principal = await createUser(database.db, { organizationId: mine.id, role: "dealer_principal" });
    const ctx = actorCtx(principal, "dealer", [mine.id]);
    const email = `new-${mine.code}@test.example`.toLowerCase();
    const created = await createUserOp(ctx, { email, name: "新销售", role: "dealer_sales", organizationId: mine.id, password: "long-enough-pw" });
    expect(created).toMatchObject({ email, organizationId: mine.id, role: "dealer_sales" });
    await expect(createUserOp(ctx, { email: `x-${email}`, name: "x", role: "dealer_sales", organizationId: other.id, password: "long-enough-pw" })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    const escalate = await createUserOp(ctx, { email: `y-${email}`, name: "x", role: "oem_admin", organizationId: mine.id, password: "long-enough-pw" }).catch((e) => e);
    expect((escalate as ValidationError).issues[0]).toMatchObject({ field: "role", rule: "role_for_organization" });
    const dupe = await createUserOp(ctx, { email: email.toUpperCase(), name: "x", role: "dealer_sales", organizationId: mine.id, password: "long-enough-pw" }).catch((e) => e);
    expect((dupe as ValidationError).issues[0]).toMatchObject({ field: "email", rule: "unique" });
    const [audit] = await auditOf(created.id);
    expect(audit).toMatchObject({ action: "user.created", organizationId: mine.id });
    expect(JSON.stringify(audit!.after)).not.toContain("$argon2");
  });

  it("refuses a principal's attempt to deactivate or demote itself", async () => {
    const mine = await createOrganization(database.db, { type: "dealer" });
    const principal = await createUser(database.db, { organizationId: mine.id, role: "dealer_principal" });
    const ctx = actorCtx(principal, "dealer", [mine.id]);
    const err = await updateUser(ctx, principal.id, { name: "x", role: "dealer_sales", status: "active" }).catch((e) => e);
    expect((err as ValidationError).issues[0]).toMatchObject({ rule: "not_self" });
  });

  it("lets only one of two concurrent edits win", async () => {
    const ctx = await oemAdmin();
    const org = await createOrganization(database.db, { type: "dealer" });
    const target = await createUser(database.db, { organizationId: org.id, role: "dealer_sales" });
    const results = await Promise.allSettled([
      updateUser(ctx, target.id, { name: "Edit A", role: "dealer_sales", status: "active" }),
      updateUser(ctx, target.id, { name: "Edit B", role: "dealer_finance", status: "active" }),
    ]);
    const ok = results.filter((r) => r.status === "fulfilled");
    const conflicts = results.filter((r) => r.status === "rejected" && r.reason instanceof ConflictError);
    expect(ok.length + conflicts.length).toBe(2);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    const audits = (await auditOf(target.id)).filter((a) => a.action !== "user.created");
    expect(audits).toHaveLength(ok.length);
  });

  it("lists a dealer-group principal's whole group, and a dealer principal only its dealer", async () => {
    const group = await createOrganization(database.db, { type: "dealer_group" });
    const a = await createOrganization(database.db, { type: "dealer", parentId: group.id });
    const b = await createOrganization(database.db, { type: "dealer", parentId: group.id });
    const groupBoss = await createUser(database.db, { organizationId: group.id, role: "dealer_principal" });
    const ua = await createUser(database.db, { organizationId: a.id, role: "dealer_sales" });
    const ub = await createUser(database.db, { organizationId: b.id, role: "dealer_sales" });
    const q = parseListQuery(new URLSearchParams("size=100"), userListSpec);
    const groupView = await listUsers(actorCtx(groupBoss, "dealer_group", [group.id, a.id, b.id]), q);
    expect(groupView.rows.map((r) => r.id).sort()).toEqual([groupBoss.id, ua.id, ub.id].sort());
    const principalA = await createUser(database.db, { organizationId: a.id, role: "dealer_principal" });
    const aView = await listUsers(actorCtx(principalA, "dealer", [a.id]), q);
    expect(aView.rows.map((r) => r.id).sort()).toEqual([ua.id, principalA.id].sort());
  });
});
