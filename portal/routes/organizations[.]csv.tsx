// Organisations as CSV: the same filters and sort as the list.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { parseListQuery } from "../domain/list-query";
import { minorToDecimal } from "../domain/money";
import { listOrganizations, type OrganizationListRow } from "../domain/organizations/list-organizations.server";
import { organizationListSpec } from "../domain/organizations/list-spec";
import { translate } from "../i18n";
import { csvResponse } from "../web/csv.server";
import { ctxFor, requirePermissionUser } from "../web/request.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = requirePermissionUser(request, context, "organization:read");
  const ctx = ctxFor(context, actor);
  const query = parseListQuery(new URL(request.url).searchParams, organizationListSpec);
  const tr = (k: string) => translate(context.locale, k);
  return csvResponse<OrganizationListRow>(
    "organizations.csv",
    [
      { header: tr("orgs.code"), value: (o) => o.code },
      { header: tr("orgs.name"), value: (o) => o.name },
      { header: tr("orgs.type"), value: (o) => tr(`orgTypes.${o.type}`) },
      { header: tr("orgs.region"), value: (o) => o.regionCode },
      { header: tr("orgs.status"), value: (o) => tr(`status.${o.status}`) },
      { header: tr("orgs.creditLimit"), value: (o) => minorToDecimal(o.creditLimitMinor, o.currency) },
      { header: tr("orgs.currency"), value: (o) => o.currency },
      { header: tr("orgs.users"), value: (o) => o.userCount },
      { header: tr("orgs.createdAt"), value: (o) => o.createdAt },
    ],
    (page, pageSize) => listOrganizations(ctx, { ...query, page, pageSize }),
  );
}
