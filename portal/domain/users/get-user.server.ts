// One user the actor may manage, or NotFound (also for users of other organisations).
import { eq } from "drizzle-orm";
import { organizations, users } from "../../../db/schema";
import { requirePermission } from "../authorize";
import type { Ctx } from "../context";
import { inScope } from "../context";
import { NotFoundError } from "../errors";
import { isUuid } from "../organizations/get-organization.server";

export const userColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  status: users.status,
  locale: users.locale,
  organizationId: users.organizationId,
  organizationCode: organizations.code,
  organizationName: organizations.name,
  organizationType: organizations.type,
  lastLoginAt: users.lastLoginAt,
  createdAt: users.createdAt,
  updatedAt: users.updatedAt,
};

export type UserView = {
  id: string;
  email: string;
  name: string;
  role: (typeof users.role.enumValues)[number];
  status: "active" | "inactive";
  locale: string | null;
  organizationId: string;
  organizationCode: string;
  organizationName: string;
  organizationType: (typeof organizations.type.enumValues)[number];
  lastLoginAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
};

export async function getUserForActor(ctx: Ctx, id: string): Promise<UserView> {
  requirePermission(ctx.actor, "user:manage_all", "user:manage_own_org");
  if (!isUuid(id)) throw new NotFoundError("user");
  return inScope(ctx, async (tx) => {
    const [row] = await tx
      .select(userColumns)
      .from(users)
      .innerJoin(organizations, eq(organizations.id, users.organizationId))
      .where(eq(users.id, id));
    if (!row) throw new NotFoundError("user");
    return row;
  });
}
