// Users as CSV: the same filters, sort and scope as the user list.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { parseListQuery } from "../domain/list-query";
import { listUsers } from "../domain/users/list-users.server";
import { userListSpec } from "../domain/users/list-spec";
import type { UserView } from "../domain/users/get-user.server";
import { translate } from "../i18n";
import { csvResponse } from "../web/csv.server";
import { ctxFor, requirePermissionUser } from "../web/request.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = requirePermissionUser(request, context, "user:manage_all", "user:manage_own_org");
  const ctx = ctxFor(context, actor);
  const query = parseListQuery(new URL(request.url).searchParams, userListSpec);
  const tr = (k: string) => translate(context.locale, k);
  return csvResponse<UserView>(
    "users.csv",
    [
      { header: tr("users.name"), value: (u) => u.name },
      { header: tr("users.email"), value: (u) => u.email },
      { header: tr("users.role"), value: (u) => tr(`roles.${u.role}`) },
      { header: tr("orgs.code"), value: (u) => u.organizationCode },
      { header: tr("users.organization"), value: (u) => u.organizationName },
      { header: tr("users.status"), value: (u) => tr(`status.${u.status}`) },
      { header: tr("users.lastLogin"), value: (u) => u.lastLoginAt },
      { header: tr("users.createdAt"), value: (u) => u.createdAt },
    ],
    (page, pageSize) => listUsers(ctx, { ...query, page, pageSize }),
  );
}
