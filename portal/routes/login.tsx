// The login page: GET shows the form, POST (fields email, password, optional redirectTo) signs in.
import {
  data,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { login } from "../domain/auth/login.server";
import { RateLimitedError, ValidationError } from "../domain/errors";
import { translate } from "../i18n";
import { serializeCookie, SESSION_COOKIE } from "../web/cookies";
import { formObject, readForm } from "../web/request.server";
import { safeRedirectPath } from "../web/redirect-to";
import { FormErrors } from "../ui/form";
import { useT } from "../ui/i18n";
import { LanguageSwitch } from "../ui/language-switch";
import type { FieldIssue } from "../domain/errors";

export const meta: MetaFunction = () => [{ name: "robots", content: "noindex" }];

// Document responses carry the action's Retry-After (the 429 of a throttled login).
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const out = new Headers();
  const retry = actionHeaders.get("Retry-After");
  if (retry) out.set("Retry-After", retry);
  return out;
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const redirectTo = safeRedirectPath(new URL(request.url).searchParams.get("redirectTo"));
  if (context.actor) throw redirect(redirectTo);
  return { redirectTo };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = formObject(await readForm(request, 16 * 1024));
  const redirectTo = safeRedirectPath(form.redirectTo);
  try {
    const session = await login(
      { db: context.db, actor: { kind: "anonymous" }, now: context.now(), requestId: context.requestId, ip: context.ip },
      { email: form.email ?? "", password: form.password ?? "" },
      { userAgent: request.headers.get("user-agent") ?? undefined },
    );
    return redirect(redirectTo, {
      headers: { "Set-Cookie": serializeCookie(SESSION_COOKIE, session.token, { expires: session.expiresAt, secure: context.secure }) },
    });
  } catch (error) {
    if (error instanceof RateLimitedError) {
      const minutes = Math.max(1, Math.ceil(error.retryAfterSeconds / 60));
      return data(
        { issues: [{ field: "form", rule: "throttled", message: translate(context.locale, "login.throttled", { minutes }) }] as FieldIssue[], email: form.email ?? "" },
        { status: 429, headers: { "Retry-After": String(error.retryAfterSeconds) } },
      );
    }
    if (error instanceof ValidationError) {
      // One message for unknown email and wrong password; field rules for malformed input.
      return data({ issues: error.issues, email: (form.email ?? "").slice(0, 254) }, { status: 400 });
    }
    throw error;
  }
}

export default function LoginPage() {
  const { redirectTo } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const location = useLocation();
  const busy = useNavigation().state === "submitting";
  const issues = result?.issues;
  const general = issues?.find((i) => i.field === "form");
  return (
    <div className="login-page">
      <section className="login-hero">
        <div className="brand" style={{ padding: 0 }}>
          <span className="brand-mark" aria-hidden>
            DP
          </span>
          {t("app.name")}
        </div>
        <div>
          <h1>{t("app.tagline")}</h1>
        </div>
        <div className="muted" style={{ color: "#9fb3c8" }}>
          © Dealer Portal
        </div>
      </section>
      <section className="login-panel">
        <div className="login-card">
          <div style={{ display: "flex", justifyContent: "flex-end", marginBottom: 28 }}>
            <LanguageSwitch redirectTo={location.pathname + location.search} />
          </div>
          <h1>{t("login.title")}</h1>
          <p className="muted">{t("login.subtitle")}</p>
          <Form method="post" className="form" style={{ marginTop: 20 }}>
            <input type="hidden" name="redirectTo" value={redirectTo} />
            {general ? (
              <div className="alert alert-error" role="alert" data-testid="login-error">
                {general.rule === "throttled" ? general.message : t("login.invalid")}
              </div>
            ) : issues?.length ? (
              <FormErrors issues={issues} />
            ) : null}
            <div className="field">
              <label htmlFor="email">{t("login.email")}</label>
              <input id="email" name="email" type="email" autoComplete="username" required maxLength={254} defaultValue={result?.email} autoFocus />
            </div>
            <div className="field">
              <label htmlFor="password">{t("login.password")}</label>
              <input id="password" name="password" type="password" autoComplete="current-password" required maxLength={200} />
            </div>
            <button type="submit" className="btn btn-primary" disabled={busy} data-testid="login-submit">
              {t("login.submit")}
            </button>
            <p className="muted" style={{ fontSize: 12 }}>
              {t("login.demoHint")}
            </p>
          </Form>
        </div>
      </section>
    </div>
  );
}
