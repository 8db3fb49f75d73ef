// Partner-id mappings (OEM admins): which of our organisations a sender's partner id means, per
// system. Add or change a mapping (organisation chosen by code, audited); then reprocess the
// messages of that system that failed because the partner was unknown.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useLocation,
  useNavigation,
  useSearchParams,
} from "@remix-run/react";
import { integrationSystem, type IntegrationSystem } from "../../db/schema";
import { ValidationError } from "../domain/errors";
import {
  listPartnerMappings,
  partnerMappingListSpec,
} from "../domain/integration/list-partner-mappings.server";
import { reprocessUnknownPartner, unknownPartnerCounts } from "../domain/integration/message-actions.server";
import { savePartnerMapping } from "../domain/integration/save-partner-mapping.server";
import { parseListQuery } from "../domain/list-query";
import { DataTable, type Column } from "../ui/data-table";
import { Field, FormErrors } from "../ui/form";
import { useFormatters, useT } from "../ui/i18n";
import { actionError, orThrowHttp } from "../web/errors.server";
import {
  ctxFor,
  formObject,
  readForm,
  redirectWithFlash,
  requirePermissionUser,
} from "../web/request.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = requirePermissionUser(request, context, "integration:monitor");
  const ctx = ctxFor(context, actor);
  const query = parseListQuery(new URL(request.url).searchParams, partnerMappingListSpec);
  const [page, waiting] = await orThrowHttp(
    Promise.all([listPartnerMappings(ctx, query), unknownPartnerCounts(ctx)]),
  );
  return { page, waiting };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = requirePermissionUser(request, context, "integration:monitor");
  const ctx = ctxFor(context, actor);
  const form = formObject(await readForm(request));
  try {
    if (form.intent === "reprocess-partner") {
      const system = form.system as IntegrationSystem;
      if (!(integrationSystem.enumValues as readonly string[]).includes(system)) {
        return actionError(
          new ValidationError([
            {
              field: "system",
              rule: "one_of",
              message: "unknown system",
              params: { options: integrationSystem.enumValues.join(", ") },
            },
          ]),
        );
      }
      const outcome = await reprocessUnknownPartner(ctx, system);
      if (outcome.requeued === 0)
        return redirectWithFlash(context, "/integration/partners", {
          kind: "info",
          key: "integration.toast.nothingToReprocess",
        });
      return redirectWithFlash(context, "/integration/partners", {
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
    const saved = await savePartnerMapping(ctx, form);
    return redirectWithFlash(context, `/integration/partners?mapped=${saved.system}`, {
      kind: "success",
      key: "integration.toast.mapped",
      params: {
        system: saved.system.toUpperCase(),
        partnerId: saved.partnerId,
        code: saved.organizationCode,
      },
    });
  } catch (error) {
    // The typed values come back with the errors, so nothing has to be typed again.
    if (error instanceof ValidationError && form.intent !== "reprocess-partner") {
      const values = {
        system: form.system ?? "",
        partnerId: form.partnerId ?? "",
        organizationCode: form.organizationCode ?? "",
        note: form.note ?? "",
      };
      return data({ ok: false as const, issues: error.issues, values }, { status: 400 });
    }
    return actionError(error);
  }
}

export default function PartnerMappings() {
  const { page, waiting } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const fmt = useFormatters();
  const [params] = useSearchParams();
  const location = useLocation();
  const busy = useNavigation().state === "submitting";
  const issues = result && !result.ok ? result.issues : undefined;
  const typed = result && "values" in result ? result.values : undefined;
  const mapped = params.get("mapped");
  const edit = params.get("edit") === "1";
  const editLink = (r: (typeof page.rows)[number]) => {
    const next = new URLSearchParams(params);
    next.delete("mapped");
    next.set("edit", "1");
    next.set("eSystem", r.system);
    next.set("ePartner", r.partnerId);
    next.set("eOrg", r.organizationCode);
    next.set("eNote", r.note ?? "");
    return `?${next}`;
  };
  type Row = (typeof page.rows)[number];
  const columns: Column<Row>[] = [
    {
      key: "system",
      header: t("integration.col.system"),
      sort: "system",
      render: (r) => <span className="int-system">{r.system.toUpperCase()}</span>,
    },
    {
      key: "partnerId",
      header: t("integration.col.partnerId"),
      sort: "partnerId",
      render: (r) => <span className="int-mono">{r.partnerId}</span>,
    },
    {
      key: "org",
      header: t("integration.partners.organization"),
      sort: "organization",
      render: (r) => (
        <span className="int-doc-cell int-org-cell" title={`${r.organizationCode} ${r.organizationName}`}>
          <Link to={`/organizations/${r.organizationId}`}>{r.organizationCode}</Link>
          <small className="muted">{r.organizationName}</small>
        </span>
      ),
    },
    {
      key: "note",
      header: t("integration.partners.note"),
      render: (r) =>
        r.note ? (
          <span className="int-note-cell" title={r.note}>
            {r.note}
          </span>
        ) : (
          <span className="muted">—</span>
        ),
    },
    {
      key: "createdAt",
      header: t("integration.partners.createdAt"),
      sort: "createdAt",
      render: (r) => (
        <span className="int-nowrap" title={fmt.dateTime(r.createdAt)}>
          {fmt.date(r.createdAt)}
        </span>
      ),
    },
    {
      key: "edit",
      header: "",
      render: (r) => (
        <Link to={editLink(r)} preventScrollReset data-testid="edit-mapping">
          {t("integration.partners.edit")}
        </Link>
      ),
    },
  ];
  const waitingSystems = (Object.entries(waiting) as [IntegrationSystem, number][]).filter(([, n]) => n > 0);
  return (
    <>
      <div className="page-head">
        <div>
          <h1>{t("integration.partners.title")}</h1>
          <div className="muted">{t("integration.partners.intro")}</div>
        </div>
        <Link to="/integration">← {t("integration.title")}</Link>
      </div>

      {waitingSystems.length ? (
        <div className="int-waiting" data-testid="unknown-partner">
          {waitingSystems.map(([system, n]) => (
            <Form
              method="post"
              key={system}
              className={`alert ${mapped === system ? "alert-info int-waiting-hot" : "alert-info"} int-waiting-row`}
            >
              <span>
                {t("integration.partners.waiting", { n: fmt.number(n), system: system.toUpperCase() })}
              </span>
              <input type="hidden" name="system" value={system} />
              <button
                type="submit"
                name="intent"
                value="reprocess-partner"
                className="btn btn-primary btn-small"
                disabled={busy}
                data-testid={`reprocess-partner-${system}`}
              >
                ↻ {t("integration.partners.reprocess", { system: system.toUpperCase() })}
              </button>
            </Form>
          ))}
        </div>
      ) : null}

      <div className="int-partners">
        <div>
          <DataTable
            columns={columns}
            page={page}
            rowKey={(r) => `${r.system}:${r.partnerId}`}
            defaultSort={partnerMappingListSpecDefault}
            caption={t("integration.partners.title")}
            filters={[
              {
                name: "q",
                label: t("table.search"),
                type: "text",
                placeholder: t("integration.partners.searchPlaceholder"),
              },
              {
                name: "system",
                label: t("integration.col.system"),
                type: "select",
                options: integrationSystem.enumValues.map((s) => ({ value: s, label: s.toUpperCase() })),
              },
            ]}
          />
        </div>
        <Form
          method="post"
          className="card form int-mapping-form"
          noValidate
          key={edit ? `${params.get("eSystem")}:${params.get("ePartner")}` : `new-${location.key}`}
          data-testid="mapping-form"
        >
          <h2>{edit ? t("integration.partners.change") : t("integration.partners.add")}</h2>
          <FormErrors issues={issues} />
          <Field name="system" label={t("integration.col.system")} issues={issues}>
            {(a) => (
              <select
                {...a}
                name="system"
                defaultValue={typed?.system ?? (edit ? (params.get("eSystem") ?? "erp") : "dms")}
                disabled={edit}
              >
                {integrationSystem.enumValues.map((s) => (
                  <option key={s} value={s}>
                    {s.toUpperCase()} · {t(`integration.systems.${s}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {edit ? <input type="hidden" name="system" value={params.get("eSystem") ?? ""} /> : null}
          <Field
            name="partnerId"
            label={t("integration.col.partnerId")}
            issues={issues}
            hint={t("integration.partners.partnerHint")}
          >
            {(a) => (
              <input
                {...a}
                name="partnerId"
                defaultValue={typed?.partnerId ?? (edit ? (params.get("ePartner") ?? "") : "")}
                readOnly={edit}
                maxLength={64}
                required
                autoComplete="off"
              />
            )}
          </Field>
          <Field
            name="organizationCode"
            label={t("integration.partners.organizationCode")}
            issues={issues}
            hint={t("integration.partners.codeHint")}
          >
            {(a) => (
              <input
                {...a}
                name="organizationCode"
                defaultValue={typed?.organizationCode ?? (edit ? (params.get("eOrg") ?? "") : "")}
                maxLength={20}
                required
                autoComplete="off"
              />
            )}
          </Field>
          <Field name="note" label={t("integration.partners.note")} issues={issues}>
            {(a) => (
              <input
                {...a}
                name="note"
                defaultValue={typed?.note ?? (edit ? (params.get("eNote") ?? "") : "")}
                maxLength={200}
                autoComplete="off"
              />
            )}
          </Field>
          <div className="form-actions">
            <button
              className="btn btn-primary"
              type="submit"
              name="intent"
              value="save"
              disabled={busy}
              data-testid="save-mapping"
            >
              {t("form.save")}
            </button>
            {edit ? (
              <Link className="btn" to="/integration/partners">
                {t("integration.cancelButton")}
              </Link>
            ) : null}
          </div>
        </Form>
      </div>
    </>
  );
}

const partnerMappingListSpecDefault = "system";
