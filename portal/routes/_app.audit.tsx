// The audit log (OEM admins): who did what, before and after, when; searchable and exportable.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { searchAudit } from "../domain/audit/search-audit.server";
import { auditListSpec } from "../domain/audit/list-spec";
import { parseListQuery } from "../domain/list-query";
import { DataTable, type Column } from "../ui/data-table";
import { actionLabel, useFormatters, useT } from "../ui/i18n";
import { orThrowHttp } from "../web/errors.server";
import { ctxFor, requirePermissionUser } from "../web/request.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = requirePermissionUser(request, context, "audit:read");
  const ctx = ctxFor(context, actor);
  const query = parseListQuery(new URL(request.url).searchParams, auditListSpec);
  return { page: await orThrowHttp(searchAudit(ctx, query)) };
}

export default function AuditPage() {
  const { page } = useLoaderData<typeof loader>();
  const t = useT();
  const fmt = useFormatters();
  type Row = (typeof page.rows)[number];
  const columns: Column<Row>[] = [
    { key: "at", header: t("audit.at"), sort: "at", render: (a) => <span style={{ whiteSpace: "nowrap" }}>{fmt.dateTime(a.at)}</span> },
    { key: "actor", header: t("audit.actor"), sort: "actor", render: (a) => a.actorLabel },
    { key: "action", header: t("audit.action"), sort: "action", render: (a) => (
        <span className="badge badge-brand" title={a.action}>
          {actionLabel(t, a.action)}
        </span>
      ),
    },
    {
      key: "entity",
      header: t("audit.entity"),
      sort: "entityType",
      render: (a) => (
        <>
          {a.entityType}
          {a.entityId ? <div className="muted" style={{ fontSize: 12 }}>{a.entityId}</div> : null}
        </>
      ),
    },
    {
      key: "changes",
      header: t("audit.changes"),
      render: (a) =>
        a.before || a.after ? (
          <details>
            <summary>{t("audit.show")}</summary>
            {a.before ? <pre className="json">{JSON.stringify(a.before, null, 1)}</pre> : null}
            {a.after ? <pre className="json">{JSON.stringify(a.after, null, 1)}</pre> : null}
          </details>
        ) : (
          "—"
        ),
    },
    {
      key: "request",
      header: t("audit.request"),
      render: (a) => (
        <span className="muted" style={{ fontSize: 12 }}>
          {a.requestId?.slice(0, 8) ?? "—"}
          <br />
          {a.ip ?? ""}
        </span>
      ),
    },
  ];
  return (
    <>
      <div className="page-head">
        <h1>{t("audit.title")}</h1>
      </div>
      <DataTable
        columns={columns}
        page={page}
        rowKey={(a) => a.id}
        defaultSort="at"
        defaultDir="desc"
        exportPath="/audit.csv"
        caption={t("audit.title")}
        filters={[
          { name: "q", label: t("table.search"), type: "text", placeholder: t("audit.searchPlaceholder") },
          {
            name: "entity",
            label: t("audit.entity"),
            type: "select",
            options: ["organization", "user"].map((e) => ({ value: e, label: e })),
          },
          { name: "action", label: t("audit.action"), type: "text", placeholder: "auth." },
          { name: "from", label: t("audit.from"), type: "date" },
          { name: "to", label: t("audit.to"), type: "date" },
        ]}
      />
    </>
  );
}
