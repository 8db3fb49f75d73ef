// Vehicles by VIN with their status and location, their production history from the MES, dealer
// stock from the DMS, and parts stock per warehouse from the ERP with safety-stock alerts (DESIGN §3).
import { sql } from "drizzle-orm";
import { bigint, bigserial, boolean, char, index, integer, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { organizations } from "./organizations";

export const vehicleStatus = pgEnum("vehicle_status", [
  "scheduled",
  "in_production",
  "built",
  "shipped",
  "in_transit",
  "dealer_stock",
  "sold",
]);

export const vehicles = pgTable(
  "vehicles",
  {
    vin: text("vin").primaryKey(),
    // Whether the VIN passes the ISO 3779 check digit (DMS stock may hold anonymised or foreign VINs).
    vinValid: boolean("vin_valid").notNull(),
    // The dealer holding it (DMS stock) or null while it is the OEM's (factory, transit).
    organizationId: uuid("organization_id").references(() => organizations.id),
    status: vehicleStatus("status").notNull(),
    location: text("location"),
    make: text("make"),
    model: text("model"),
    modelYear: integer("model_year"),
    modelMaterialNumber: text("model_material_number"),
    stockNumber: text("stock_number"),
    isNew: boolean("is_new"),
    listPriceMinor: bigint("list_price_minor", { mode: "bigint" }),
    currency: char("currency", { length: 3 }),
    orderReference: text("order_reference"),
    // Out-of-order safety: the newest MES event applied (by its sequence, then its time).
    lastEventSequence: bigint("last_event_sequence", { mode: "bigint" }),
    lastEventAt: timestamp("last_event_at", { withTimezone: true }),
    // The newest DMS snapshot that reported this vehicle in dealer stock.
    lastSeenInStockAt: timestamp("last_seen_in_stock_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Dealer stock screens: one dealer's vehicles by status.
    index("vehicles_org_status_idx").on(t.organizationId, t.status),
    index("vehicles_status_idx").on(t.status),
  ],
);

// Every production event per VIN, in the order the MES numbered them.
export const vehicleEvents = pgTable(
  "vehicle_events",
  {
    id: bigserial("id", { mode: "bigint" }).primaryKey(),
    vin: text("vin")
      .notNull()
      .references(() => vehicles.vin),
    eventId: text("event_id").notNull(),
    stage: text("stage").notNull(),
    sequence: bigint("sequence", { mode: "bigint" }).notNull(),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull(),
    plant: text("plant"),
    messageId: uuid("message_id"),
    // true when the event arrived after a newer one and did not change the vehicle's status.
    stale: boolean("stale").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("vehicle_events_event_uq").on(t.eventId), index("vehicle_events_vin_idx").on(t.vin, t.sequence)],
);

export const partsStock = pgTable(
  "parts_stock",
  {
    warehouse: text("warehouse").notNull(),
    partNumber: text("part_number").notNull(),
    // Quantities as integers of the base unit; decimals are refused by the feed.
    quantity: bigint("quantity", { mode: "bigint" }).notNull(),
    // A warehouse-specific threshold overriding parts.safety_stock.
    safetyStock: integer("safety_stock"),
    snapshotAt: timestamp("snapshot_at", { withTimezone: true }).notNull(),
    messageId: uuid("message_id"),
  },
  (t) => [primaryKey({ columns: [t.warehouse, t.partNumber] }), index("parts_stock_part_idx").on(t.partNumber)],
);

// Raised when stock falls below its threshold, cleared when it recovers; listed for follow-up.
export const stockAlerts = pgTable(
  "stock_alerts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: text("kind").notNull(), // part, model
    // part: warehouse + part number; model: dealer + model material number
    scopeKey: text("scope_key").notNull(),
    subject: text("subject").notNull(),
    organizationId: uuid("organization_id").references(() => organizations.id),
    threshold: bigint("threshold", { mode: "bigint" }).notNull(),
    level: bigint("level", { mode: "bigint" }).notNull(),
    raisedAt: timestamp("raised_at", { withTimezone: true }).notNull(),
    clearedAt: timestamp("cleared_at", { withTimezone: true }),
    acknowledgedBy: text("acknowledged_by"),
  },
  (t) => [
    // At most one open alert per subject.
    uniqueIndex("stock_alerts_open_uq").on(t.kind, t.scopeKey, t.subject).where(sql`${t.clearedAt} is null`),
    index("stock_alerts_raised_idx").on(t.raisedAt),
  ],
);

export type Vehicle = typeof vehicles.$inferSelect;
export type VehicleStatus = (typeof vehicleStatus.enumValues)[number];
