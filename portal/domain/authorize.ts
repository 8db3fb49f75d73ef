// Permission checks for domain operations.
import type { Actor, UserActor } from "./context";
import { ForbiddenError } from "./errors";
import { can, type Permission } from "./permissions";

export function requireUserActor(actor: Actor): UserActor {
  if (actor.kind !== "user") throw new ForbiddenError("session");
  return actor;
}

/** System actors may do anything; users need the permission through their role. */
export function requirePermission(actor: Actor, ...anyOf: Permission[]): void {
  if (actor.kind === "system") return;
  if (actor.kind === "user" && anyOf.some((p) => can(actor.role, p))) return;
  throw new ForbiddenError(anyOf.join("|"));
}

export function hasPermission(actor: Actor, permission: Permission): boolean {
  return actor.kind === "system" || (actor.kind === "user" && can(actor.role, permission));
}
