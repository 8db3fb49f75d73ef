// The context every domain operation receives: the database (or an open transaction), the actor and
// its organisation scope, the clock and the request id. Jobs and webhooks build a system actor and
// call the same operations as screens do (CONVENTIONS, OpenStatus style).
import { inArray, sql, type AnyColumn, type SQL } from "drizzle-orm";
import type { Db, DbOrTx, Tx } from "../../db/client";
import type { OrganizationType, Role } from "../../db/schema";

export type UserActor = {
  kind: "user";
  userId: string;
  email: string;
  name: string;
  role: Role;
  organizationId: string;
  organizationType: OrganizationType;
  organizationName: string;
  /** "all" for OEM staff; otherwise the organisation ids this user may see. */
  scope: "all" | string[];
};
export type SystemActor = { kind: "system"; name: string };
export type AnonymousActor = { kind: "anonymous" };
export type Actor = UserActor | SystemActor | AnonymousActor;

export interface Ctx {
  db: DbOrTx;
  actor: Actor;
  now: Date;
  requestId?: string;
  ip?: string;
}

export function systemCtx(db: Db, name: string, now = new Date()): Ctx {
  return { db, actor: { kind: "system", name }, now };
}

export function scopeOf(actor: Actor): "all" | string[] {
  if (actor.kind === "system") return "all";
  if (actor.kind === "anonymous") return [];
  return actor.scope;
}

/**
 * Runs `fn` in one transaction whose row-level-security scope is the actor's. Every read or write of
 * organisation data goes through here: without it the policies show no rows at all. Nested calls
 * reuse the open transaction.
 */
export async function inScope<T>(ctx: Ctx, fn: (tx: Tx, ctx: Ctx) => Promise<T>): Promise<T> {
  const scope = scopeOf(ctx.actor);
  const value = scope === "all" ? "*" : scope.join(",");
  if (isTx(ctx.db)) {
    return fn(ctx.db, ctx);
  }
  return (ctx.db as Db).transaction(async (tx) => {
    await tx.execute(sql`select set_config('app.org_scope', ${value}, true)`);
    return fn(tx, { ...ctx, db: tx });
  });
}

function isTx(db: DbOrTx): db is Tx {
  // drizzle transactions expose rollback(); the root database does not.
  return typeof (db as Tx).rollback === "function";
}

export function actorLabel(actor: Actor): string {
  if (actor.kind === "user") return `user:${actor.email}`;
  if (actor.kind === "system") return `system:${actor.name}`;
  return "anonymous";
}

/**
 * The actor's scope as a condition of the query itself (`organization_id = ANY(...)`), next to the
 * RLS policy that enforces it anyway: the planner can use an index for it, while the policy's
 * function call it cannot (docs/benchmarks/foundation.md). Undefined for OEM staff and jobs.
 */
export function scopeCondition(ctx: Ctx, column: AnyColumn): SQL | undefined {
  const scope = scopeOf(ctx.actor);
  if (scope === "all") return undefined;
  return scope.length ? inArray(column, scope) : sql`false`;
}
