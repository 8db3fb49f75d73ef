// Route helpers: who is asking, in which language, and the domain context for the call.
// Routes stay thin: authenticate, parse, call one domain operation, map the result (CONVENTIONS §2).
import { redirect, type AppLoadContext } from "@remix-run/node";
import type { Ctx, UserActor } from "../domain/context";
import { hasPermission } from "../domain/authorize";
import type { Permission } from "../domain/permissions";
import { FLASH_COOKIE, serializeCookie } from "./cookies";
import type { Flash } from "../server/load-context";

/** The signed-in user, or a redirect to the login page that comes back here afterwards. */
export function requireUser(request: Request, context: AppLoadContext): UserActor {
  if (context.actor) return context.actor;
  const url = new URL(request.url);
  const back = url.pathname + url.search;
  throw redirect(back === "/" || back === "/home" ? "/login" : `/login?redirectTo=${encodeURIComponent(back)}`);
}

/**
 * A signed-in user with one of the permissions. Without it the answer is 404, not 403, so that a
 * dealer cannot even learn which admin pages exist.
 */
export function requirePermissionUser(request: Request, context: AppLoadContext, ...anyOf: Permission[]): UserActor {
  const actor = requireUser(request, context);
  if (!anyOf.some((p) => hasPermission(actor, p))) throw notFound();
  return actor;
}

export function ctxFor(context: AppLoadContext, actor: UserActor | null): Ctx {
  return {
    db: context.db,
    actor: actor ?? { kind: "anonymous" },
    now: context.now(),
    requestId: context.requestId,
    ip: context.ip,
  };
}

export function notFound(): Response {
  return new Response("Not Found", { status: 404 });
}

export function flashCookie(context: AppLoadContext, flash: Flash): string {
  return serializeCookie(FLASH_COOKIE, JSON.stringify(flash), { secure: context.secure, maxAgeSeconds: 60 });
}

/** Redirect after a successful action, with a toast to show on the next page. */
export function redirectWithFlash(context: AppLoadContext, to: string, flash: Flash): Response {
  return redirect(to, { headers: { "Set-Cookie": flashCookie(context, flash) } });
}

/** Reads a form body with a cap, so an oversized field gets a clear error instead of a crash. */
export async function readForm(request: Request, maxBytes = 64 * 1024): Promise<FormData> {
  const length = Number(request.headers.get("content-length") ?? "0");
  if (length > maxBytes) throw new Response("Payload Too Large: the form may be at most 64 KiB", { status: 413 });
  const text = await request.text();
  if (Buffer.byteLength(text) > maxBytes) throw new Response("Payload Too Large: the form may be at most 64 KiB", { status: 413 });
  const type = request.headers.get("content-type") ?? "";
  if (type.startsWith("multipart/form-data")) {
    return new Request(request.url, { method: "POST", headers: request.headers, body: text }).formData();
  }
  const form = new FormData();
  for (const [k, v] of new URLSearchParams(text)) form.append(k, v);
  return form;
}

export function formObject(form: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of form) if (typeof v === "string" && !(k in out)) out[k] = v;
  return out;
}
