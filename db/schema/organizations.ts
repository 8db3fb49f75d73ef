// Organisations: the OEM, dealer groups, dealers and fleet customers (DESIGN §2). Every row of
// business data elsewhere points at one of these; isolation is decided by organisation.
import { sql } from "drizzle-orm";
import { bigint, char, index, pgEnum, pgTable, text, timestamp, uuid, type AnyPgColumn } from "drizzle-orm/pg-core";

export const organizationType = pgEnum("organization_type", ["oem", "dealer_group", "dealer", "fleet_customer"]);
export const organizationStatus = pgEnum("organization_status", ["active", "inactive"]);

export const regions = pgTable("regions", {
  code: text("code").primaryKey(),
  nameZh: text("name_zh").notNull(),
  nameEn: text("name_en").notNull(),
});

export const organizations = pgTable(
  "organizations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    code: text("code").notNull().unique(),
    name: text("name").notNull(),
    type: organizationType("type").notNull(),
    regionCode: text("region_code").references(() => regions.code),
    parentId: uuid("parent_id").references((): AnyPgColumn => organizations.id),
    status: organizationStatus("status").notNull().default("active"),
    // Money is integer minor units with its ISO 4217 code (docs/decisions/003-money-as-integers.md).
    creditLimitMinor: bigint("credit_limit_minor", { mode: "bigint" }).notNull().default(sql`0`),
    currency: char("currency", { length: 3 }).notNull().default("CNY"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Group principals list the dealers of their group.
    index("organizations_parent_idx").on(t.parentId),
    // Admin list filters by type and sorts by name.
    index("organizations_type_name_idx").on(t.type, t.name),
  ],
);

export type Organization = typeof organizations.$inferSelect;
export type OrganizationType = (typeof organizationType.enumValues)[number];
