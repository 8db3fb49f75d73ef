// Upload a message file in the monitor (issue 3 §2): choose the feed, pick a file, optionally only
// validate it. The file goes through the same pipeline as the HTTP endpoint (channel "upload") and the
// acknowledgement is shown. The multipart body is read part by part with a cap: the file never
// buffers past its feed's maxBytes (or the largest feed's, if the file comes before the feed field).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, unstable_parseMultipartFormData, type UploadHandler } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import type { FieldIssue } from "../domain/errors";
import { ValidationError } from "../domain/errors";
import { registeredFeeds } from "../domain/integration/feed-status.server";
import { uploadMessage, type UploadResult } from "../domain/integration/upload-message.server";
import { Field, FormErrors } from "../ui/form";
import { useFormatters, useT, type T } from "../ui/i18n";
import { actionError, type ActionErrors } from "../web/errors.server";
import { ctxFor, requirePermissionUser } from "../web/request.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  requirePermissionUser(request, context, "integration:monitor");
  return { feeds: registeredFeeds() };
}

const fieldCap = 1024; // the text fields of this form are tiny
const maxTextFields = 8;

class TooLarge extends Error {
  constructor(readonly max: number) {
    super(`the file may be at most ${max} bytes`);
  }
}

function tooLarge(max: number) {
  return data<ActionErrors>(
    {
      ok: false,
      issues: [
        {
          field: "file",
          rule: "file_too_large",
          message: `the file may be at most ${max} bytes`,
          params: { max: formatBytes(max) },
        },
      ],
    },
    { status: 413 },
  );
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = requirePermissionUser(request, context, "integration:monitor");
  const feeds = registeredFeeds().filter((f) => f.connected);
  const largest = Math.max(0, ...feeds.map((f) => f.maxBytes ?? 0));
  if (!(request.headers.get("content-type") ?? "").startsWith("multipart/form-data")) {
    return data<ActionErrors>(
      {
        ok: false,
        issues: [
          { field: "file", rule: "required", message: "send the form as multipart/form-data with a file" },
        ],
      },
      { status: 400 },
    );
  }
  // A declared body far beyond any feed's cap is refused before a byte is read.
  if (Number(request.headers.get("content-length") ?? "0") > largest + 64 * 1024) return tooLarge(largest);

  const fields: Record<string, string> = {};
  let textFields = 0;
  let cap = largest;
  let file: { bytes: Buffer; name: string; contentType: string } | null = null;
  const handler: UploadHandler = async ({ name, filename, contentType, data: stream }) => {
    if (filename !== undefined) {
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of stream) {
        size += chunk.byteLength;
        if (size > cap) throw new TooLarge(cap);
        if (name === "file" && !file) chunks.push(Buffer.from(chunk));
      }
      if (name === "file" && !file) file = { bytes: Buffer.concat(chunks), name: filename, contentType };
      return undefined;
    }
    let text = "";
    for await (const chunk of stream) {
      text += Buffer.from(chunk).toString("utf8");
      if (text.length > fieldCap)
        throw new ValidationError([
          {
            field: name.slice(0, 40),
            rule: "max_length",
            message: "field too long",
            params: { max: fieldCap },
          },
        ]);
    }
    if (++textFields > maxTextFields)
      throw new ValidationError([
        { field: "form", rule: "too_many_fields", message: "too many form fields" },
      ]);
    if (!(name in fields)) fields[name] = text;
    // Once the feed is known, its own cap applies to the file that follows.
    if (name === "feed") {
      const chosen = feeds.find((f) => `${f.system}/${f.type}` === text);
      if (chosen?.maxBytes) cap = chosen.maxBytes;
    }
    return undefined;
  };
  try {
    await unstable_parseMultipartFormData(request, handler);
  } catch (error) {
    if (error instanceof TooLarge) return tooLarge(error.max);
    if (error instanceof ValidationError) return actionError(error);
    if (error instanceof TypeError)
      return data<ActionErrors>(
        { ok: false, issues: [{ field: "file", rule: "required", message: "the form could not be read" }] },
        { status: 400 },
      );
    throw error;
  }

  const [system = "", type = ""] = (fields.feed ?? "").split("/");
  const uploaded = file as { bytes: Buffer; name: string; contentType: string } | null;
  try {
    const result = await uploadMessage(ctxFor(context, actor), {
      system,
      type,
      body: uploaded?.bytes ?? Buffer.alloc(0),
      contentType: uploaded?.contentType ?? "application/octet-stream",
      fileName: uploaded?.name ?? "",
      validateOnly: fields.validateOnly === "1" || fields.validateOnly === "on",
    });
    return data<{ ok: true; result: UploadResult }>({ ok: true, result });
  } catch (error) {
    if (error instanceof ValidationError) {
      const status = error.issues.some((i) => i.rule === "file_too_large") ? 413 : 400;
      const issues = error.issues.map((i) =>
        i.rule === "file_too_large" ? { ...i, params: { max: formatBytes(Number(i.params?.max ?? 0)) } } : i,
      );
      return data<ActionErrors>({ ok: false, issues }, { status });
    }
    return actionError(error);
  }
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} B`;
}

function feedLabel(t: T, system: string, type: string): string {
  const label = t(`integration.types.${system}/${type}`);
  return label === `integration.types.${system}/${type}` ? type : label;
}

export default function UploadPage() {
  const { feeds } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const t = useT();
  const busy = useNavigation().state === "submitting";
  const connected = feeds.filter((f) => f.connected);
  const [feed, setFeed] = useState(connected[0] ? `${connected[0].system}/${connected[0].type}` : "");
  const chosen = connected.find((f) => `${f.system}/${f.type}` === feed);
  const issues = answer && !answer.ok ? answer.issues : undefined;
  const systems = [...new Set(feeds.map((f) => f.system))];
  return (
    <>
      <div className="page-head">
        <div>
          <h1>{t("integration.upload.title")}</h1>
          <div className="muted">{t("integration.upload.intro")}</div>
        </div>
        <Link to="/integration">← {t("integration.title")}</Link>
      </div>
      <div className="int-upload">
        <Form
          method="post"
          encType="multipart/form-data"
          className="card form"
          noValidate
          data-testid="upload-form"
        >
          <FormErrors issues={issues} />
          <Field name="feed" label={t("integration.upload.feed")} issues={issues}>
            {(a) => (
              <select {...a} name="feed" value={feed} onChange={(e) => setFeed(e.currentTarget.value)}>
                {systems.map((s) => (
                  <optgroup key={s} label={`${s.toUpperCase()} · ${t(`integration.systems.${s}`)}`}>
                    {feeds
                      .filter((f) => f.system === s)
                      .map((f) => (
                        <option key={f.type} value={`${f.system}/${f.type}`} disabled={!f.connected}>
                          {feedLabel(t, f.system, f.type)}
                          {f.connected ? "" : ` — ${t("integration.health.not_connected")}`}
                        </option>
                      ))}
                  </optgroup>
                ))}
              </select>
            )}
          </Field>
          <Field
            name="file"
            label={t("integration.upload.file")}
            issues={issues}
            hint={
              chosen?.maxBytes
                ? t("integration.upload.maxHint", { max: formatBytes(chosen.maxBytes) })
                : undefined
            }
          >
            {(a) => (
              <input
                {...a}
                name="file"
                type="file"
                accept=".xml,.json,.txt,application/xml,application/json,text/xml"
                required
                data-testid="upload-file"
              />
            )}
          </Field>
          <label className="int-check">
            <input type="checkbox" name="validateOnly" value="1" data-testid="upload-validate-only" />
            <span>
              {t("integration.upload.validateOnly")}
              <span className="hint muted">{t("integration.upload.validateOnlyHint")}</span>
            </span>
          </label>
          <div className="form-actions">
            <button
              className="btn btn-primary"
              type="submit"
              disabled={busy || !chosen}
              data-testid="upload-submit"
            >
              ⤒ {busy ? t("integration.upload.sending") : t("integration.upload.send")}
            </button>
          </div>
        </Form>
        {answer?.ok ? (
          <AckPanel result={answer.result} />
        ) : (
          <div className="card int-ack-empty muted">{t("integration.upload.noResult")}</div>
        )}
      </div>
    </>
  );
}

function AckPanel({ result }: { result: UploadResult }) {
  const t = useT();
  const fmt = useFormatters();
  const { ack } = result;
  const good = ack.status === "processed" || ack.status === "validated" || ack.status === "ignored_stale";
  const summary = Object.entries((ack.summary ?? {}) as Record<string, unknown>);
  return (
    <section
      className={`card int-ack ${good && ack.errors.length === 0 ? "int-ack-ok" : "int-ack-bad"}`}
      data-testid="upload-ack"
      aria-live="polite"
    >
      <div className="int-ack-head">
        <h2>{result.validateOnly ? t("integration.upload.checked") : t("integration.upload.received")}</h2>
        <span className={`badge int-st int-st-${ack.status}`} data-testid="ack-status">
          {t(`integration.status.${ack.status}`)}
        </span>
      </div>
      <p className="muted int-ack-file">
        {result.fileName} · {fmt.number(result.sizeBytes)} B
        {ack.messageId ? (
          <>
            {" "}
            · <span className="int-mono">{ack.messageId}</span>
          </>
        ) : null}
      </p>
      {result.validateOnly ? (
        <p className="alert alert-info">
          {t(ack.errors.length ? "integration.upload.validatedBad" : "integration.upload.validatedOk")}
        </p>
      ) : null}
      {!result.validateOnly && (ack.status === "received" || ack.status === "processing") ? (
        <p className="alert alert-info">{t("integration.upload.queued")}</p>
      ) : null}
      {ack.duplicateOf ? (
        <p className="alert alert-info">{t("integration.upload.duplicateOf", { id: ack.duplicateOf })}</p>
      ) : null}
      {summary.length ? (
        <table className="data int-kv-table">
          <tbody>
            {summary.map(([k, v]) => (
              <tr key={k}>
                <th scope="row">
                  {t(`integration.summary.${k}`) === `integration.summary.${k}`
                    ? k
                    : t(`integration.summary.${k}`)}
                </th>
                <td className="int-mono">
                  {typeof v === "object" && v !== null ? JSON.stringify(v) : String(v ?? "—")}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <AckIssues title={t("integration.message.errors")} issues={ack.errors} kind="error" />
      <AckIssues title={t("integration.message.warnings")} issues={ack.warnings} kind="warning" />
      {result.storedId ? (
        <p>
          <Link to={`/integration/messages/${result.storedId}`} data-testid="ack-message-link">
            {t("integration.upload.openMessage")} →
          </Link>
        </p>
      ) : null}
    </section>
  );
}

function AckIssues({
  title,
  issues,
  kind,
}: {
  title: string;
  issues: FieldIssue[];
  kind: "error" | "warning";
}) {
  if (!issues.length) return null;
  return (
    <div className="int-ack-issues" data-testid={`ack-${kind}s`}>
      <h3>
        {title} <span className="badge">{issues.length}</span>
      </h3>
      <ul>
        {issues.map((i, n) => (
          <li key={n}>
            <span className={`badge ${kind === "error" ? "badge-bad" : "badge-warn"}`}>{i.rule}</span>{" "}
            <span className="int-mono">{i.field}</span> — {i.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
