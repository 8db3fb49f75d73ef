// GET /api/integration/messages/{messageId}: the stored status, summary and errors of a message, for
// the sending system (its API key) or an OEM admin's session. Anyone else gets 404.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { and, desc, eq, or, type SQL } from "drizzle-orm";
import { integrationMessages } from "../../db/schema";
import { authenticateSystem } from "../../integration/pipeline/auth.server";
import { isSystem } from "../../integration/pipeline/registry";
import { hasPermission } from "../domain/authorize";
import { inScope, systemCtx } from "../domain/context";
import { isUuid } from "../domain/organizations/get-organization.server";

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json; charset=utf-8" } });

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const messageId = (params.messageId ?? "").slice(0, 200);
  const claimed = request.headers.get("x-system") ?? "";
  const bySystem = isSystem(claimed) && authenticateSystem(claimed, request.headers, Buffer.alloc(0)) ? claimed : null;
  const byAdmin = context.actor && hasPermission(context.actor, "integration:monitor");
  if (!bySystem && !byAdmin) return json({ error: "not_found", message: "no such message" }, 404);

  const idMatch: SQL = isUuid(messageId)
    ? or(eq(integrationMessages.id, messageId), eq(integrationMessages.messageId, messageId))!
    : eq(integrationMessages.messageId, messageId);
  const rows = await inScope(systemCtx(context.db, "integration:status", context.now()), (tx) =>
    tx
      .select()
      .from(integrationMessages)
      .where(bySystem ? and(idMatch, eq(integrationMessages.system, bySystem)) : idMatch)
      .orderBy(desc(integrationMessages.receivedAt))
      .limit(1),
  );
  const m = rows[0];
  if (!m) return json({ error: "not_found", message: "no such message" }, 404);
  return json({
    id: m.id,
    messageId: m.messageId,
    system: m.system,
    type: m.messageType,
    direction: m.direction,
    status: m.status,
    summary: m.summary,
    errors: m.errors,
    warnings: m.warnings,
    attempts: m.attempts,
    businessKey: m.businessKey,
    duplicateOf: m.duplicateOf,
    receivedAt: m.receivedAt,
    processedAt: m.processedAt,
  });
}
