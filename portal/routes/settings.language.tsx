// POST /settings/language: remembers the language for the signed-in user (and in a cookie, so the
// login page speaks it too).
import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { setOwnLocale } from "../domain/users/save-user.server";
import { isLocale } from "../i18n";
import { LOCALE_COOKIE, serializeCookie } from "../web/cookies";
import { ctxFor, formObject, readForm } from "../web/request.server";
import { safeRedirectPath } from "../web/redirect-to";

export async function loader() {
  return redirect("/home");
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = formObject(await readForm(request, 4096));
  const back = safeRedirectPath(form.redirectTo, context.actor ? "/home" : "/login");
  if (!isLocale(form.locale)) {
    return new Response("locale: must be one of zh-CN, en", { status: 400 });
  }
  if (context.actor) await setOwnLocale(ctxFor(context, context.actor), form.locale);
  return redirect(back, {
    headers: { "Set-Cookie": serializeCookie(LOCALE_COOKIE, form.locale, { secure: context.secure, maxAgeSeconds: 365 * 86400 }) },
  });
}
