// The organisation form shared by "new" and "edit".
import { Form, Link, useNavigation } from "@remix-run/react";
import type { FieldIssue } from "../domain/errors";
import { currencies } from "../domain/money";
import { Field, FormErrors } from "./form";
import { useLocale, useT } from "./i18n";

export type OrganizationFormValues = {
  code: string;
  name: string;
  type: string;
  regionCode: string | null;
  parentId: string | null;
  status: string;
  creditLimit: string;
  currency: string;
  updatedAt?: string;
};

export function OrganizationForm(props: {
  values?: OrganizationFormValues;
  issues?: FieldIssue[];
  regions: { code: string; nameZh: string; nameEn: string }[];
  groups: { id: string; code: string; name: string }[];
  submitLabel: string;
  cancelTo: string;
}) {
  const t = useT();
  const locale = useLocale();
  const busy = useNavigation().state === "submitting";
  const v = props.values;
  const { issues } = props;
  return (
    <Form method="post" className="card form" noValidate style={{ maxWidth: 760 }}>
      <FormErrors issues={issues} />
      {v?.updatedAt ? <input type="hidden" name="expectedUpdatedAt" value={v.updatedAt} /> : null}
      <div className="form-grid">
        <Field name="code" label={t("orgs.code")} issues={issues}>
          {(a) => <input {...a} name="code" defaultValue={v?.code} required maxLength={20} style={{ textTransform: "uppercase" }} />}
        </Field>
        <Field name="name" label={t("orgs.name")} issues={issues}>
          {(a) => <input {...a} name="name" defaultValue={v?.name} required maxLength={120} />}
        </Field>
        <Field name="type" label={t("orgs.type")} issues={issues}>
          {(a) =>
            v ? (
              <>
                <input {...a} value={t(`orgTypes.${v.type}`)} readOnly disabled />
                <input type="hidden" name="type" value={v.type} />
              </>
            ) : (
              <select {...a} name="type" defaultValue="dealer">
                {["dealer", "dealer_group", "fleet_customer", "oem"].map((type) => (
                  <option key={type} value={type}>
                    {t(`orgTypes.${type}`)}
                  </option>
                ))}
              </select>
            )
          }
        </Field>
        <Field name="regionCode" label={t("orgs.region")} issues={issues}>
          {(a) => (
            <select {...a} name="regionCode" defaultValue={v?.regionCode ?? ""}>
              <option value="">—</option>
              {props.regions.map((r) => (
                <option key={r.code} value={r.code}>
                  {r.code} · {locale === "en" ? r.nameEn : r.nameZh}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field name="parentId" label={t("orgs.parent")} issues={issues}>
          {(a) => (
            <select {...a} name="parentId" defaultValue={v?.parentId ?? ""}>
              <option value="">{t("orgs.noParent")}</option>
              {props.groups.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.code} · {g.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field name="status" label={t("orgs.status")} issues={issues}>
          {(a) => (
            <select {...a} name="status" defaultValue={v?.status ?? "active"}>
              <option value="active">{t("status.active")}</option>
              <option value="inactive">{t("status.inactive")}</option>
            </select>
          )}
        </Field>
        <Field name="creditLimit" label={t("orgs.creditLimit")} issues={issues}>
          {(a) => <input {...a} name="creditLimit" inputMode="decimal" defaultValue={v?.creditLimit ?? "0.00"} maxLength={30} />}
        </Field>
        <Field name="currency" label={t("orgs.currency")} issues={issues}>
          {(a) => (
            <select {...a} name="currency" defaultValue={v?.currency ?? "CNY"}>
              {currencies.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <div className="form-actions">
        <button className="btn btn-primary" type="submit" disabled={busy}>
          {props.submitLabel}
        </button>
        <Link className="btn" to={props.cancelTo}>
          {t("form.cancel")}
        </Link>
      </div>
    </Form>
  );
}
