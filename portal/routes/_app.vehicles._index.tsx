// Vehicles: a dealer's own stock (its organisation's, or its group's), every vehicle for OEM staff,
// with a chart of where the filtered vehicles are in their life (status).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { countVehiclesByStatus } from "../domain/inventory/count-vehicles-by-status.server";
import { listVehicles } from "../domain/inventory/list-vehicles.server";
import { vehicleListSpec, vehicleStatuses } from "../domain/inventory/list-spec";
import { parseListQuery } from "../domain/list-query";
import { formatMoney } from "../domain/money";
import { BarList } from "../ui/charts";
import { DataTable, type Column } from "../ui/data-table";
import { useFormatters, useLocale, useT } from "../ui/i18n";
import { orThrowHttp } from "../web/errors.server";
import { ctxFor, requirePermissionUser } from "../web/request.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = requirePermissionUser(request, context, "inventory:read");
  const ctx = ctxFor(context, actor);
  const query = parseListQuery(new URL(request.url).searchParams, vehicleListSpec);
  const [page, byStatus] = await orThrowHttp(Promise.all([listVehicles(ctx, query), countVehiclesByStatus(ctx, query.filters)]));
  return {
    page: { ...page, rows: page.rows.map((v) => ({ ...v, listPriceMinor: v.listPriceMinor?.toString() ?? null })) },
    byStatus,
    // OEM staff and dealer-group principals see several organisations: show and filter the dealer.
    severalOrganizations: actor.scope === "all" || actor.scope.length > 1,
    oem: actor.organizationType === "oem",
  };
}

export default function VehiclesPage() {
  const { page, byStatus, severalOrganizations, oem } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const fmt = useFormatters();
  type Row = (typeof page.rows)[number];
  const columns: Column<Row>[] = [
    {
      key: "vin",
      header: t("vehicles.vin"),
      sort: "vin",
      render: (v) => (
        <>
          <Link to={`/vehicles/${v.vin}`} data-testid="vehicle-link" style={{ fontFamily: "ui-monospace, monospace" }}>
            {v.vin}
          </Link>
          {v.vinValid ? null : (
            <span className="badge badge-warn" style={{ marginLeft: 6 }} title={t("vehicles.vinInvalidHint")}>
              {t("vehicles.vinInvalid")}
            </span>
          )}
        </>
      ),
    },
    { key: "status", header: t("vehicles.status"), sort: "status", render: (v) => <StatusBadge status={v.status} /> },
    { key: "make", header: t("vehicles.make"), sort: "make", render: (v) => v.make ?? "—" },
    { key: "model", header: t("vehicles.model"), sort: "model", render: (v) => v.model ?? "—" },
    { key: "year", header: t("vehicles.modelYear"), sort: "modelYear", numeric: true, render: (v) => v.modelYear ?? "—" },
    {
      key: "condition",
      header: t("vehicles.condition"),
      render: (v) => (v.isNew === null ? "—" : v.isNew ? t("vehicles.new") : t("vehicles.used")),
    },
    { key: "stock", header: t("vehicles.stockNumber"), sort: "stockNumber", render: (v) => v.stockNumber ?? "—" },
    ...(severalOrganizations
      ? [
          {
            key: "dealer",
            header: t("vehicles.dealer"),
            sort: "dealer",
            render: (v: Row) =>
              v.dealerCode ? (
                <span title={v.dealerName ?? undefined}>
                  {oem ? <Link to={`/organizations/${v.organizationId}`}>{v.dealerCode}</Link> : v.dealerCode}
                </span>
              ) : (
                <span className="muted">{t("vehicles.oem")}</span>
              ),
          },
        ]
      : []),
    {
      key: "price",
      header: t("vehicles.listPrice"),
      sort: "listPrice",
      numeric: true,
      render: (v) => (v.listPriceMinor !== null && v.currency ? formatMoney(v.listPriceMinor, v.currency, locale) : "—"),
    },
    { key: "updated", header: t("vehicles.updatedAt"), sort: "updatedAt", render: (v) => <span style={{ whiteSpace: "nowrap" }}>{fmt.dateTime(v.updatedAt)}</span> },
  ];
  const total = byStatus.reduce((s, b) => s + b.count, 0);
  return (
    <>
      <div className="page-head">
        <div>
          <h1 data-testid="vehicles-title">{oem ? t("vehicles.title") : t("vehicles.titleDealer")}</h1>
          <div className="muted">{oem ? t("vehicles.subtitleOem") : t("vehicles.subtitleDealer")}</div>
        </div>
      </div>
      <section className="card" style={{ marginBottom: 16 }} data-testid="vehicles-by-status">
        <h2>
          {t("vehicles.byStatus")} <span className="muted" style={{ fontSize: 13, fontWeight: 400 }}>{t("vehicles.total", { count: fmt.number(total) })}</span>
        </h2>
        <BarList items={byStatus.map((b) => ({ label: t(`vehicleStatus.${b.status}`), value: b.count }))} />
      </section>
      <DataTable
        columns={columns}
        page={page}
        rowKey={(v) => v.vin}
        defaultSort={vehicleListSpec.defaultSort}
        defaultDir={vehicleListSpec.defaultDir}
        exportPath="/vehicles.csv"
        caption={oem ? t("vehicles.title") : t("vehicles.titleDealer")}
        filters={[
          { name: "q", label: t("table.search"), type: "text", placeholder: t("vehicles.searchPlaceholder") },
          { name: "status", label: t("vehicles.status"), type: "select", options: vehicleStatuses.map((s) => ({ value: s, label: t(`vehicleStatus.${s}`) })) },
          { name: "make", label: t("vehicles.make"), type: "text", placeholder: t("vehicles.makePlaceholder") },
          {
            name: "condition",
            label: t("vehicles.condition"),
            type: "select",
            options: [
              { value: "new", label: t("vehicles.new") },
              { value: "used", label: t("vehicles.used") },
            ],
          },
          ...(severalOrganizations ? [{ name: "dealer", label: t("vehicles.dealer"), type: "text" as const, placeholder: t("vehicles.dealerPlaceholder") }] : []),
        ]}
      />
    </>
  );
}

const statusTone: Record<string, string> = {
  scheduled: "",
  in_production: "badge-brand",
  built: "badge-brand",
  shipped: "badge-warn",
  in_transit: "badge-warn",
  dealer_stock: "badge-ok",
  sold: "",
};

function StatusBadge({ status }: { status: string }) {
  const t = useT();
  return <span className={`badge ${statusTone[status] ?? ""}`}>{t(`vehicleStatus.${status}`)}</span>;
}
