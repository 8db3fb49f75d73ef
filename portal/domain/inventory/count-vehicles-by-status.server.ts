// Vehicles per status for the list's chart: the same scope and filters as the list, except the
// status filter itself, so the chart shows where the filtered vehicles are in their life.
import { count, eq } from "drizzle-orm";
import { organizations, vehicles, type VehicleStatus } from "../../../db/schema";
import { requirePermission } from "../authorize";
import type { Ctx } from "../context";
import { inScope } from "../context";
import { vehicleStatuses } from "./list-spec";
import { vehicleFilters, type VehicleListQuery } from "./list-vehicles.server";

export async function countVehiclesByStatus(ctx: Ctx, filters: VehicleListQuery["filters"]): Promise<{ status: VehicleStatus; count: number }[]> {
  requirePermission(ctx.actor, "inventory:read");
  return inScope(ctx, async (tx) => {
    const rows = await tx
      .select({ status: vehicles.status, n: count() })
      .from(vehicles)
      .leftJoin(organizations, eq(organizations.id, vehicles.organizationId))
      .where(vehicleFilters(filters, "status"))
      .groupBy(vehicles.status);
    const byStatus = new Map(rows.map((r) => [r.status, r.n]));
    return vehicleStatuses.map((status) => ({ status, count: byStatus.get(status) ?? 0 }));
  });
}
