// POST /api/integration/{system}/{type}: inbound messages from the ERP, DMS, MES and bank.
// Authenticated per system (X-Api-Key or X-Signature HMAC), size-capped before parsing, answered
// with a JSON acknowledgement { messageId, status, summary, errors, warnings }. ?validateOnly=1
// reads, validates and maps without storing or applying anything.
import { type ActionFunctionArgs } from "@remix-run/node";
import { authenticateSystem } from "../../integration/pipeline/auth.server";
import { findFeed, isSystem } from "../../integration/pipeline/registry";
import { receiveMessage, UnreadableMessageError } from "../../integration/pipeline/receive.server";
import { writeAudit } from "../domain/audit/write-audit.server";
import { inScope, systemCtx } from "../domain/context";

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json; charset=utf-8", ...headers } });

export async function loader() {
  return json({ error: "method_not_allowed", message: "POST a message to this endpoint" }, 405, { Allow: "POST" });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const system = params.system ?? "";
  const type = params.type ?? "";
  if (request.method !== "POST") return json({ error: "method_not_allowed", message: "use POST" }, 405, { Allow: "POST" });
  if (!isSystem(system)) return json({ error: "unknown_system", message: `system must be one of erp, dms, mes, bank (got "${system.slice(0, 20)}")` }, 404);
  const feed = findFeed(system, type);
  if (!feed) return json({ error: "unknown_type", message: `no message type "${type.slice(0, 40)}" for ${system}` }, 404);

  const declared = Number(request.headers.get("content-length") ?? "0");
  const cap = feed === "not_implemented" ? 1024 * 1024 : feed.maxBytes;
  if (declared > cap) return tooLarge(cap);
  const body = await readCapped(request, cap);
  if (!body) return tooLarge(cap);

  if (!authenticateSystem(system, request.headers, body)) {
    await inScope(systemCtx(context.db, "integration:auth", context.now()), (_tx, c) =>
      writeAudit({ ...c, requestId: context.requestId, ip: context.ip }, { action: "integration.auth_failed", entityType: "integration", entityId: `${system}/${type}`, after: { bytes: body.length } }),
    );
    return json({ error: "unauthorized", message: `a valid X-Api-Key or X-Signature for ${system} is required` }, 401);
  }
  if (feed === "not_implemented") {
    return json({ error: "not_implemented", message: `${system}/${type} is part of the contract but not processed yet` }, 501);
  }

  const url = new URL(request.url);
  try {
    const result = await receiveMessage(
      context.db,
      {
        feed,
        body,
        contentType: request.headers.get("content-type") ?? "application/octet-stream",
        messageId: request.headers.get("x-message-id"),
        correlationId: request.headers.get("x-correlation-id") ?? context.requestId,
        channel: "http",
        validateOnly: url.searchParams.get("validateOnly") === "1" || url.searchParams.get("validateOnly") === "true",
      },
      context.now(),
    );
    return json(result.ack, result.httpStatus);
  } catch (error) {
    if (error instanceof UnreadableMessageError) {
      return json({ error: error.code, message: error.message, line: error.line, column: error.column }, 400);
    }
    throw error;
  }
}

function tooLarge(cap: number) {
  return json({ error: "too_large", message: `the body may be at most ${cap} bytes` }, 413);
}

/** Reads the body, giving up (null) as soon as it passes the cap: nothing larger is ever buffered. */
async function readCapped(request: Request, cap: number): Promise<Buffer | null> {
  if (!request.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > cap) {
      await reader.cancel();
      return null;
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}
