// One stored message: status, attempts and times, its summary, errors and warnings, the payload
// (escaped text, pretty view, download) and the acknowledgement; reprocess and cancel where the
// status allows them.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Tabs } from "radix-ui";
import { ConfirmDialog } from "../ui/confirm-dialog";
import type { FieldIssue } from "../domain/errors";
import { getMessageForActor } from "../domain/integration/get-message.server";
import { cancelMessage, reprocessMessage } from "../domain/integration/message-actions.server";
import { formatMoney } from "../domain/money";
import { FormErrors } from "../ui/form";
import { useFormatters, useLocale, useT, type T } from "../ui/i18n";
import { actionError, orThrowHttp, type ActionErrors } from "../web/errors.server";
import { ctxFor, readForm, redirectWithFlash, requirePermissionUser } from "../web/request.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const actor = requirePermissionUser(request, context, "integration:monitor");
  const message = await orThrowHttp(getMessageForActor(ctxFor(context, actor), params.messageId ?? ""));
  return { message };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = requirePermissionUser(request, context, "integration:monitor");
  const ctx = ctxFor(context, actor);
  const id = params.messageId ?? "";
  const intent = (await readForm(request)).get("intent");
  const here = `/integration/messages/${id}`;
  try {
    if (intent === "reprocess") {
      const outcome = await reprocessMessage(ctx, id);
      const key =
        outcome.status === "processed" || outcome.status === "ignored_stale"
          ? "integration.toast.reprocessedProcessed"
          : outcome.status === "failed" || outcome.status === "dead"
            ? "integration.toast.reprocessedFailed"
            : "integration.toast.reprocessedQueued";
      return redirectWithFlash(context, here, { kind: key.endsWith("Failed") ? "error" : "success", key });
    }
    if (intent === "cancel") {
      await cancelMessage(ctx, id);
      return redirectWithFlash(context, here, { kind: "success", key: "integration.toast.cancelled" });
    }
    return data<ActionErrors>(
      {
        ok: false,
        issues: [
          { field: "form", rule: "unknown_action", message: "unknown action; use reprocess or cancel" },
        ],
      },
      { status: 400 },
    );
  } catch (error) {
    return actionError(error);
  }
}

function feedLabel(t: T, system: string, type: string): string {
  const label = t(`integration.types.${system}/${type}`);
  return label === `integration.types.${system}/${type}` ? type : label;
}

function summaryValue(key: string, value: unknown, summary: Record<string, unknown>, locale: string): string {
  if (value === null || value === undefined) return "—";
  const currency = typeof summary.currency === "string" ? summary.currency : null;
  if (/Minor$/.test(key) && currency && /^-?\d+$/.test(String(value))) {
    try {
      return `${formatMoney(String(value), currency, locale)} (${String(value)})`;
    } catch {
      return String(value);
    }
  }
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

export default function MessagePage() {
  const { message: msg } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const fmt = useFormatters();
  const locale = useLocale();
  const busy = useNavigation().state !== "idle";
  const issues = result && !result.ok ? result.issues : undefined;
  const summary = (msg.summary ?? {}) as Record<string, unknown>;
  const summaryEntries = Object.entries(summary);
  const preview = msg.preview;
  const defaultTab = preview.pretty ? "pretty" : "raw";
  return (
    <>
      <div className="page-head">
        <div>
          <div className="muted">
            <Link to="/integration/messages">← {t("integration.messages.title")}</Link>
          </div>
          <h1 className="int-title">
            <span className="int-system">{msg.system.toUpperCase()}</span>{" "}
            {feedLabel(t, msg.system, msg.messageType)}
            <span className={`badge int-st int-st-${msg.status}`} data-testid="message-status">
              {t(`integration.status.${msg.status}`)}
            </span>
          </h1>
          <div className="muted int-mono" data-testid="message-id">
            {msg.messageId}
          </div>
        </div>
        <div className="int-head-actions">
          {msg.actions.includes("reprocess") ? (
            <Form method="post">
              <button
                className="btn btn-primary"
                type="submit"
                name="intent"
                value="reprocess"
                disabled={busy}
                data-testid="reprocess"
              >
                ↻ {t("integration.action.reprocess")}
              </button>
            </Form>
          ) : null}
          {msg.actions.includes("cancel") ? (
            <ConfirmDialog
              trigger={
                <button className="btn" type="button" disabled={busy} data-testid="cancel">
                  {t("integration.action.cancel")}
                </button>
              }
              title={t("integration.action.cancelTitle")}
              description={t("integration.action.cancelConfirm")}
              confirmLabel={t("integration.action.cancel")}
              intent="cancel"
              danger
              confirmTestId="cancel-confirm"
            />
          ) : null}
          <a className="btn" href={`/integration/messages/${msg.id}/raw`} download data-testid="download-raw">
            ⤓ {t("integration.download")}
          </a>
        </div>
      </div>

      <FormErrors issues={issues} />

      <div className="grid grid-2 int-section">
        <section className="card">
          <h2>{t("integration.message.facts")}</h2>
          <dl className="int-kv">
            <dt>{t("integration.col.status")}</dt>
            <dd>
              {t(`integration.status.${msg.status}`)}
              {msg.status === "processing" && msg.progressTotal
                ? ` · ${t("integration.progress", { done: fmt.number(msg.progressDone), total: fmt.number(msg.progressTotal), pct: Math.floor((msg.progressDone / msg.progressTotal) * 100) })}`
                : ""}
            </dd>
            <dt>{t("integration.col.attempts")}</dt>
            <dd data-testid="message-attempts">
              {msg.attempts} / {msg.maxAttempts}
              {msg.nextAttemptAt ? (
                <span className="muted">
                  {" "}
                  · {t("integration.message.nextAttempt", { time: fmt.dateTime(msg.nextAttemptAt) })}
                </span>
              ) : null}
            </dd>
            <dt>{t("integration.col.receivedAt")}</dt>
            <dd>{fmt.dateTime(msg.receivedAt)}</dd>
            <dt>{t("integration.col.processedAt")}</dt>
            <dd>{fmt.dateTime(msg.processedAt)}</dd>
            <dt>{t("integration.message.updatedAt")}</dt>
            <dd>{fmt.dateTime(msg.updatedAt)}</dd>
            <dt>{t("integration.col.direction")}</dt>
            <dd>
              {t(`integration.direction.${msg.direction}`)} · {t("integration.col.channel")}: {msg.channel}
            </dd>
            <dt>{t("integration.col.businessKey")}</dt>
            <dd className="int-mono">{msg.businessKey ?? "—"}</dd>
            <dt>{t("integration.message.correlationId")}</dt>
            <dd className="int-mono">{msg.correlationId ?? "—"}</dd>
            {msg.duplicateOf ? (
              <>
                <dt>{t("integration.message.duplicateOf")}</dt>
                <dd>
                  <Link className="int-mono" to={`/integration/messages/${msg.duplicateOf}`}>
                    {msg.duplicateOfMessageId ?? msg.duplicateOf}
                  </Link>
                </dd>
              </>
            ) : null}
            <dt>{t("integration.message.organization")}</dt>
            <dd>
              {msg.organizationId ? (
                <Link to={`/organizations/${msg.organizationId}`}>
                  {msg.organizationCode} · {msg.organizationName}
                </Link>
              ) : (
                "—"
              )}
            </dd>
            <dt>{t("integration.message.content")}</dt>
            <dd>
              {msg.contentType} · {fmt.number(msg.sizeBytes)} B
            </dd>
            <dt>{t("integration.message.hash")}</dt>
            <dd className="int-mono int-hash" title={msg.contentHash}>
              {msg.contentHash}
            </dd>
          </dl>
        </section>
        <section className="card">
          <h2>{t("integration.message.summary")}</h2>
          {summaryEntries.length === 0 ? (
            <p className="muted">{t("integration.message.noSummary")}</p>
          ) : (
            <table className="data int-kv-table" data-testid="summary">
              <tbody>
                {summaryEntries.map(([k, v]) => (
                  <tr key={k}>
                    <th scope="row">
                      {t(`integration.summary.${k}`) === `integration.summary.${k}`
                        ? k
                        : t(`integration.summary.${k}`)}
                    </th>
                    <td className="int-mono">{summaryValue(k, v, summary, locale)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>

      <IssueTable
        title={t("integration.message.errors")}
        issues={msg.errors}
        kind="error"
        t={t}
        testId="errors"
        empty={msg.lastError}
      />
      <IssueTable
        title={t("integration.message.warnings")}
        issues={msg.warnings}
        kind="warning"
        t={t}
        testId="warnings"
      />

      <section className="card int-section">
        <Tabs.Root defaultValue={defaultTab}>
          <div className="int-tabs-head">
            <h2>{t("integration.message.payload")}</h2>
            <Tabs.List className="int-tabs" aria-label={t("integration.message.payload")}>
              <Tabs.Trigger value="pretty" className="int-tab" disabled={!preview.pretty}>
                {t("integration.message.pretty")}
                {preview.pretty ? ` (${preview.pretty.kind.toUpperCase()})` : ""}
              </Tabs.Trigger>
              <Tabs.Trigger value="raw" className="int-tab">
                {t("integration.message.raw")}
              </Tabs.Trigger>
              <Tabs.Trigger value="ack" className="int-tab">
                {t("integration.message.ack")}
              </Tabs.Trigger>
            </Tabs.List>
          </div>
          {preview.truncated || preview.binary || !preview.pretty ? (
            <p className="alert alert-info int-note" data-testid="payload-note">
              {preview.truncated
                ? t("integration.message.truncated", {
                    shown: fmt.number(200),
                    size: fmt.number(Math.ceil(preview.sizeBytes / 1024)),
                  })
                : preview.binary
                  ? t("integration.message.binary")
                  : t("integration.message.noPretty")}{" "}
              <a href={`/integration/messages/${msg.id}/raw`} download>
                {t("integration.download")}
              </a>
            </p>
          ) : null}
          {preview.pretty ? (
            <Tabs.Content value="pretty">
              <pre className="int-payload" data-testid="payload-pretty">
                {preview.pretty.text}
              </pre>
            </Tabs.Content>
          ) : null}
          <Tabs.Content value="raw">
            <pre className="int-payload" data-testid="payload-raw">
              {preview.text}
            </pre>
          </Tabs.Content>
          <Tabs.Content value="ack">
            <pre className="int-payload" data-testid="payload-ack">
              {msg.ack ? JSON.stringify(msg.ack, null, 2) : t("integration.message.noAck")}
            </pre>
          </Tabs.Content>
        </Tabs.Root>
      </section>
    </>
  );
}

function IssueTable(props: {
  title: string;
  issues: FieldIssue[];
  kind: "error" | "warning";
  t: T;
  testId: string;
  empty?: string | null;
}) {
  const { t } = props;
  if (props.issues.length === 0 && !props.empty) return null;
  return (
    <section className={`card int-section int-issues int-issues-${props.kind}`} data-testid={props.testId}>
      <h2>
        {props.title} <span className="badge">{props.issues.length}</span>
      </h2>
      {props.issues.length === 0 ? (
        <p>{props.empty}</p>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th>{t("integration.issue.field")}</th>
                <th>{t("integration.issue.rule")}</th>
                <th>{t("integration.issue.message")}</th>
              </tr>
            </thead>
            <tbody>
              {props.issues.map((issue, i) => (
                <tr key={i}>
                  <td className="int-mono">{issue.field}</td>
                  <td>
                    <span className={`badge ${props.kind === "error" ? "badge-bad" : "badge-warn"}`}>
                      {issue.rule}
                    </span>
                  </td>
                  <td>{issue.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
