// Writes one audit row in the caller's transaction, so the change and its audit commit together.
import { auditLog } from "../../../db/schema";
import type { Ctx } from "../context";
import { actorLabel } from "../context";

export type AuditEntry = {
  action: string;
  entityType: string;
  entityId?: string | null;
  organizationId?: string | null;
  before?: unknown;
  after?: unknown;
  /** Overrides the actor label, e.g. the email typed at a failed login. */
  label?: string;
};

export async function writeAudit(ctx: Ctx, entry: AuditEntry): Promise<void> {
  const actor = ctx.actor;
  await ctx.db.insert(auditLog).values({
    at: ctx.now,
    actorUserId: actor.kind === "user" ? actor.userId : null,
    actorOrganizationId: actor.kind === "user" ? actor.organizationId : null,
    actorLabel: entry.label ?? actorLabel(actor),
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId ?? null,
    organizationId: entry.organizationId ?? null,
    before: redact(entry.before),
    after: redact(entry.after),
    requestId: ctx.requestId ?? null,
    ip: ctx.ip ?? null,
  });
}

const secretKeys = new Set(["passwordHash", "password", "token"]);

/** Audit rows must never carry secrets; bigints become strings so jsonb can hold them. */
function redact(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  return JSON.parse(
    JSON.stringify(value, (key, v) => {
      if (secretKeys.has(key)) return "[redacted]";
      if (typeof v === "bigint") return v.toString();
      return v;
    }),
  );
}
