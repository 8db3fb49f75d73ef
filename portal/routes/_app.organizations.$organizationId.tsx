// One organisation: its details (editable by OEM admins) and its users.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { hasPermission } from "../domain/authorize";
import { parseListQuery } from "../domain/list-query";
import { formatMoney, minorToDecimal } from "../domain/money";
import { getOrganizationForActor } from "../domain/organizations/get-organization.server";
import { listDealerGroups, listRegions } from "../domain/organizations/list-organizations.server";
import { updateOrganization } from "../domain/organizations/save-organization.server";
import { listUsers } from "../domain/users/list-users.server";
import { userListSpec } from "../domain/users/list-spec";
import { useFormatters, useLocale, useT } from "../ui/i18n";
import { OrganizationForm } from "../ui/organization-form";
import { actionError, orThrowHttp } from "../web/errors.server";
import { ctxFor, formObject, readForm, redirectWithFlash, requirePermissionUser } from "../web/request.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const actor = requirePermissionUser(request, context, "organization:read");
  const ctx = ctxFor(context, actor);
  const org = await orThrowHttp(getOrganizationForActor(ctx, params.organizationId ?? ""));
  const canManage = hasPermission(actor, "organization:manage");
  const [regions, groups, members] = await Promise.all([
    listRegions(ctx),
    listDealerGroups(ctx),
    hasPermission(actor, "user:manage_all")
      ? listUsers(ctx, { ...parseListQuery(new URLSearchParams({ size: "100" }), userListSpec), filters: { org: org.code } })
      : null,
  ]);
  return {
    org: {
      ...org,
      creditLimitMinor: org.creditLimitMinor.toString(),
      creditLimit: minorToDecimal(org.creditLimitMinor, org.currency),
      updatedAt: org.updatedAt.toISOString(),
    },
    regions,
    groups: groups.filter((g) => g.id !== org.id),
    members: members?.rows ?? null,
    canManage,
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = requirePermissionUser(request, context, "organization:manage");
  const form = formObject(await readForm(request));
  try {
    const org = await updateOrganization(ctxFor(context, actor), params.organizationId ?? "", form, form.expectedUpdatedAt);
    return redirectWithFlash(context, `/organizations/${org.id}`, { kind: "success", key: "toast.saved" });
  } catch (error) {
    return actionError(error);
  }
}

export default function OrganizationPage() {
  const { org, regions, groups, members, canManage } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const locale = useLocale();
  const fmt = useFormatters();
  return (
    <>
      <div className="page-head">
        <div>
          <h1 data-testid="org-title">
            {org.code} · {org.name}
          </h1>
          <div className="muted">
            {t(`orgTypes.${org.type}`)} ·{" "}
            <span className={`badge ${org.status === "active" ? "badge-ok" : "badge-bad"}`}>{t(`status.${org.status}`)}</span> ·{" "}
            {t("orgs.creditLimit")} {formatMoney(org.creditLimitMinor, org.currency, locale)}
          </div>
        </div>
        <Link to="/organizations">← {t("form.back")}</Link>
      </div>
      {canManage ? (
        <OrganizationForm
          key={org.updatedAt}
          values={{ ...org, updatedAt: org.updatedAt }}
          regions={regions}
          groups={groups}
          issues={result && !result.ok ? result.issues : undefined}
          submitLabel={t("form.save")}
          cancelTo="/organizations"
        />
      ) : null}
      {members ? (
        <section className="card" style={{ marginTop: 16 }}>
          <div style={{ display: "flex", justifyContent: "space-between", alignItems: "center" }}>
            <h2>{t("orgs.members")}</h2>
            <Link className="btn btn-small" to={`/users/new?organizationId=${org.id}`}>
              + {t("orgs.addUser")}
            </Link>
          </div>
          <table className="data">
            <thead>
              <tr>
                <th>{t("users.name")}</th>
                <th>{t("users.email")}</th>
                <th>{t("users.role")}</th>
                <th>{t("users.status")}</th>
                <th>{t("users.lastLogin")}</th>
              </tr>
            </thead>
            <tbody>
              {members.length === 0 ? (
                <tr>
                  <td colSpan={5} className="empty">
                    {t("table.empty")}
                  </td>
                </tr>
              ) : (
                members.map((u) => (
                  <tr key={u.id}>
                    <td>
                      <Link to={`/users/${u.id}`}>{u.name}</Link>
                    </td>
                    <td>{u.email}</td>
                    <td>{t(`roles.${u.role}`)}</td>
                    <td>
                      <span className={`badge ${u.status === "active" ? "badge-ok" : "badge-bad"}`}>{t(`status.${u.status}`)}</span>
                    </td>
                    <td>{u.lastLoginAt ? fmt.dateTime(u.lastLoginAt) : t("users.never")}</td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </section>
      ) : null}
    </>
  );
}
