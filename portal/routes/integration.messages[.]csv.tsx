// Integration messages as CSV: the same filters, sort and permission as the message list.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { listMessages, messageListSpec, type MessageRow } from "../domain/integration/list-messages.server";
import { parseListQuery } from "../domain/list-query";
import { translate } from "../i18n";
import { csvResponse } from "../web/csv.server";
import { ctxFor, requirePermissionUser } from "../web/request.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = requirePermissionUser(request, context, "integration:monitor");
  const ctx = ctxFor(context, actor);
  const query = parseListQuery(new URL(request.url).searchParams, messageListSpec);
  const tr = (k: string) => translate(context.locale, k);
  return csvResponse<MessageRow>(
    "integration-messages.csv",
    [
      { header: "id", value: (r) => r.id },
      { header: tr("integration.col.receivedAt"), value: (r) => r.receivedAt },
      { header: tr("integration.col.system"), value: (r) => r.system },
      { header: tr("integration.col.direction"), value: (r) => r.direction },
      { header: tr("integration.col.type"), value: (r) => r.messageType },
      { header: tr("integration.col.messageId"), value: (r) => r.messageId },
      { header: tr("integration.col.businessKey"), value: (r) => r.businessKey },
      { header: tr("integration.col.document"), value: (r) => r.documentNumber },
      { header: tr("integration.col.partnerId"), value: (r) => r.partnerId },
      { header: tr("integration.col.status"), value: (r) => r.status },
      { header: tr("integration.col.attempts"), value: (r) => r.attempts },
      { header: tr("integration.col.size"), value: (r) => r.sizeBytes },
      { header: tr("integration.col.channel"), value: (r) => r.channel },
      { header: tr("integration.col.processedAt"), value: (r) => r.processedAt },
      { header: tr("integration.col.lastError"), value: (r) => r.lastError },
    ],
    (page, pageSize) => listMessages(ctx, { ...query, page, pageSize }),
  );
}
