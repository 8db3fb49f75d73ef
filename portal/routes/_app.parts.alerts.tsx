// Stock alerts: open ones first, filter by status, warehouse and part, CSV export; OEM staff
// acknowledge an alert (audited) to say someone has taken it up.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { parseListQuery } from "../domain/list-query";
import { acknowledgeStockAlert } from "../domain/parts/acknowledge-stock-alert.server";
import { stockAlertListSpec } from "../domain/parts/list-spec";
import { listStockAlerts } from "../domain/parts/list-stock-alerts.server";
import { DataTable, type Column } from "../ui/data-table";
import { FormErrors } from "../ui/form";
import { useFormatters, useLocale, useT } from "../ui/i18n";
import { actionError, orThrowHttp } from "../web/errors.server";
import { ctxFor, formObject, readForm, redirectWithFlash, requirePermissionUser } from "../web/request.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = requirePermissionUser(request, context, "inventory:read");
  const query = parseListQuery(new URL(request.url).searchParams, stockAlertListSpec);
  const page = await orThrowHttp(listStockAlerts(ctxFor(context, actor), query));
  return { page, canAcknowledge: actor.scope === "all" };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = requirePermissionUser(request, context, "inventory:read");
  const form = formObject(await readForm(request));
  try {
    await acknowledgeStockAlert(ctxFor(context, actor), form.alertId ?? "");
    const back = new URL(request.url);
    return redirectWithFlash(context, `/parts/alerts${back.search}`, { kind: "success", key: "alerts.acknowledgedToast" });
  } catch (error) {
    return actionError(error);
  }
}

export default function StockAlertsPage() {
  const { page, canAcknowledge } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const t = useT();
  const locale = useLocale();
  const fmt = useFormatters();
  type Row = (typeof page.rows)[number];
  const columns: Column<Row>[] = [
    {
      key: "status",
      header: t("alerts.status"),
      sort: "clearedAt",
      render: (a) => (a.clearedAt ? <span className="badge badge-ok">{t("alerts.cleared")}</span> : <span className="badge badge-bad">{t("alerts.open")}</span>),
    },
    { key: "scope", header: t("alerts.scope"), sort: "warehouse", render: (a) => a.scopeKey },
    {
      key: "subject",
      header: t("alerts.subject"),
      sort: "part",
      render: (a) => (
        <span>
          <span className="int-mono">{a.subject}</span>
          {a.kind !== "part" ? <span className="badge" style={{ marginLeft: 6 }}>{t(`alerts.kind.${a.kind}`)}</span> : null}
          <div className="muted">{(locale === "en" ? a.descriptionEn : a.descriptionZh) ?? a.descriptionEn ?? ""}</div>
        </span>
      ),
    },
    { key: "level", header: t("alerts.level"), sort: "level", numeric: true, render: (a) => <strong className={a.clearedAt ? undefined : "badge badge-bad"}>{fmt.number(Number(a.level))}</strong> },
    { key: "threshold", header: t("alerts.threshold"), sort: "threshold", numeric: true, render: (a) => fmt.number(Number(a.threshold)) },
    { key: "raised", header: t("alerts.raisedAt"), sort: "raisedAt", render: (a) => <span style={{ whiteSpace: "nowrap" }}>{fmt.dateTime(a.raisedAt)}</span> },
    { key: "cleared", header: t("alerts.clearedAt"), render: (a) => <span style={{ whiteSpace: "nowrap" }}>{fmt.dateTime(a.clearedAt)}</span> },
    {
      key: "ack",
      header: t("alerts.acknowledgedBy"),
      render: (a) =>
        a.acknowledgedBy ? (
          a.acknowledgedBy
        ) : canAcknowledge && !a.clearedAt ? (
          <Form method="post" style={{ margin: 0 }}>
            <input type="hidden" name="alertId" value={a.id} />
            <button type="submit" className="btn btn-small" disabled={busy} data-testid="acknowledge-alert">
              {t("alerts.acknowledge")}
            </button>
          </Form>
        ) : (
          <span className="muted">{t("alerts.notAcknowledged")}</span>
        ),
    },
  ];
  return (
    <>
      <div className="page-head">
        <div>
          <h1 data-testid="alerts-title">{t("alerts.title")}</h1>
          <div className="muted">{t("alerts.subtitle")}</div>
        </div>
      </div>
      {result && !result.ok ? <FormErrors issues={result.issues} /> : null}
      <DataTable
        columns={columns}
        page={page}
        rowKey={(a) => a.id}
        defaultSort={stockAlertListSpec.defaultSort}
        defaultDir={stockAlertListSpec.defaultDir}
        exportPath="/parts/alerts.csv"
        caption={t("alerts.title")}
        filters={[
          {
            name: "status",
            label: t("alerts.status"),
            type: "select",
            options: [
              { value: "open", label: t("alerts.open") },
              { value: "cleared", label: t("alerts.cleared") },
            ],
          },
          { name: "warehouse", label: t("parts.warehouse"), type: "text", placeholder: t("parts.warehousePlaceholder") },
          { name: "q", label: t("table.search"), type: "text", placeholder: t("parts.searchPlaceholder") },
        ]}
      />
    </>
  );
}
