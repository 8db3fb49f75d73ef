// The integration layer's tables (DESIGN §5): every message in or out, stored raw with its status,
// attempts, errors and an extracted summary; partner-id mappings; job runs of the scheduler.
import { sql } from "drizzle-orm";
import { customType, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { organizations } from "./organizations";

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

export const integrationSystem = pgEnum("integration_system", ["erp", "dms", "mes", "bank"]);
export const messageDirection = pgEnum("message_direction", ["inbound", "outbound"]);
export const messageStatus = pgEnum("message_status", [
  "received",
  "processing",
  "processed",
  "failed",
  "dead",
  "duplicate",
  "ignored_stale",
  "cancelled",
]);

export const integrationMessages = pgTable(
  "integration_messages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    system: integrationSystem("system").notNull(),
    direction: messageDirection("direction").notNull(),
    messageType: text("message_type").notNull(),
    // The sender's message id (inbound) or ours (outbound); one message, one row.
    messageId: text("message_id").notNull(),
    // The business document behind the message (document number + company + year, VIN + sequence…).
    businessKey: text("business_key"),
    contentHash: text("content_hash").notNull(),
    contentType: text("content_type").notNull(),
    payload: bytea("payload").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    channel: text("channel").notNull(), // http, file, pull, upload, simulator, outbox
    status: messageStatus("status").notNull().default("received"),
    attempts: integer("attempts").notNull().default(0),
    maxAttempts: integer("max_attempts").notNull().default(5),
    nextAttemptAt: timestamptz("next_attempt_at"),
    leaseUntil: timestamptz("lease_until"),
    lastError: text("last_error"),
    errors: jsonb("errors").$type<{ field: string; rule: string; message: string }[]>().notNull().default(sql`'[]'::jsonb`),
    warnings: jsonb("warnings").$type<{ field: string; rule: string; message: string }[]>().notNull().default(sql`'[]'::jsonb`),
    summary: jsonb("summary").$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    // The acknowledgement answered to the sender, replayed verbatim for a repeated message.
    ack: jsonb("ack").$type<Record<string, unknown>>(),
    correlationId: text("correlation_id"),
    duplicateOf: uuid("duplicate_of"),
    organizationId: uuid("organization_id").references(() => organizations.id),
    // Progress of large documents: lines applied so far / lines in total.
    progressDone: integer("progress_done").notNull().default(0),
    progressTotal: integer("progress_total"),
    receivedAt: timestamptz("received_at").notNull().defaultNow(),
    processedAt: timestamptz("processed_at"),
    updatedAt: timestamptz("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("integration_messages_message_id_uq").on(t.system, t.direction, t.messageId),
    // One live message per business document; later copies are stored as duplicates pointing at it.
    uniqueIndex("integration_messages_business_key_uq")
      .on(t.system, t.direction, t.messageType, t.businessKey)
      .where(sql`${t.businessKey} is not null and ${t.duplicateOf} is null`),
    // The worker's queue: due messages by status and time (FOR UPDATE SKIP LOCKED).
    index("integration_messages_queue_idx").on(t.direction, t.status, t.nextAttemptAt),
    // The monitor lists newest first, filtered by system and type.
    index("integration_messages_monitor_idx").on(t.system, t.messageType, t.receivedAt),
    index("integration_messages_received_idx").on(t.receivedAt),
  ],
);

// A sender's partner id (dealer number, KUNNR, DMS DealerNumber…) → one of our organisations.
export const partnerMappings = pgTable(
  "partner_mappings",
  {
    system: integrationSystem("system").notNull(),
    partnerId: text("partner_id").notNull(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id),
    note: text("note"),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.system, t.partnerId] }), index("partner_mappings_org_idx").on(t.organizationId)],
);

// One row per scheduled slot of a job: the unique key makes a second instance's run of the same slot
// a no-op.
export const jobRuns = pgTable(
  "job_runs",
  {
    job: text("job").notNull(),
    slot: timestamptz("slot").notNull(),
    status: text("status").notNull(), // running, succeeded, failed
    startedAt: timestamptz("started_at").notNull().defaultNow(),
    finishedAt: timestamptz("finished_at"),
    error: text("error"),
    detail: jsonb("detail").$type<Record<string, unknown>>(),
  },
  (t) => [primaryKey({ columns: [t.job, t.slot] })],
);

function timestamptz(name: string) {
  return timestamp(name, { withTimezone: true });
}

export type IntegrationMessage = typeof integrationMessages.$inferSelect;
export type IntegrationSystem = (typeof integrationSystem.enumValues)[number];
export type MessageStatus = (typeof messageStatus.enumValues)[number];
