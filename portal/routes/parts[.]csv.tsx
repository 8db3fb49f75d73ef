// Parts stock as CSV: the same filters, sort and visibility as the parts-stock screen.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { parseListQuery } from "../domain/list-query";
import { listPartsStock, type PartsStockRow } from "../domain/parts/list-parts-stock.server";
import { partsStockListSpec } from "../domain/parts/list-spec";
import { translate } from "../i18n";
import { csvResponse } from "../web/csv.server";
import { ctxFor, requirePermissionUser } from "../web/request.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = requirePermissionUser(request, context, "inventory:read");
  const ctx = ctxFor(context, actor);
  const query = parseListQuery(new URL(request.url).searchParams, partsStockListSpec);
  const tr = (k: string) => translate(context.locale, k);
  return csvResponse<PartsStockRow>(
    "parts-stock.csv",
    [
      { header: tr("parts.warehouse"), value: (r) => r.warehouse },
      { header: tr("parts.partNumber"), value: (r) => r.partNumber },
      { header: tr("parts.description"), value: (r) => (context.locale === "en" ? r.descriptionEn : r.descriptionZh) ?? r.descriptionEn },
      { header: tr("parts.quantity"), value: (r) => r.quantity },
      { header: tr("parts.threshold"), value: (r) => r.threshold },
      { header: tr("parts.below"), value: (r) => (r.below ? tr("parts.yes") : "") },
      { header: tr("parts.snapshotAt"), value: (r) => r.snapshotAt },
    ],
    (page, pageSize) => listPartsStock(ctx, { ...query, page, pageSize }, context.locale),
  );
}
