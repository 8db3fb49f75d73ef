// Vehicle lists: a dealer's own stock (its organisation, or its group's), every vehicle for OEM
// staff — the RLS scope decides which rows exist for the query at all (factory and in-transit
// vehicles have no organisation and are the OEM's).
import { and, asc, count, desc, eq, ilike, or, type SQL } from "drizzle-orm";
import { organizations, vehicles, type VehicleStatus } from "../../../db/schema";
import { requirePermission } from "../authorize";
import type { Ctx } from "../context";
import { inScope } from "../context";
import { likePattern, type ListQuery, type Page } from "../list-query";
import { vehicleListSpec } from "./list-spec";

export { vehicleListSpec };

type Sort = (typeof vehicleListSpec.sorts)[number];
type Filter = keyof typeof vehicleListSpec.filters;
export type VehicleListQuery = ListQuery<Sort, Filter>;

export const vehicleListColumns = {
  vin: vehicles.vin,
  vinValid: vehicles.vinValid,
  status: vehicles.status,
  make: vehicles.make,
  model: vehicles.model,
  modelYear: vehicles.modelYear,
  stockNumber: vehicles.stockNumber,
  isNew: vehicles.isNew,
  location: vehicles.location,
  listPriceMinor: vehicles.listPriceMinor,
  currency: vehicles.currency,
  organizationId: vehicles.organizationId,
  dealerCode: organizations.code,
  dealerName: organizations.name,
  lastEventAt: vehicles.lastEventAt,
  lastSeenInStockAt: vehicles.lastSeenInStockAt,
  updatedAt: vehicles.updatedAt,
};

export type VehicleListRow = {
  vin: string;
  vinValid: boolean;
  status: VehicleStatus;
  make: string | null;
  model: string | null;
  modelYear: number | null;
  stockNumber: string | null;
  isNew: boolean | null;
  location: string | null;
  listPriceMinor: bigint | null;
  currency: string | null;
  organizationId: string | null;
  dealerCode: string | null;
  dealerName: string | null;
  lastEventAt: Date | null;
  lastSeenInStockAt: Date | null;
  updatedAt: Date;
};

/** The filters of a query as SQL; `except` leaves one out (the status chart counts every status). */
export function vehicleFilters(filters: VehicleListQuery["filters"], except?: Filter): SQL | undefined {
  const where: SQL[] = [];
  const f = { ...filters };
  if (except) delete f[except];
  if (f.q) where.push(or(ilike(vehicles.vin, likePattern(f.q)), ilike(vehicles.stockNumber, likePattern(f.q)))!);
  if (f.status) where.push(eq(vehicles.status, f.status as VehicleStatus));
  if (f.make) where.push(ilike(vehicles.make, likePattern(f.make)));
  if (f.condition) where.push(eq(vehicles.isNew, f.condition === "new"));
  if (f.dealer) where.push(or(eq(organizations.code, f.dealer.toUpperCase()), ilike(organizations.name, likePattern(f.dealer)))!);
  return where.length ? and(...where) : undefined;
}

export async function listVehicles(ctx: Ctx, query: VehicleListQuery): Promise<Page<VehicleListRow>> {
  requirePermission(ctx.actor, "inventory:read");
  const sortColumn = {
    vin: vehicles.vin,
    status: vehicles.status,
    make: vehicles.make,
    model: vehicles.model,
    modelYear: vehicles.modelYear,
    stockNumber: vehicles.stockNumber,
    dealer: organizations.code,
    listPrice: vehicles.listPriceMinor,
    updatedAt: vehicles.updatedAt,
  }[query.sort];
  const order = query.dir === "asc" ? asc(sortColumn) : desc(sortColumn);
  const condition = vehicleFilters(query.filters);
  return inScope(ctx, async (tx) => {
    const [total] = await tx
      .select({ n: count() })
      .from(vehicles)
      .leftJoin(organizations, eq(organizations.id, vehicles.organizationId))
      .where(condition);
    const rows = await tx
      .select(vehicleListColumns)
      .from(vehicles)
      .leftJoin(organizations, eq(organizations.id, vehicles.organizationId))
      .where(condition)
      .orderBy(order, asc(vehicles.vin))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize);
    return { rows, total: total?.n ?? 0, page: query.page, pageSize: query.pageSize };
  });
}
