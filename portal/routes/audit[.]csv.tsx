// The audit log as CSV: the same filters and sort as the screen.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { searchAudit, type AuditView } from "../domain/audit/search-audit.server";
import { auditListSpec } from "../domain/audit/list-spec";
import { parseListQuery } from "../domain/list-query";
import { translate } from "../i18n";
import { csvResponse } from "../web/csv.server";
import { ctxFor, requirePermissionUser } from "../web/request.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = requirePermissionUser(request, context, "audit:read");
  const ctx = ctxFor(context, actor);
  const query = parseListQuery(new URL(request.url).searchParams, auditListSpec);
  const tr = (k: string) => translate(context.locale, k);
  return csvResponse<AuditView>(
    "audit-log.csv",
    [
      { header: tr("audit.at"), value: (a) => a.at },
      { header: tr("audit.actor"), value: (a) => a.actorLabel },
      { header: tr("audit.action"), value: (a) => a.action },
      { header: tr("audit.entity"), value: (a) => a.entityType },
      { header: tr("audit.entityId"), value: (a) => a.entityId },
      { header: "before", value: (a) => (a.before === null ? "" : JSON.stringify(a.before)) },
      { header: "after", value: (a) => (a.after === null ? "" : JSON.stringify(a.after)) },
      { header: tr("audit.request"), value: (a) => a.requestId },
      { header: "ip", value: (a) => a.ip },
    ],
    (page, pageSize) => searchAudit(ctx, { ...query, page, pageSize }),
  );
}
