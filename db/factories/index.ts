// Factories for organisations and users. Tests and the demo seed build their data with the same
// functions (CONVENTIONS §8); every call gets a unique suffix unless the caller fixes the values.
import crypto from "node:crypto";
import type { Db } from "../client";
import { organizations, regions, users, type Organization, type Role, type User } from "../schema";
import { inScope, systemCtx } from "../../portal/domain/context";
import { hashPassword } from "../../portal/domain/auth/password.server";

export const DEMO_PASSWORD = "demo-password";

const hashCache = new Map<string, Promise<string>>();
/** argon2id is slow on purpose; factories hash each distinct password once per process. */
export function cachedHash(password: string): Promise<string> {
  let h = hashCache.get(password);
  if (!h) {
    h = hashPassword(password);
    hashCache.set(password, h);
  }
  return h;
}

export function uniqueSuffix(): string {
  return crypto.randomBytes(4).toString("hex").toUpperCase();
}

export async function createRegion(db: Db, overrides: Partial<typeof regions.$inferInsert> = {}) {
  const code = overrides.code ?? `R${uniqueSuffix()}`;
  return inScope(systemCtx(db, "factory"), async (tx) => {
    const [row] = await tx
      .insert(regions)
      .values({ code, nameZh: overrides.nameZh ?? `大区 ${code}`, nameEn: overrides.nameEn ?? `Region ${code}` })
      .onConflictDoNothing()
      .returning();
    return row ?? { code, nameZh: overrides.nameZh ?? "", nameEn: overrides.nameEn ?? "" };
  });
}

export async function createOrganization(
  db: Db,
  overrides: Partial<typeof organizations.$inferInsert> = {},
): Promise<Organization> {
  const suffix = uniqueSuffix();
  const type = overrides.type ?? "dealer";
  const prefix = { oem: "OEM", dealer_group: "G", dealer: "D", fleet_customer: "F" }[type];
  return inScope(systemCtx(db, "factory"), async (tx) => {
    const [row] = await tx
      .insert(organizations)
      .values({
        code: `${prefix}-${suffix}`,
        name: `${type} ${suffix}`,
        creditLimitMinor: 0n,
        currency: "CNY",
        ...overrides,
        type,
      })
      .returning();
    return row!;
  });
}

export async function createUser(
  db: Db,
  overrides: Partial<typeof users.$inferInsert> & { organizationId: string; role: Role; password?: string },
): Promise<User> {
  const suffix = uniqueSuffix().toLowerCase();
  const { password, ...rest } = overrides;
  const passwordHash = rest.passwordHash ?? (await cachedHash(password ?? DEMO_PASSWORD));
  return inScope(systemCtx(db, "factory"), async (tx) => {
    const [row] = await tx
      .insert(users)
      .values({ name: `User ${suffix}`, ...rest, email: (rest.email ?? `user-${suffix}@test.example`).toLowerCase(), passwordHash })
      .returning();
    return row!;
  });
}
