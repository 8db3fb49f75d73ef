// Creating and editing users. OEM admins manage anyone; a dealer principal manages the users of its
// own organisation(s) with dealer roles only. Deactivating a user ends its sessions at once.
import { eq, sql } from "drizzle-orm";
import { users } from "../../../db/schema";
import { writeAudit } from "../audit/write-audit.server";
import { hasPermission, requirePermission, requireUserActor } from "../authorize";
import { hashPassword } from "../auth/password.server";
import { invalidateUserSessions } from "../auth/session.server";
import type { Ctx } from "../context";
import { inScope } from "../context";
import { ConflictError, ValidationError } from "../errors";
import { getOrganizationForActor } from "../organizations/get-organization.server";
import { rolesForOrganizationType } from "../permissions";
import { parseInput } from "../validation";
import { getUserForActor, type UserView } from "./get-user.server";
import { createUserInput, updateUserInput } from "./user-input";
import type { Role } from "../../../db/schema";

function assertRoleFits(ctx: Ctx, role: Role, organizationType: Parameters<typeof rolesForOrganizationType>[0]) {
  if (!rolesForOrganizationType(organizationType).includes(role)) {
    throw new ValidationError([
      { field: "role", rule: "role_for_organization", message: `role ${role} does not fit a ${organizationType} organisation`, params: { role, organizationType } },
    ]);
  }
  if (!hasPermission(ctx.actor, "user:manage_all") && role.startsWith("oem_")) {
    throw new ValidationError([{ field: "role", rule: "role_for_organization", message: `role ${role} is not yours to grant` }]);
  }
}

export async function createUser(ctx: Ctx, raw: unknown): Promise<UserView> {
  requirePermission(ctx.actor, "user:manage_all", "user:manage_own_org");
  const input = parseInput(createUserInput, raw);
  // NotFound for an organisation outside the actor's scope: a principal cannot add users elsewhere.
  const org = await getOrganizationForActor(ctx, input.organizationId);
  assertRoleFits(ctx, input.role, org.type);
  const passwordHash = await hashPassword(input.password);
  const id = await inScope(ctx, async (tx, c) => {
    const [clash] = await tx
      .select({ id: users.id })
      .from(users)
      .where(eq(users.email, input.email.toLowerCase()));
    if (clash) throw new ValidationError([{ field: "email", rule: "unique", message: "is already registered" }]);
    const [created] = await tx
      .insert(users)
      .values({
        email: input.email.toLowerCase(),
        name: input.name,
        role: input.role,
        organizationId: org.id,
        passwordHash,
        locale: input.locale ?? null,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      })
      .returning();
    await writeAudit(c, { action: "user.created", entityType: "user", entityId: created!.id, organizationId: org.id, after: created });
    return created!.id;
  });
  return getUserForActor(ctx, id);
}

export async function updateUser(ctx: Ctx, id: string, raw: unknown): Promise<UserView> {
  const actor = requireUserActor(ctx.actor);
  const before = await getUserForActor(ctx, id);
  const input = parseInput(updateUserInput, raw);
  assertRoleFits(ctx, input.role, before.organizationType);
  if (actor.userId === id && (input.status !== "active" || input.role !== before.role)) {
    throw new ValidationError([{ field: "status", rule: "not_self", message: "you cannot deactivate yourself or change your own role" }]);
  }
  if (input.expectedUpdatedAt && new Date(input.expectedUpdatedAt).getTime() !== before.updatedAt.getTime()) {
    throw new ConflictError("stale", "the user was changed by someone else; reload and try again");
  }
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  await inScope(ctx, async (tx, c) => {
    // Conditional update: if someone else saved in between, this edit is refused, not merged.
    const [after] = await tx
      .update(users)
      .set({ name: input.name, role: input.role, status: input.status, updatedAt: ctx.now, ...(passwordHash ? { passwordHash } : {}) })
      .where(sql`${users.id} = ${id} and date_trunc('milliseconds', ${users.updatedAt}) = ${before.updatedAt.toISOString()}::timestamptz`)
      .returning();
    if (!after) throw new ConflictError("stale", "the user was changed by someone else; reload and try again");
    // A role change, a new password or deactivation all end existing sessions.
    const ended =
      input.status === "inactive" || input.role !== before.role || passwordHash ? await invalidateUserSessions(tx, [id]) : 0;
    const action =
      before.status !== input.status ? (input.status === "active" ? "user.activated" : "user.deactivated") : input.role !== before.role ? "user.role_changed" : "user.updated";
    await writeAudit(c, {
      action,
      entityType: "user",
      entityId: id,
      organizationId: before.organizationId,
      before,
      after: { ...after, passwordChanged: Boolean(passwordHash), endedSessions: ended },
    });
  });
  return getUserForActor(ctx, id);
}

/** A user's own language choice; remembered across sessions and devices. */
export async function setOwnLocale(ctx: Ctx, locale: "zh-CN" | "en"): Promise<void> {
  const actor = requireUserActor(ctx.actor);
  await inScope(ctx, async (tx, c) => {
    await tx.update(users).set({ locale }).where(eq(users.id, actor.userId));
    await writeAudit(c, { action: "user.locale_changed", entityType: "user", entityId: actor.userId, organizationId: actor.organizationId, after: { locale } });
  });
}
