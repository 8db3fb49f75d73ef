// What each role may do (DESIGN §2). Pure data so that the UI can use it to build navigation;
// the server checks the same strings on every operation.
import type { Role } from "../../db/schema";

export const permissions = [
  "organization:read", // list and view organisations (OEM: all; others: their own)
  "organization:manage", // create, edit, deactivate organisations
  "user:manage_all", // manage users of any organisation
  "user:manage_own_org", // manage users of one's own organisation
  "audit:read",
  "integration:monitor",
  "catalog:manage",
  "orders:approve",
  "orders:place",
  "finance:manage",
  "finance:read_own",
  "warranty:review",
  "warranty:file",
  "fleet:read_own",
  "inventory:read", // vehicles, dealer stock, parts stock and stock alerts (own organisation for dealers)
] as const;
export type Permission = (typeof permissions)[number];

const byRole: Record<Role, readonly Permission[]> = {
  oem_admin: [
    "organization:read",
    "organization:manage",
    "user:manage_all",
    "audit:read",
    "integration:monitor",
    "catalog:manage",
    "orders:approve",
    "finance:manage",
    "warranty:review",
    "inventory:read",
  ],
  oem_sales: ["organization:read", "catalog:manage", "orders:approve", "inventory:read"],
  oem_finance: ["organization:read", "finance:manage"],
  oem_warranty: ["organization:read", "warranty:review", "inventory:read"],
  dealer_principal: ["user:manage_own_org", "orders:place", "finance:read_own", "warranty:file", "inventory:read"],
  dealer_sales: ["orders:place", "inventory:read"],
  dealer_service: ["warranty:file", "inventory:read"],
  dealer_finance: ["finance:read_own"],
  fleet_manager: ["fleet:read_own", "finance:read_own"],
};

export function can(role: Role, permission: Permission): boolean {
  return byRole[role].includes(permission);
}

export function permissionsOf(role: Role): readonly Permission[] {
  return byRole[role];
}

export const oemRoles: readonly Role[] = ["oem_admin", "oem_sales", "oem_finance", "oem_warranty"];
export const dealerRoles: readonly Role[] = ["dealer_principal", "dealer_sales", "dealer_service", "dealer_finance"];
export const fleetRoles: readonly Role[] = ["fleet_manager"];

/** Which roles a user of an organisation type may hold. */
export function rolesForOrganizationType(type: "oem" | "dealer_group" | "dealer" | "fleet_customer"): readonly Role[] {
  if (type === "oem") return oemRoles;
  if (type === "fleet_customer") return fleetRoles;
  return dealerRoles;
}
