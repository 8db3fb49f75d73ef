// POST /logout ends the session (the row is deleted, the cookie cleared).
import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { invalidateSession } from "../domain/auth/session.server";
import { writeAudit } from "../domain/audit/write-audit.server";
import { inScope } from "../domain/context";
import { clearCookie, parseCookies, SESSION_COOKIE } from "../web/cookies";
import { ctxFor, flashCookie } from "../web/request.server";

export async function loader() {
  return redirect("/login");
}

export async function action({ request, context }: ActionFunctionArgs) {
  const token = parseCookies(request.headers.get("cookie"))[SESSION_COOKIE];
  if (token && context.actor) {
    const actor = context.actor;
    await inScope(ctxFor(context, actor), async (tx, ctx) => {
      await invalidateSession(ctx, token);
      await writeAudit(ctx, { action: "auth.logout", entityType: "user", entityId: actor.userId, organizationId: actor.organizationId });
    });
  }
  const headers = new Headers();
  headers.append("Set-Cookie", clearCookie(SESSION_COOKIE, context.secure));
  headers.append("Set-Cookie", flashCookie(context, { kind: "info", key: "toast.loggedOut" }));
  return redirect("/login", { headers });
}
