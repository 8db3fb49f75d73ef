// The audit log: who did what to which entity, before and after, when. Append-only: a database
// trigger refuses UPDATE, DELETE and TRUNCATE, and on PostgreSQL the application role has no such
// privilege either (migration 0001).
import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "bigint" }).primaryKey(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    actorUserId: uuid("actor_user_id"),
    actorOrganizationId: uuid("actor_organization_id"),
    // "user:<email>", "system:<job>", "anonymous" — readable even if the user is later renamed.
    actorLabel: text("actor_label").notNull(),
    action: text("action").notNull(),
    entityType: text("entity_type").notNull(),
    entityId: text("entity_id"),
    // The organisation the entity belongs to: lets a dealer principal see its own trail later.
    organizationId: uuid("organization_id"),
    before: jsonb("before"),
    after: jsonb("after"),
    requestId: text("request_id"),
    ip: text("ip"),
  },
  (t) => [
    // The audit screen lists newest first, filtered by action or entity.
    index("audit_log_at_idx").on(t.at),
    index("audit_log_entity_idx").on(t.entityType, t.entityId),
    index("audit_log_org_at_idx").on(t.organizationId, t.at),
  ],
);

export type AuditRow = typeof auditLog.$inferSelect;
