// The vehicle and parts catalogue as the ERP material master defines it (issue 3 §7). The ordering
// issue extends models with variants, options and price lists.
import { sql } from "drizzle-orm";
import { boolean, index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

export const vehicleModels = pgTable("vehicle_models", {
  id: uuid("id").primaryKey().defaultRandom(),
  // SAP material number (FERT) exactly as sent, leading zeros kept.
  materialNumber: text("material_number").notNull().unique(),
  nameZh: text("name_zh").notNull(),
  nameEn: text("name_en").notNull(),
  materialGroup: text("material_group"),
  active: boolean("active").notNull().default(true),
  // Days' supply below which the model raises a stock alert for a dealer (per model; DESIGN §3).
  safetyDaysSupply: integer("safety_days_supply"),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const parts = pgTable(
  "parts",
  {
    // SAP material number (ERSA), leading zeros kept.
    partNumber: text("part_number").primaryKey(),
    descriptionZh: text("description_zh").notNull(),
    descriptionEn: text("description_en").notNull(),
    baseUnit: text("base_unit"),
    materialGroup: text("material_group"),
    active: boolean("active").notNull().default(true),
    // Dealers see stock of parts they may order (service parts); OEM staff see all.
    dealerVisible: boolean("dealer_visible").notNull().default(true),
    // Safety stock per warehouse unless a warehouse-specific threshold is set on parts_stock.
    safetyStock: integer("safety_stock"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("parts_description_idx").on(sql`lower(${t.descriptionEn})`)],
);

export type VehicleModel = typeof vehicleModels.$inferSelect;
export type Part = typeof parts.$inferSelect;
