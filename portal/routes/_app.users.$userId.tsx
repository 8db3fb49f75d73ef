// One user: view and edit name, role, status and password. Another organisation's user answers 404.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { rolesForOrganizationType } from "../domain/permissions";
import { getUserForActor } from "../domain/users/get-user.server";
import { updateUser } from "../domain/users/save-user.server";
import { Field, FormErrors } from "../ui/form";
import { useFormatters, useT } from "../ui/i18n";
import { actionError, orThrowHttp } from "../web/errors.server";
import { ctxFor, formObject, readForm, redirectWithFlash, requirePermissionUser } from "../web/request.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const actor = requirePermissionUser(request, context, "user:manage_all", "user:manage_own_org");
  const user = await orThrowHttp(getUserForActor(ctxFor(context, actor), params.userId ?? ""));
  return { user, roles: [...rolesForOrganizationType(user.organizationType)], self: user.id === actor.userId };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = requirePermissionUser(request, context, "user:manage_all", "user:manage_own_org");
  const form = formObject(await readForm(request));
  try {
    const user = await updateUser(ctxFor(context, actor), params.userId ?? "", form);
    return redirectWithFlash(context, `/users/${user.id}`, { kind: "success", key: "toast.saved" });
  } catch (error) {
    return actionError(error);
  }
}

export default function EditUser() {
  const { user, roles, self } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const fmt = useFormatters();
  const busy = useNavigation().state === "submitting";
  const issues = result && !result.ok ? result.issues : undefined;
  return (
    <>
      <div className="page-head">
        <div>
          <h1 data-testid="user-name">{user.name}</h1>
          <div className="muted">
            {user.email} · {user.organizationCode} {user.organizationName}
          </div>
        </div>
        <Link to="/users">← {t("form.back")}</Link>
      </div>
      <div className="grid grid-2">
        <Form method="post" className="card form" noValidate key={String(user.updatedAt)}>
          <input type="hidden" name="expectedUpdatedAt" value={new Date(user.updatedAt).toISOString()} />
          <h2>{t("users.edit")}</h2>
          <FormErrors issues={issues} />
          <Field name="name" label={t("users.name")} issues={issues}>
            {(a) => <input {...a} name="name" defaultValue={user.name} required maxLength={100} />}
          </Field>
          <Field name="role" label={t("users.role")} issues={issues}>
            {(a) => (
              <select {...a} name="role" defaultValue={user.role} disabled={self}>
                {roles.map((r) => (
                  <option key={r} value={r}>
                    {t(`roles.${r}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {self ? <input type="hidden" name="role" value={user.role} /> : null}
          <Field name="status" label={t("users.status")} issues={issues} hint={t("users.deactivateNote")}>
            {(a) => (
              <select {...a} name="status" defaultValue={user.status} disabled={self}>
                <option value="active">{t("status.active")}</option>
                <option value="inactive">{t("status.inactive")}</option>
              </select>
            )}
          </Field>
          {self ? <input type="hidden" name="status" value={user.status} /> : null}
          <Field name="password" label={t("users.newPassword")} issues={issues} hint={t("users.passwordHint")}>
            {(a) => <input {...a} name="password" type="password" maxLength={200} autoComplete="new-password" />}
          </Field>
          <div className="form-actions">
            <button className="btn btn-primary" type="submit" disabled={busy}>
              {t("form.save")}
            </button>
          </div>
        </Form>
        <section className="card">
          <dl style={{ display: "grid", gridTemplateColumns: "max-content 1fr", gap: "10px 18px", margin: 0 }}>
            <dt className="muted">{t("users.email")}</dt>
            <dd style={{ margin: 0 }}>{user.email}</dd>
            <dt className="muted">{t("users.organization")}</dt>
            <dd style={{ margin: 0 }}>
              {user.organizationCode} · {user.organizationName}
            </dd>
            <dt className="muted">{t("users.role")}</dt>
            <dd style={{ margin: 0 }}>{t(`roles.${user.role}`)}</dd>
            <dt className="muted">{t("users.status")}</dt>
            <dd style={{ margin: 0 }}>
              <span className={`badge ${user.status === "active" ? "badge-ok" : "badge-bad"}`} data-testid="user-status">
                {t(`status.${user.status}`)}
              </span>
            </dd>
            <dt className="muted">{t("users.lastLogin")}</dt>
            <dd style={{ margin: 0 }}>{user.lastLoginAt ? fmt.dateTime(user.lastLoginAt) : t("users.never")}</dd>
            <dt className="muted">{t("users.createdAt")}</dt>
            <dd style={{ margin: 0 }}>{fmt.dateTime(user.createdAt)}</dd>
          </dl>
        </section>
      </div>
    </>
  );
}
