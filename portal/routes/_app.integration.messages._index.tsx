// The integration monitor's message list: every stored message, filtered and sorted on the server,
// exported as CSV, with a bulk reprocess of the failed and dead messages the current filter selects.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { integrationSystem, messageDirection, messageStatus } from "../../db/schema";
import { registeredFeeds } from "../domain/integration/feed-status.server";
import {
  countReprocessable,
  knownMessageTypes,
  listMessages,
  messageListSpec,
} from "../domain/integration/list-messages.server";
import { bulkLimit, reprocessMatching } from "../domain/integration/message-actions.server";
import { parseListQuery } from "../domain/list-query";
import { DataTable, type Column } from "../ui/data-table";
import { useFormatters, useT, type T } from "../ui/i18n";
import { orThrowHttp } from "../web/errors.server";
import { ctxFor, readForm, redirectWithFlash, requirePermissionUser } from "../web/request.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = requirePermissionUser(request, context, "integration:monitor");
  const ctx = ctxFor(context, actor);
  const query = parseListQuery(new URL(request.url).searchParams, messageListSpec);
  const [page, reprocessable, seen] = await orThrowHttp(
    Promise.all([listMessages(ctx, query), countReprocessable(ctx, query.filters), knownMessageTypes(ctx)]),
  );
  const types = registeredFeeds().map((f) => ({ system: f.system as string, type: f.type }));
  for (const s of seen) if (!types.some((t) => t.system === s.system && t.type === s.type)) types.push(s);
  return { page, reprocessable, types, bulkLimit };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = requirePermissionUser(request, context, "integration:monitor");
  const form = await readForm(request);
  const params = new URLSearchParams();
  for (const [k, v] of form) if (typeof v === "string" && k !== "intent") params.append(k, v);
  const back = `/integration/messages${params.toString() ? `?${params}` : ""}`;
  if (form.get("intent") !== "reprocess-matching")
    return new Response("Bad Request: unknown intent", { status: 400 });
  const { filters } = parseListQuery(params, messageListSpec);
  const outcome = await orThrowHttp(reprocessMatching(ctxFor(context, actor), filters));
  if (outcome.requeued === 0)
    return redirectWithFlash(context, back, { kind: "info", key: "integration.toast.nothingToReprocess" });
  return redirectWithFlash(context, back, {
    kind: outcome.failed > 0 ? "error" : "success",
    key: "integration.toast.bulkReprocessed",
    params: {
      requeued: String(outcome.requeued),
      processed: String(outcome.processed),
      failed: String(outcome.failed),
      pending: String(outcome.pending),
    },
  });
}

function feedLabel(t: T, system: string, type: string): string {
  const label = t(`integration.types.${system}/${type}`);
  return label === `integration.types.${system}/${type}` ? type : label;
}

function kib(bytes: number): string {
  return bytes < 1024
    ? `${bytes} B`
    : bytes < 1024 * 1024
      ? `${(bytes / 1024).toFixed(1)} KB`
      : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export default function MessageList() {
  const { page, reprocessable, types, bulkLimit: limit } = useLoaderData<typeof loader>();
  const t = useT();
  const fmt = useFormatters();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  type Row = (typeof page.rows)[number];
  const columns: Column<Row>[] = [
    {
      key: "receivedAt",
      header: t("integration.col.receivedAt"),
      sort: "receivedAt",
      render: (r) => (
        <span className="int-when" title={fmt.dateTime(r.receivedAt)}>
          {fmt.date(r.receivedAt)}
          <small className="muted">{new Date(r.receivedAt).toISOString().slice(11, 19)}</small>
        </span>
      ),
    },
    {
      key: "feed",
      header: t("integration.col.feed"),
      sort: "type",
      render: (r) => (
        <span className="int-feed-cell">
          <span className="int-system">{r.system.toUpperCase()}</span> {feedLabel(t, r.system, r.messageType)}
          {r.direction === "outbound" ? (
            <small className="muted">{t("integration.direction.outbound")}</small>
          ) : null}
        </span>
      ),
    },
    {
      key: "messageId",
      header: t("integration.col.messageId"),
      sort: "messageId",
      render: (r) => (
        <Link
          to={`/integration/messages/${r.id}`}
          className="int-mono int-nowrap"
          data-testid="message-link"
          title={r.messageId}
        >
          {r.messageId.length > 26 ? `${r.messageId.slice(0, 13)}…${r.messageId.slice(-10)}` : r.messageId}
        </Link>
      ),
    },
    {
      key: "businessKey",
      header: t("integration.col.document"),
      sort: "businessKey",
      render: (r) => (
        <span
          className="int-doc-cell"
          title={[r.documentNumber ?? r.businessKey, r.partnerId].filter(Boolean).join(" · ")}
        >
          {r.documentNumber ?? r.businessKey ?? <span className="muted">—</span>}
          {r.partnerId ? <small className="muted">{r.partnerId}</small> : null}
        </span>
      ),
    },
    {
      key: "status",
      header: t("integration.col.status"),
      sort: "status",
      render: (r) => (
        <span className={`badge int-st int-st-${r.status}`} data-testid="message-status">
          {t(`integration.status.${r.status}`)}
          {r.status === "processing" && r.progressTotal
            ? ` ${Math.floor((r.progressDone / r.progressTotal) * 100)}%`
            : ""}
        </span>
      ),
    },
    {
      key: "attempts",
      header: t("integration.col.attempts"),
      sort: "attempts",
      numeric: true,
      render: (r) => `${r.attempts}/${r.maxAttempts}`,
    },
    {
      key: "size",
      header: t("integration.col.size"),
      sort: "size",
      numeric: true,
      render: (r) => <span className="int-nowrap">{kib(r.sizeBytes)}</span>,
    },
    {
      key: "error",
      header: t("integration.col.lastError"),
      render: (r) =>
        r.lastError ? (
          <span className="int-error-cell" title={r.lastError}>
            {r.lastError}
          </span>
        ) : (
          <span className="muted">—</span>
        ),
    },
  ];
  const hidden = [...params.entries()].filter(([k]) => k !== "page" && k !== "size");
  return (
    <>
      <div className="page-head">
        <div>
          <h1>{t("integration.messages.title")}</h1>
          <div className="muted">
            <Link to="/integration">← {t("integration.title")}</Link>
          </div>
        </div>
        <ConfirmDialog
          trigger={
            <button type="button" className="btn" disabled={reprocessable === 0 || busy} data-testid="bulk-reprocess">
              ↻ {t("integration.bulk.button", { n: fmt.number(reprocessable) })}
            </button>
          }
          title={t("integration.bulk.title")}
          description={
            <>
              {t("integration.bulk.confirm", { n: fmt.number(Math.min(reprocessable, limit)) })}
              {reprocessable > limit ? ` ${t("integration.bulk.limit", { limit: fmt.number(limit) })}` : ""}
            </>
          }
          confirmLabel={t("integration.bulk.go")}
          intent="reprocess-matching"
          fields={hidden}
          confirmTestId="bulk-reprocess-confirm"
        />
      </div>
      <DataTable
        columns={columns}
        page={page}
        rowKey={(r) => r.id}
        defaultSort="receivedAt"
        defaultDir="desc"
        exportPath="/integration/messages.csv"
        caption={t("integration.messages.title")}
        filters={[
          {
            name: "q",
            label: t("table.search"),
            type: "text",
            placeholder: t("integration.searchPlaceholder"),
          },
          {
            name: "system",
            label: t("integration.col.system"),
            type: "select",
            options: integrationSystem.enumValues.map((s) => ({ value: s, label: s.toUpperCase() })),
          },
          {
            name: "type",
            label: t("integration.col.type"),
            type: "select",
            options: types
              .filter((x) => !params.get("system") || x.system === params.get("system"))
              .filter((x, i, all) => all.findIndex((y) => y.type === x.type) === i)
              .map((x) => ({
                value: x.type,
                label: `${x.system.toUpperCase()} · ${feedLabel(t, x.system, x.type)}`,
              })),
          },
          {
            name: "status",
            label: t("integration.col.status"),
            type: "select",
            options: messageStatus.enumValues.map((s) => ({ value: s, label: t(`integration.status.${s}`) })),
          },
          {
            name: "direction",
            label: t("integration.col.direction"),
            type: "select",
            options: messageDirection.enumValues.map((d) => ({
              value: d,
              label: t(`integration.direction.${d}`),
            })),
          },
          { name: "from", label: t("integration.from"), type: "date" },
          { name: "to", label: t("integration.to"), type: "date" },
        ]}
      />
    </>
  );
}
