// The raw payload of a stored message, byte for byte as received, as a download. The content type is
// ours (XML, JSON or octet-stream), never the sender's, and the browser is told to save, not render.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getMessagePayload } from "../domain/integration/get-message.server";
import { orThrowHttp } from "../web/errors.server";
import { ctxFor, requirePermissionUser } from "../web/request.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const actor = requirePermissionUser(request, context, "integration:monitor");
  const raw = await orThrowHttp(getMessagePayload(ctxFor(context, actor), params.messageId ?? ""));
  return new Response(new Uint8Array(raw.bytes), {
    headers: {
      "Content-Type": raw.contentType,
      "Content-Length": String(raw.bytes.length),
      "Content-Disposition": `attachment; filename="${raw.filename}"`,
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "Cache-Control": "no-store",
    },
  });
}
