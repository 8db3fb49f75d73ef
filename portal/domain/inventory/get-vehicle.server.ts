// One vehicle the actor may see, with its production timeline, or NotFound — also for another
// organisation's VIN, which the RLS scope hides (DESIGN §2: 404, never 403).
import { asc, eq } from "drizzle-orm";
import { organizations, vehicleEvents, vehicles } from "../../../db/schema";
import { requirePermission } from "../authorize";
import type { Ctx } from "../context";
import { inScope } from "../context";
import { NotFoundError } from "../errors";
import { vehicleListColumns, type VehicleListRow } from "./list-vehicles.server";

export type VehicleEventView = {
  eventId: string;
  stage: string;
  sequence: bigint;
  occurredAt: Date;
  plant: string | null;
  stale: boolean;
  createdAt: Date;
};

export type VehicleView = VehicleListRow & { orderReference: string | null; lastEventSequence: bigint | null; events: VehicleEventView[] };

/** A VIN as people type it: trimmed, upper case; anything that cannot be a VIN is simply not found. */
export function normalizeVin(raw: string): string | null {
  const vin = raw.trim().toUpperCase();
  return /^[A-HJ-NPR-Z0-9]{17}$/.test(vin) ? vin : null;
}

export async function getVehicleForActor(ctx: Ctx, rawVin: string): Promise<VehicleView> {
  requirePermission(ctx.actor, "inventory:read");
  const vin = normalizeVin(rawVin);
  if (!vin) throw new NotFoundError("vehicle");
  return inScope(ctx, async (tx) => {
    const [row] = await tx
      .select({ ...vehicleListColumns, orderReference: vehicles.orderReference, lastEventSequence: vehicles.lastEventSequence })
      .from(vehicles)
      .leftJoin(organizations, eq(organizations.id, vehicles.organizationId))
      .where(eq(vehicles.vin, vin));
    if (!row) throw new NotFoundError("vehicle");
    const events = await tx
      .select({
        eventId: vehicleEvents.eventId,
        stage: vehicleEvents.stage,
        sequence: vehicleEvents.sequence,
        occurredAt: vehicleEvents.occurredAt,
        plant: vehicleEvents.plant,
        stale: vehicleEvents.stale,
        createdAt: vehicleEvents.createdAt,
      })
      .from(vehicleEvents)
      .where(eq(vehicleEvents.vin, vin))
      .orderBy(asc(vehicleEvents.sequence), asc(vehicleEvents.occurredAt), asc(vehicleEvents.id));
    return { ...row, events };
  });
}
