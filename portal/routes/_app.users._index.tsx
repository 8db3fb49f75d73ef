// Users: every user for OEM admins, the own organisation's team for a dealer principal.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { roles, type Role } from "../../db/schema";
import { hasPermission } from "../domain/authorize";
import { parseListQuery } from "../domain/list-query";
import { listUsers } from "../domain/users/list-users.server";
import { userListSpec } from "../domain/users/list-spec";
import { rolesForOrganizationType } from "../domain/permissions";
import { DataTable, type Column } from "../ui/data-table";
import { useFormatters, useT } from "../ui/i18n";
import { ctxFor, requirePermissionUser } from "../web/request.server";
import { orThrowHttp } from "../web/errors.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = requirePermissionUser(request, context, "user:manage_all", "user:manage_own_org");
  const ctx = ctxFor(context, actor);
  const query = parseListQuery(new URL(request.url).searchParams, userListSpec);
  const page = await orThrowHttp(listUsers(ctx, query));
  const allRoles = hasPermission(actor, "user:manage_all");
  return {
    page,
    allOrganizations: allRoles,
    roleChoices: (allRoles ? [...roles] : [...rolesForOrganizationType(actor.organizationType)]) as Role[],
  };
}

export default function UsersPage() {
  const { page, allOrganizations, roleChoices } = useLoaderData<typeof loader>();
  const t = useT();
  const fmt = useFormatters();
  type Row = (typeof page.rows)[number];
  const columns: Column<Row>[] = [
    {
      key: "name",
      header: t("users.name"),
      sort: "name",
      render: (u) => (
        <Link to={`/users/${u.id}`} data-testid="user-link">
          {u.name}
        </Link>
      ),
    },
    { key: "email", header: t("users.email"), sort: "email", render: (u) => u.email },
    { key: "role", header: t("users.role"), sort: "role", render: (u) => <span className="badge badge-brand">{t(`roles.${u.role}`)}</span> },
    ...(allOrganizations
      ? [
          {
            key: "org",
            header: t("users.organization"),
            sort: "organization",
            render: (u: Row) => (
              <span title={u.organizationName}>
                <Link to={`/organizations/${u.organizationId}`}>{u.organizationCode}</Link>{" "}
                <span className="muted">{u.organizationName.length > 18 ? `${u.organizationName.slice(0, 18)}…` : u.organizationName}</span>
              </span>
            ),
          },
        ]
      : []),
    {
      key: "status",
      header: t("users.status"),
      sort: "status",
      render: (u) => <span className={`badge ${u.status === "active" ? "badge-ok" : "badge-bad"}`}>{t(`status.${u.status}`)}</span>,
    },
    { key: "lastLogin", header: t("users.lastLogin"), sort: "lastLoginAt", render: (u) => (u.lastLoginAt ? fmt.dateTime(u.lastLoginAt) : <span className="muted">{t("users.never")}</span>) },
  ];
  return (
    <>
      <div className="page-head">
        <h1>{allOrganizations ? t("users.title") : t("users.teamTitle")}</h1>
        <Link className="btn btn-primary" to="/users/new">
          + {t("users.new")}
        </Link>
      </div>
      <DataTable
        columns={columns}
        page={page}
        rowKey={(u) => u.id}
        defaultSort={userListSpec.defaultSort}
        exportPath="/users.csv"
        caption={t("users.title")}
        filters={[
          { name: "q", label: t("table.search"), type: "text", placeholder: t("users.searchPlaceholder") },
          { name: "role", label: t("users.role"), type: "select", options: roleChoices.map((r) => ({ value: r, label: t(`roles.${r}`) })) },
          {
            name: "status",
            label: t("users.status"),
            type: "select",
            options: [
              { value: "active", label: t("status.active") },
              { value: "inactive", label: t("status.inactive") },
            ],
          },
          ...(allOrganizations ? [{ name: "org", label: t("users.organization"), type: "text" as const, placeholder: t("users.orgPlaceholder") }] : []),
        ]}
      />
    </>
  );
}
