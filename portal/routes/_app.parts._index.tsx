// Parts stock: warehouse × part from the ERP snapshots, quantity against its safety stock, lines
// below it highlighted. OEM staff see every part; dealers the service parts they may order.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { parseListQuery } from "../domain/list-query";
import { listPartsStock, summarizePartsStock } from "../domain/parts/list-parts-stock.server";
import { partsStockListSpec } from "../domain/parts/list-spec";
import { countOpenStockAlerts } from "../domain/parts/list-stock-alerts.server";
import { BarList } from "../ui/charts";
import { DataTable, type Column } from "../ui/data-table";
import { useFormatters, useLocale, useT } from "../ui/i18n";
import { orThrowHttp } from "../web/errors.server";
import { ctxFor, requirePermissionUser } from "../web/request.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = requirePermissionUser(request, context, "inventory:read");
  const ctx = ctxFor(context, actor);
  const query = parseListQuery(new URL(request.url).searchParams, partsStockListSpec);
  const [page, warehouses, openAlerts] = await orThrowHttp(Promise.all([listPartsStock(ctx, query, context.locale), summarizePartsStock(ctx), countOpenStockAlerts(ctx)]));
  return { page, warehouses, openAlerts, oem: actor.scope === "all" };
}

export default function PartsStockPage() {
  const { page, warehouses, openAlerts, oem } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const fmt = useFormatters();
  type Row = (typeof page.rows)[number];
  const description = (r: Row) => (locale === "en" ? r.descriptionEn : r.descriptionZh) ?? r.descriptionEn;
  const columns: Column<Row>[] = [
    { key: "warehouse", header: t("parts.warehouse"), sort: "warehouse", render: (r) => r.warehouse },
    { key: "part", header: t("parts.partNumber"), sort: "part", render: (r) => <span className="int-mono">{r.partNumber}</span> },
    {
      key: "description",
      header: t("parts.description"),
      sort: "description",
      render: (r) => description(r) ?? <span className="muted">{t("parts.unknownPart")}</span>,
    },
    {
      key: "quantity",
      header: t("parts.quantity"),
      sort: "quantity",
      numeric: true,
      render: (r) => (
        <strong className={r.below ? "badge badge-bad" : undefined} data-testid={r.below ? "below-threshold" : undefined}>
          {fmt.number(Number(r.quantity))}
        </strong>
      ),
    },
    { key: "threshold", header: t("parts.threshold"), sort: "threshold", numeric: true, render: (r) => (r.threshold === null ? <span className="muted">—</span> : fmt.number(r.threshold)) },
    {
      key: "status",
      header: t("parts.status"),
      render: (r) =>
        r.threshold === null ? (
          <span className="muted">{t("parts.noThreshold")}</span>
        ) : r.below ? (
          <span className="badge badge-bad">{t("parts.below")}</span>
        ) : (
          <span className="badge badge-ok">{t("parts.ok")}</span>
        ),
    },
    { key: "snapshot", header: t("parts.snapshotAt"), sort: "snapshotAt", render: (r) => <span style={{ whiteSpace: "nowrap" }}>{fmt.dateTime(r.snapshotAt)}</span> },
  ];
  return (
    <>
      <div className="page-head">
        <div>
          <h1 data-testid="parts-title">{t("parts.title")}</h1>
          <div className="muted">{oem ? t("parts.subtitleOem") : t("parts.subtitleDealer")}</div>
        </div>
        {oem ? (
          <Link className="btn" to="/parts/alerts?status=open">
            {t("parts.openAlerts", { count: fmt.number(openAlerts) })}
          </Link>
        ) : null}
      </div>
      {warehouses.length === 0 ? (
        <p className="muted">{t("parts.empty")}</p>
      ) : oem ? (
        <section className="card" style={{ marginBottom: 16 }} data-testid="parts-by-warehouse">
          <h2>{t("parts.byWarehouse")}</h2>
          <BarList items={warehouses.map((w) => ({ label: w.warehouse, value: w.openAlerts }))} />
        </section>
      ) : null}
      <DataTable
        columns={columns}
        page={page}
        rowKey={(r) => `${r.warehouse}/${r.partNumber}`}
        defaultSort={partsStockListSpec.defaultSort}
        exportPath="/parts.csv"
        caption={t("parts.title")}
        filters={[
          { name: "q", label: t("table.search"), type: "text", placeholder: t("parts.searchPlaceholder") },
          { name: "warehouse", label: t("parts.warehouse"), type: "select", options: warehouses.map((w) => ({ value: w.warehouse, label: w.warehouse })) },
          { name: "below", label: t("parts.onlyBelow"), type: "select", options: [{ value: "1", label: t("parts.yes") }] },
        ]}
      />
    </>
  );
}
