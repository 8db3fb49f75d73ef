// Login, throttling and sessions against a real database (PGlite or PostgreSQL).
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { auditLog, loginThrottle, sessions, users } from "../../db/schema";
import { createOrganization, createUser } from "../../db/factories";
import { InvalidCredentialsError, login } from "../../portal/domain/auth/login.server";
import { createSession, sessionIdOf, sessionPolicy, validateSessionToken } from "../../portal/domain/auth/session.server";
import { throttlePolicy } from "../../portal/domain/auth/throttle.server";
import { inScope, systemCtx, type Ctx } from "../../portal/domain/context";
import { RateLimitedError, ValidationError } from "../../portal/domain/errors";
import { updateOrganization } from "../../portal/domain/organizations/save-organization.server";
import { openTestDatabase } from "../setup/db";

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => database?.close());

const DAY = 86_400_000;
const anon = (now = new Date(), ip = `10.0.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`): Ctx => ({
  db: database.db,
  actor: { kind: "anonymous" },
  now,
  ip,
});

async function dealerUser(password = "correct-horse-battery") {
  const org = await createOrganization(database.db, { type: "dealer" });
  const user = await createUser(database.db, { organizationId: org.id, role: "dealer_sales", password });
  return { org, user, password };
}

function sys<T>(fn: Parameters<typeof inScope<T>>[1]) {
  return inScope(systemCtx(database.db, "test"), fn);
}

describe("login", () => {
  it("creates a session whose token is stored only as its SHA-256", async () => {
    const { user, password } = await dealerUser();
    const result = await login(anon(), { email: user.email.toUpperCase(), password });
    expect(result.userId).toBe(user.id);
    const rows = await sys((tx) => tx.select().from(sessions).where(eq(sessions.userId, user.id)));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id).toBe(sessionIdOf(result.token));
    expect(rows[0]!.id).not.toContain(result.token);
    const [audited] = await sys((tx) => tx.select().from(auditLog).where(eq(auditLog.entityId, user.id)));
    expect(audited?.action).toBe("auth.login");
  });

  it("answers an unknown email and a wrong password with the same error, and audits both", async () => {
    const { user } = await dealerUser();
    const wrong = await login(anon(), { email: user.email, password: "not-the-password" }).catch((e) => e);
    const unknown = await login(anon(), { email: `nobody-${user.id}@test.example`, password: "whatever-123" }).catch((e) => e);
    expect(wrong).toBeInstanceOf(InvalidCredentialsError);
    expect(unknown).toBeInstanceOf(InvalidCredentialsError);
    expect(wrong.message).toBe(unknown.message);
    const failures = await sys((tx) => tx.select().from(auditLog).where(eq(auditLog.action, "auth.login_failed")));
    expect(failures.some((f) => f.entityId === user.id)).toBe(true);
    expect(failures.some((f) => f.actorLabel === `anonymous:nobody-${user.id}@test.example`)).toBe(true);
  });

  it("names the field and rule of malformed input and an oversized password", async () => {
    const err = (await login(anon(), { email: "not-an-email", password: "x".repeat(500) }).catch((e) => e)) as ValidationError;
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: "email", rule: "format_email" }),
        expect.objectContaining({ field: "password", rule: "max_length" }),
      ]),
    );
  });

  it("locks an account after 5 failures, even for the right password, then lets it in after the lock", async () => {
    const { user, password } = await dealerUser();
    const t0 = new Date("2026-03-01T10:00:00Z");
    for (let i = 0; i < throttlePolicy.account.maxFailures; i++) {
      // Different IPs: the account counter alone must lock.
      await expect(login(anon(new Date(t0.getTime() + i * 1000)), { email: user.email, password: "wrong-password" })).rejects.toBeInstanceOf(
        InvalidCredentialsError,
      );
    }
    const locked = await login(anon(new Date(t0.getTime() + 10_000)), { email: user.email, password }).catch((e) => e);
    expect(locked).toBeInstanceOf(RateLimitedError);
    expect((locked as RateLimitedError).retryAfterSeconds).toBeGreaterThan(0);
    const later = new Date(t0.getTime() + 2 * 60_000);
    await expect(login(anon(later), { email: user.email, password })).resolves.toMatchObject({ userId: user.id });
    // Success clears the account counter.
    const rows = await sys((tx) => tx.select().from(loginThrottle).where(eq(loginThrottle.key, `acct:${user.email}`)));
    expect(rows).toHaveLength(0);
  });

  it("locks an IP that sprays many accounts", async () => {
    const ip = "192.0.2.77";
    const now = new Date("2026-03-02T10:00:00Z");
    for (let i = 0; i < throttlePolicy.ip.maxFailures; i++) {
      await login(anon(now, ip), { email: `spray-${i}-${Date.now()}@test.example`, password: "guess-1234" }).catch(() => {});
    }
    const { user, password } = await dealerUser();
    await expect(login(anon(now, ip), { email: user.email, password })).rejects.toBeInstanceOf(RateLimitedError);
    await expect(login(anon(now, "192.0.2.78"), { email: user.email, password })).resolves.toMatchObject({ userId: user.id });
  });

  it("counts concurrent failures without losing any", async () => {
    const { user } = await dealerUser();
    const now = new Date("2026-03-03T10:00:00Z");
    await Promise.all(
      Array.from({ length: 4 }, (_, i) => login(anon(now, `198.51.100.${i}`), { email: user.email, password: "bad-password" }).catch(() => {})),
    );
    const [row] = await sys((tx) => tx.select().from(loginThrottle).where(eq(loginThrottle.key, `acct:${user.email}`)));
    expect(row?.failures).toBe(4);
  });
});

describe("sessions", () => {
  it("rejects forged, expired and unknown tokens", async () => {
    const { user } = await dealerUser();
    const now = new Date("2026-04-01T00:00:00Z");
    const { token } = await sys((tx) => createSession(tx, user.id, now));
    expect(await validateSessionToken(database.db, token, now)).not.toBeNull();
    expect(await validateSessionToken(database.db, token.slice(0, -1) + (token.endsWith("a") ? "b" : "a"), now)).toBeNull();
    expect(await validateSessionToken(database.db, "' or 1=1 --", now)).toBeNull();
    expect(await validateSessionToken(database.db, token, new Date(now.getTime() + 31 * DAY))).toBeNull();
    // Expired sessions are deleted, not just ignored.
    const rows = await sys((tx) => tx.select().from(sessions).where(eq(sessions.id, sessionIdOf(token))));
    expect(rows).toHaveLength(0);
  });

  it("slides the expiry when under 15 days remain, but never past the absolute limit", async () => {
    const { user } = await dealerUser();
    const t0 = new Date("2026-05-01T00:00:00Z");
    const { token } = await sys((tx) => createSession(tx, user.id, t0));
    const early = await validateSessionToken(database.db, token, new Date(t0.getTime() + 5 * DAY));
    expect(early?.renewed).toBe(false);
    const t20 = new Date(t0.getTime() + 20 * DAY);
    const renewed = await validateSessionToken(database.db, token, t20);
    expect(renewed?.renewed).toBe(true);
    expect(renewed?.expiresAt.getTime()).toBe(t20.getTime() + sessionPolicy.slidingMs);
    // Keep using it every 20 days: it dies at the absolute limit (90 days).
    let t = t20;
    let alive = true;
    while (alive && t.getTime() < t0.getTime() + 120 * DAY) {
      t = new Date(t.getTime() + 20 * DAY);
      alive = (await validateSessionToken(database.db, token, t)) !== null;
    }
    expect(alive).toBe(false);
    expect(t.getTime()).toBeGreaterThanOrEqual(t0.getTime() + sessionPolicy.absoluteMs);
    expect(t.getTime()).toBeLessThan(t0.getTime() + sessionPolicy.absoluteMs + 20 * DAY);
  });

  it("ends at once when the user or the organisation is deactivated", async () => {
    const { org, user } = await dealerUser();
    const now = new Date();
    const { token } = await sys((tx) => createSession(tx, user.id, now));
    await sys((tx) => tx.update(users).set({ status: "inactive" }).where(eq(users.id, user.id)));
    expect(await validateSessionToken(database.db, token, now)).toBeNull();

    const colleague = await createUser(database.db, { organizationId: org.id, role: "dealer_finance" });
    const second = await sys((tx) => createSession(tx, colleague.id, now));
    const admin: Ctx = { ...systemCtx(database.db, "test"), now };
    await updateOrganization(admin, org.id, { code: org.code, name: org.name, type: "dealer", status: "inactive", creditLimit: "0", currency: "CNY" });
    expect(await validateSessionToken(database.db, second.token, now)).toBeNull();
    const left = await sys((tx) => tx.select().from(sessions).where(eq(sessions.userId, colleague.id)));
    expect(left).toHaveLength(0);
  });

  it("gives a dealer-group principal the group and its dealers as scope, a dealer user only its dealer", async () => {
    const group = await createOrganization(database.db, { type: "dealer_group" });
    const a = await createOrganization(database.db, { type: "dealer", parentId: group.id });
    const b = await createOrganization(database.db, { type: "dealer", parentId: group.id });
    const principal = await createUser(database.db, { organizationId: group.id, role: "dealer_principal" });
    const seller = await createUser(database.db, { organizationId: a.id, role: "dealer_sales" });
    const now = new Date();
    const p = await sys((tx) => createSession(tx, principal.id, now));
    const s = await sys((tx) => createSession(tx, seller.id, now));
    const pv = await validateSessionToken(database.db, p.token, now);
    const sv = await validateSessionToken(database.db, s.token, now);
    expect(new Set(pv?.actor.scope)).toEqual(new Set([group.id, a.id, b.id]));
    expect(sv?.actor.scope).toEqual([a.id]);
  });
});
