// New organisation (OEM admin).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { listDealerGroups, listRegions } from "../domain/organizations/list-organizations.server";
import { createOrganization } from "../domain/organizations/save-organization.server";
import { useT } from "../ui/i18n";
import { OrganizationForm } from "../ui/organization-form";
import { actionError } from "../web/errors.server";
import { ctxFor, formObject, readForm, redirectWithFlash, requirePermissionUser } from "../web/request.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = requirePermissionUser(request, context, "organization:manage");
  const ctx = ctxFor(context, actor);
  const [regions, groups] = await Promise.all([listRegions(ctx), listDealerGroups(ctx)]);
  return { regions, groups };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = requirePermissionUser(request, context, "organization:manage");
  const form = formObject(await readForm(request));
  try {
    const org = await createOrganization(ctxFor(context, actor), form);
    return redirectWithFlash(context, `/organizations/${org.id}`, { kind: "success", key: "toast.created" });
  } catch (error) {
    return actionError(error);
  }
}

export default function NewOrganization() {
  const { regions, groups } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  return (
    <>
      <div className="page-head">
        <h1>{t("orgs.new")}</h1>
        <Link to="/organizations">← {t("form.back")}</Link>
      </div>
      <OrganizationForm
        regions={regions}
        groups={groups}
        issues={result && !result.ok ? result.issues : undefined}
        submitLabel={t("form.create")}
        cancelTo="/organizations"
      />
    </>
  );
}
