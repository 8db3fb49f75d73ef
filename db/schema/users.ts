// People, their sessions and login throttling. Sessions follow the Lucia guide: the cookie holds a
// random token, the database only its SHA-256 (docs/decisions/002-sessions.md).
import { sql } from "drizzle-orm";
import { index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { organizations } from "./organizations";

export const roles = [
  "oem_admin",
  "oem_sales",
  "oem_finance",
  "oem_warranty",
  "dealer_principal",
  "dealer_sales",
  "dealer_service",
  "dealer_finance",
  "fleet_manager",
] as const;
export type Role = (typeof roles)[number];

export const userRole = pgEnum("user_role", roles);
export const userStatus = pgEnum("user_status", ["active", "inactive"]);
export const locales = ["zh-CN", "en"] as const;
export type Locale = (typeof locales)[number];

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id),
    email: text("email").notNull(),
    name: text("name").notNull(),
    role: userRole("role").notNull(),
    status: userStatus("status").notNull().default("active"),
    passwordHash: text("password_hash").notNull(),
    locale: text("locale"),
    lastLoginAt: timestamp("last_login_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Emails are unique regardless of case; login looks them up lower-cased.
    uniqueIndex("users_email_lower_uq").on(sql`lower(${t.email})`),
    // Scoped user lists: one organisation's users sorted by name.
    index("users_org_name_idx").on(t.organizationId, t.name),
    index("users_name_idx").on(t.name),
  ],
);

export const sessions = pgTable(
  "sessions",
  {
    // SHA-256 of the session token, hex encoded. The token itself is never stored.
    id: text("id").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    // A session cannot be extended past this point, however active it is.
    absoluteExpiresAt: timestamp("absolute_expires_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    ip: text("ip"),
    userAgent: text("user_agent"),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

// Failed-login counters per account and per IP, kept in the database so every server instance
// sees the same counts.
export const loginThrottle = pgTable("login_throttle", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull().default(0),
  windowStartedAt: timestamp("window_started_at", { withTimezone: true }).notNull(),
  lockedUntil: timestamp("locked_until", { withTimezone: true }),
});

export type User = typeof users.$inferSelect;
export type Session = typeof sessions.$inferSelect;
