// Fetches one organisation the actor may see, or throws NotFound — also for ids of organisations
// outside the actor's scope, so that their existence is not revealed.
import { eq } from "drizzle-orm";
import { organizations, type Organization } from "../../../db/schema";
import type { Ctx } from "../context";
import { inScope } from "../context";
import { NotFoundError } from "../errors";

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return uuidPattern.test(value);
}

export async function getOrganizationForActor(ctx: Ctx, id: string): Promise<Organization> {
  if (!isUuid(id)) throw new NotFoundError("organization");
  return inScope(ctx, async (tx) => {
    const [row] = await tx.select().from(organizations).where(eq(organizations.id, id));
    if (!row) throw new NotFoundError("organization");
    return row;
  });
}
