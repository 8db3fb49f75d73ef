// New user: OEM admins for any organisation, dealer principals for their own.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { hasPermission } from "../domain/authorize";
import { listOrganizationChoices } from "../domain/organizations/list-organizations.server";
import { rolesForOrganizationType } from "../domain/permissions";
import { createUser } from "../domain/users/save-user.server";
import { Field, FormErrors } from "../ui/form";
import { useT } from "../ui/i18n";
import { actionError } from "../web/errors.server";
import { ctxFor, formObject, readForm, redirectWithFlash, requirePermissionUser } from "../web/request.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = requirePermissionUser(request, context, "user:manage_all", "user:manage_own_org");
  const organizations = await listOrganizationChoices(ctxFor(context, actor));
  const preselect = new URL(request.url).searchParams.get("organizationId");
  return {
    organizations: organizations.map((o) => ({ ...o, roles: [...rolesForOrganizationType(o.type)] })),
    preselect: organizations.some((o) => o.id === preselect) ? preselect : (hasPermission(actor, "user:manage_all") ? null : actor.organizationId),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = requirePermissionUser(request, context, "user:manage_all", "user:manage_own_org");
  const form = formObject(await readForm(request));
  try {
    const user = await createUser(ctxFor(context, actor), { ...form, locale: form.locale || null });
    return redirectWithFlash(context, `/users/${user.id}`, { kind: "success", key: "toast.created" });
  } catch (error) {
    return actionError(error);
  }
}

export default function NewUser() {
  const { organizations, preselect } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const busy = useNavigation().state === "submitting";
  const issues = result && !result.ok ? result.issues : undefined;
  const roles = [...new Set(organizations.flatMap((o) => o.roles))];
  return (
    <>
      <div className="page-head">
        <h1>{t("users.new")}</h1>
        <Link to="/users">← {t("form.back")}</Link>
      </div>
      <Form method="post" className="card form" noValidate>
        <FormErrors issues={issues} />
        <div className="form-grid">
          <Field name="name" label={t("users.name")} issues={issues}>
            {(a) => <input {...a} name="name" required maxLength={100} />}
          </Field>
          <Field name="email" label={t("users.email")} issues={issues}>
            {(a) => <input {...a} name="email" type="email" required maxLength={254} autoComplete="off" />}
          </Field>
          <Field name="organizationId" label={t("users.organization")} issues={issues}>
            {(a) => (
              <select {...a} name="organizationId" defaultValue={preselect ?? ""} required>
                <option value="" disabled>
                  —
                </option>
                {organizations.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.code} · {o.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field name="role" label={t("users.role")} issues={issues}>
            {(a) => (
              <select {...a} name="role" defaultValue="" required>
                <option value="" disabled>
                  —
                </option>
                {roles.map((r) => (
                  <option key={r} value={r}>
                    {t(`roles.${r}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field name="password" label={t("users.password")} issues={issues} hint={t("users.initialPasswordHint")}>
            {(a) => <input {...a} name="password" type="password" required minLength={10} maxLength={200} autoComplete="new-password" />}
          </Field>
          <Field name="locale" label={t("fields.locale")} issues={issues}>
            {(a) => (
              <select {...a} name="locale" defaultValue="">
                <option value="">—</option>
                <option value="zh-CN">{t("lang.zh-CN")}</option>
                <option value="en">{t("lang.en")}</option>
              </select>
            )}
          </Field>
        </div>
        <div className="form-actions">
          <button className="btn btn-primary" type="submit" disabled={busy}>
            {t("form.create")}
          </button>
          <Link className="btn" to="/users">
            {t("form.cancel")}
          </Link>
        </div>
      </Form>
    </>
  );
}
