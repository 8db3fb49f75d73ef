// Organisations of the network (OEM staff): filter by type, status, region; sort; export.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { hasPermission } from "../domain/authorize";
import { parseListQuery } from "../domain/list-query";
import { formatMoney } from "../domain/money";
import { listOrganizations, listRegions } from "../domain/organizations/list-organizations.server";
import { organizationListSpec } from "../domain/organizations/list-spec";
import { DataTable, type Column } from "../ui/data-table";
import { useLocale, useT } from "../ui/i18n";
import { orThrowHttp } from "../web/errors.server";
import { ctxFor, requirePermissionUser } from "../web/request.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = requirePermissionUser(request, context, "organization:read");
  const ctx = ctxFor(context, actor);
  const query = parseListQuery(new URL(request.url).searchParams, organizationListSpec);
  const [page, regions] = await Promise.all([orThrowHttp(listOrganizations(ctx, query)), listRegions(ctx)]);
  return {
    page: { ...page, rows: page.rows.map((r) => ({ ...r, creditLimitMinor: r.creditLimitMinor.toString() })) },
    regions,
    canManage: hasPermission(actor, "organization:manage"),
  };
}

export default function OrganizationsPage() {
  const { page, regions, canManage } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  type Row = (typeof page.rows)[number];
  const columns: Column<Row>[] = [
    { key: "code", header: t("orgs.code"), sort: "code", render: (o) => <Link to={`/organizations/${o.id}`}>{o.code}</Link> },
    { key: "name", header: t("orgs.name"), sort: "name", render: (o) => o.name },
    { key: "type", header: t("orgs.type"), sort: "type", render: (o) => <span className="badge">{t(`orgTypes.${o.type}`)}</span> },
    { key: "region", header: t("orgs.region"), sort: "region", render: (o) => (o.regionCode ? (locale === "en" ? o.regionNameEn : o.regionNameZh) : "—") },
    {
      key: "status",
      header: t("orgs.status"),
      sort: "status",
      render: (o) => <span className={`badge ${o.status === "active" ? "badge-ok" : "badge-bad"}`}>{t(`status.${o.status}`)}</span>,
    },
    { key: "credit", header: t("orgs.creditLimit"), numeric: true, render: (o) => formatMoney(o.creditLimitMinor, o.currency, locale) },
    { key: "users", header: t("orgs.users"), sort: "users", numeric: true, render: (o) => o.userCount },
  ];
  return (
    <>
      <div className="page-head">
        <h1>{t("orgs.title")}</h1>
        {canManage ? (
          <Link className="btn btn-primary" to="/organizations/new">
            + {t("orgs.new")}
          </Link>
        ) : null}
      </div>
      <DataTable
        columns={columns}
        page={page}
        rowKey={(o) => o.id}
        defaultSort={organizationListSpec.defaultSort}
        exportPath="/organizations.csv"
        caption={t("orgs.title")}
        filters={[
          { name: "q", label: t("table.search"), type: "text", placeholder: t("orgs.searchPlaceholder") },
          {
            name: "type",
            label: t("orgs.type"),
            type: "select",
            options: ["oem", "dealer_group", "dealer", "fleet_customer"].map((v) => ({ value: v, label: t(`orgTypes.${v}`) })),
          },
          {
            name: "region",
            label: t("orgs.region"),
            type: "select",
            options: regions.map((r) => ({ value: r.code, label: locale === "en" ? r.nameEn : r.nameZh })),
          },
          {
            name: "status",
            label: t("orgs.status"),
            type: "select",
            options: [
              { value: "active", label: t("status.active") },
              { value: "inactive", label: t("status.inactive") },
            ],
          },
        ]}
      />
    </>
  );
}
