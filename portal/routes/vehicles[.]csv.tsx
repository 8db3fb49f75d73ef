// Vehicles as CSV: the same filters, sort and scope as the vehicle list. Prices as plain decimals
// with their currency, so a spreadsheet reads them exactly.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { listVehicles, type VehicleListRow } from "../domain/inventory/list-vehicles.server";
import { vehicleListSpec } from "../domain/inventory/list-spec";
import { parseListQuery } from "../domain/list-query";
import { minorToDecimal } from "../domain/money";
import { translate } from "../i18n";
import { csvResponse } from "../web/csv.server";
import { ctxFor, requirePermissionUser } from "../web/request.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = requirePermissionUser(request, context, "inventory:read");
  const ctx = ctxFor(context, actor);
  const query = parseListQuery(new URL(request.url).searchParams, vehicleListSpec);
  const tr = (k: string) => translate(context.locale, k);
  return csvResponse<VehicleListRow>(
    "vehicles.csv",
    [
      { header: tr("vehicles.vin"), value: (v) => v.vin },
      { header: tr("vehicles.vinInvalid"), value: (v) => (v.vinValid ? "" : "x") },
      { header: tr("vehicles.status"), value: (v) => tr(`vehicleStatus.${v.status}`) },
      { header: tr("vehicles.make"), value: (v) => v.make },
      { header: tr("vehicles.model"), value: (v) => v.model },
      { header: tr("vehicles.modelYear"), value: (v) => v.modelYear },
      { header: tr("vehicles.condition"), value: (v) => (v.isNew === null ? "" : tr(v.isNew ? "vehicles.new" : "vehicles.used")) },
      { header: tr("vehicles.stockNumber"), value: (v) => v.stockNumber },
      { header: tr("vehicles.dealer"), value: (v) => v.dealerCode ?? tr("vehicles.oem") },
      { header: tr("vehicles.location"), value: (v) => v.location },
      { header: tr("vehicles.listPrice"), value: (v) => (v.listPriceMinor !== null && v.currency ? minorToDecimal(v.listPriceMinor, v.currency) : "") },
      { header: tr("vehicles.csvCurrency"), value: (v) => v.currency },
      { header: tr("vehicles.lastSeenInStock"), value: (v) => v.lastSeenInStockAt },
      { header: tr("vehicles.lastEventAt"), value: (v) => v.lastEventAt },
      { header: tr("vehicles.updatedAt"), value: (v) => v.updatedAt },
    ],
    (page, pageSize) => listVehicles(ctx, { ...query, page, pageSize }),
  );
}
