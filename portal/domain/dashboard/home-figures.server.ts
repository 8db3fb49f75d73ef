// The figures on each role's home page that exist at this stage: people, organisations and recent
// activity. Later capabilities add their own figures next to these.
import { and, count, desc, eq, gte, sql } from "drizzle-orm";
import { auditLog, organizations, regions, sessions, users } from "../../../db/schema";
import type { Ctx } from "../context";
import { inScope, scopeCondition } from "../context";
import { hasPermission, requireUserActor } from "../authorize";

export type HomeFigures = {
  organization: {
    name: string;
    code: string;
    type: string;
    creditLimitMinor: string;
    currency: string;
    regionCode: string | null;
    regionNameZh: string | null;
    regionNameEn: string | null;
  };
  usersTotal: number;
  usersActive: number;
  usersByRole: { role: string; n: number }[];
  organizationsByType: { type: string; n: number }[] | null;
  activeSessions: number | null;
  loginsByDay: { day: string; ok: number; failed: number }[] | null;
  recentAudit: { at: Date; actorLabel: string; action: string; entityType: string; entityId: string | null }[] | null;
};

export async function getHomeFigures(ctx: Ctx): Promise<HomeFigures> {
  const actor = requireUserActor(ctx.actor);
  const isAdmin = hasPermission(actor, "audit:read");
  return inScope(ctx, async (tx) => {
    const [org] = await tx.select().from(organizations).where(eq(organizations.id, actor.organizationId));
    const [region] = org?.regionCode ? await tx.select().from(regions).where(eq(regions.code, org.regionCode)) : [];
    const scoped = scopeCondition(ctx, users.organizationId);
    const [totals] = await tx
      .select({ total: count(), active: sql<number>`count(*) filter (where ${users.status} = 'active')::int` })
      .from(users)
      .where(scoped);
    const usersByRole = await tx
      .select({ role: users.role, n: count() })
      .from(users)
      .where(and(eq(users.status, "active"), scoped))
      .groupBy(users.role)
      .orderBy(users.role);
    const organizationsByType =
      actor.scope === "all"
        ? await tx
            .select({ type: organizations.type, n: count() })
            .from(organizations)
            .where(eq(organizations.status, "active"))
            .groupBy(organizations.type)
            .orderBy(organizations.type)
        : null;
    let activeSessions: number | null = null;
    let loginsByDay: HomeFigures["loginsByDay"] = null;
    let recentAudit: HomeFigures["recentAudit"] = null;
    if (isAdmin) {
      const [s] = await tx.select({ n: count() }).from(sessions).where(gte(sessions.expiresAt, ctx.now));
      activeSessions = s?.n ?? 0;
      const since = new Date(ctx.now.getTime() - 13 * 86_400_000);
      since.setUTCHours(0, 0, 0, 0);
      const day = sql<string>`to_char(${auditLog.at} at time zone 'UTC', 'YYYY-MM-DD')`;
      const rows = await tx
        .select({
          day,
          ok: sql<number>`count(*) filter (where ${auditLog.action} = 'auth.login')::int`,
          failed: sql<number>`count(*) filter (where ${auditLog.action} = 'auth.login_failed')::int`,
        })
        .from(auditLog)
        .where(and(gte(auditLog.at, since), sql`${auditLog.action} in ('auth.login', 'auth.login_failed')`))
        .groupBy(day);
      const byDay = new Map(rows.map((r) => [r.day, r]));
      loginsByDay = Array.from({ length: 14 }, (_, i) => {
        const d = new Date(since.getTime() + i * 86_400_000).toISOString().slice(0, 10);
        const r = byDay.get(d);
        return { day: d, ok: r?.ok ?? 0, failed: r?.failed ?? 0 };
      });
      recentAudit = await tx
        .select({ at: auditLog.at, actorLabel: auditLog.actorLabel, action: auditLog.action, entityType: auditLog.entityType, entityId: auditLog.entityId })
        .from(auditLog)
        .orderBy(desc(auditLog.at), desc(auditLog.id))
        .limit(8);
    }
    return {
      organization: {
        name: org!.name,
        code: org!.code,
        type: org!.type,
        creditLimitMinor: org!.creditLimitMinor.toString(),
        currency: org!.currency,
        regionCode: org!.regionCode,
        regionNameZh: region?.nameZh ?? null,
        regionNameEn: region?.nameEn ?? null,
      },
      usersTotal: totals?.total ?? 0,
      usersActive: totals?.active ?? 0,
      usersByRole,
      organizationsByType,
      activeSessions,
      loginsByDay,
      recentAudit,
    };
  });
}
