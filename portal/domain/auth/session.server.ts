// Sessions as the Lucia guide describes them: a random token in the cookie, only its SHA-256 in the
// database; sliding expiry (30 days, extended when fewer than 15 remain) under an absolute limit.
import { sha256 } from "@oslojs/crypto/sha2";
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import { and, eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "../../../db/client";
import { organizations, sessions, users } from "../../../db/schema";
import type { Role, User } from "../../../db/schema";
import type { Ctx, UserActor } from "../context";
import { inScope, systemCtx } from "../context";
import type { Db } from "../../../db/client";

const DAY = 24 * 60 * 60 * 1000;
export const sessionPolicy = {
  slidingMs: 30 * DAY,
  renewWhenUnderMs: 15 * DAY,
  absoluteMs: 90 * DAY,
};

export function generateSessionToken(): string {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

export function sessionIdOf(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

export async function createSession(
  db: DbOrTx,
  userId: string,
  now: Date,
  meta: { ip?: string; userAgent?: string } = {},
): Promise<{ token: string; expiresAt: Date }> {
  const token = generateSessionToken();
  const expiresAt = new Date(now.getTime() + sessionPolicy.slidingMs);
  await db.insert(sessions).values({
    id: sessionIdOf(token),
    userId,
    expiresAt,
    absoluteExpiresAt: new Date(now.getTime() + sessionPolicy.absoluteMs),
    createdAt: now,
    ip: meta.ip ?? null,
    userAgent: meta.userAgent?.slice(0, 300) ?? null,
  });
  return { token, expiresAt };
}

export type ValidSession = { actor: UserActor; user: Pick<User, "id" | "locale">; expiresAt: Date; renewed: boolean };

/** Looks a token up; returns null for unknown, expired or deactivated sessions (and deletes them). */
export async function validateSessionToken(db: Db, token: string, now: Date): Promise<ValidSession | null> {
  if (!/^[a-z2-7]{32}$/.test(token)) return null; // forged or truncated cookie: no database round trip
  const id = sessionIdOf(token);
  return inScope(systemCtx(db, "session", now), async (tx) => {
    const [row] = await tx
      .select({
        session: sessions,
        user: {
          id: users.id,
          email: users.email,
          name: users.name,
          role: users.role,
          status: users.status,
          locale: users.locale,
          organizationId: users.organizationId,
        },
        org: { id: organizations.id, type: organizations.type, name: organizations.name, status: organizations.status },
      })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .innerJoin(organizations, eq(organizations.id, users.organizationId))
      .where(eq(sessions.id, id));
    if (!row) return null;
    const expired = now >= row.session.expiresAt || now >= row.session.absoluteExpiresAt;
    if (expired || row.user.status !== "active" || row.org.status !== "active") {
      await tx.delete(sessions).where(eq(sessions.id, id));
      return null;
    }
    let expiresAt = row.session.expiresAt;
    let renewed = false;
    if (expiresAt.getTime() - now.getTime() < sessionPolicy.renewWhenUnderMs) {
      const candidate = new Date(now.getTime() + sessionPolicy.slidingMs);
      expiresAt = candidate < row.session.absoluteExpiresAt ? candidate : row.session.absoluteExpiresAt;
      await tx.update(sessions).set({ expiresAt }).where(eq(sessions.id, id));
      renewed = true;
    }
    const scope = await organizationScope(tx, row.user.role, row.org.id, row.org.type);
    return {
      actor: {
        kind: "user",
        userId: row.user.id,
        email: row.user.email,
        name: row.user.name,
        role: row.user.role,
        organizationId: row.org.id,
        organizationType: row.org.type,
        organizationName: row.org.name,
        scope,
      },
      user: { id: row.user.id, locale: row.user.locale },
      expiresAt,
      renewed,
    };
  });
}

/**
 * Which organisations a user sees (DESIGN §2): OEM staff all; a dealer-group principal the group and
 * its dealers; everyone else only their own organisation.
 */
export async function organizationScope(
  db: DbOrTx,
  role: Role,
  organizationId: string,
  organizationType: string,
): Promise<"all" | string[]> {
  if (organizationType === "oem") return "all";
  if (organizationType === "dealer_group") {
    const children = await db
      .select({ id: organizations.id })
      .from(organizations)
      .where(eq(organizations.parentId, organizationId));
    return [organizationId, ...children.map((c) => c.id)];
  }
  return [organizationId];
}

export async function invalidateSession(ctx: Ctx, token: string): Promise<void> {
  await ctx.db.delete(sessions).where(eq(sessions.id, sessionIdOf(token)));
}

export async function invalidateUserSessions(db: DbOrTx, userIds: string[]): Promise<number> {
  if (userIds.length === 0) return 0;
  const deleted = await db.delete(sessions).where(inArray(sessions.userId, userIds)).returning({ id: sessions.id });
  return deleted.length;
}

export async function invalidateOrganizationSessions(db: DbOrTx, organizationId: string): Promise<number> {
  const members = await db.select({ id: users.id }).from(users).where(and(eq(users.organizationId, organizationId)));
  return invalidateUserSessions(
    db,
    members.map((m) => m.id),
  );
}
