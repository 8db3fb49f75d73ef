// Stock alerts as CSV: the same filters, sort and scope as the stock-alert screen.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { parseListQuery } from "../domain/list-query";
import { stockAlertListSpec } from "../domain/parts/list-spec";
import { listStockAlerts, type StockAlertRow } from "../domain/parts/list-stock-alerts.server";
import { translate } from "../i18n";
import { csvResponse } from "../web/csv.server";
import { ctxFor, requirePermissionUser } from "../web/request.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = requirePermissionUser(request, context, "inventory:read");
  const ctx = ctxFor(context, actor);
  const query = parseListQuery(new URL(request.url).searchParams, stockAlertListSpec);
  const tr = (k: string) => translate(context.locale, k);
  return csvResponse<StockAlertRow>(
    "stock-alerts.csv",
    [
      { header: tr("alerts.status"), value: (a) => tr(a.clearedAt ? "alerts.cleared" : "alerts.open") },
      { header: tr("alerts.kind"), value: (a) => tr(`alerts.kind.${a.kind}`) },
      { header: tr("alerts.scope"), value: (a) => a.scopeKey },
      { header: tr("alerts.subject"), value: (a) => a.subject },
      { header: tr("parts.description"), value: (a) => (context.locale === "en" ? a.descriptionEn : a.descriptionZh) ?? a.descriptionEn },
      { header: tr("alerts.level"), value: (a) => a.level },
      { header: tr("alerts.threshold"), value: (a) => a.threshold },
      { header: tr("alerts.raisedAt"), value: (a) => a.raisedAt },
      { header: tr("alerts.clearedAt"), value: (a) => a.clearedAt },
      { header: tr("alerts.acknowledgedBy"), value: (a) => a.acknowledgedBy },
    ],
    (page, pageSize) => listStockAlerts(ctx, { ...query, page, pageSize }),
  );
}
