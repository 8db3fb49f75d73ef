// Each role's home page: its organisation, its people and — for OEM admins — network figures and
// recent activity. Later capabilities add their own panels here.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getHomeFigures } from "../domain/dashboard/home-figures.server";
import { formatMoney } from "../domain/money";
import { can } from "../domain/permissions";
import { BarList, StackedColumns } from "../ui/charts";
import { actionLabel, useFormatters, useLocale, useT } from "../ui/i18n";
import { ctxFor, requireUser } from "../web/request.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = requireUser(request, context);
  const figures = await getHomeFigures(ctxFor(context, actor));
  return { figures, role: actor.role, name: actor.name };
}

export default function Home() {
  const { figures, role, name } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const fmt = useFormatters();
  const org = figures.organization;
  return (
    <>
      <div className="page-head">
        <div>
          <h1 data-testid="home-title">{t("home.title", { name })}</h1>
          <div className="muted">
            {t("home.yourRole")}: {t(`roles.${role}`)}
          </div>
        </div>
        {can(role, "user:manage_own_org") ? (
          <Link className="btn btn-primary" to="/users">
            {t("home.manageTeam")}
          </Link>
        ) : null}
      </div>

      <div className="grid grid-4">
        <div className="card kpi">
          <div className="label">{t("home.organization")}</div>
          <div className="value" style={{ fontSize: 18 }}>
            {org.code}
          </div>
          <div className="sub">{org.name}</div>
        </div>
        <div className="card kpi">
          <div className="label">{t("home.users")}</div>
          <div className="value" data-testid="kpi-users">
            {fmt.number(figures.usersTotal)}
          </div>
          <div className="sub">{t("home.usersActive", { active: fmt.number(figures.usersActive), total: fmt.number(figures.usersTotal) })}</div>
        </div>
        {org.type === "oem" ? (
          <div className="card kpi">
            <div className="label">{t("home.sessions")}</div>
            <div className="value">{fmt.number(figures.activeSessions ?? 0)}</div>
            <div className="sub">{t(`orgTypes.${org.type}`)}</div>
          </div>
        ) : (
          <div className="card kpi">
            <div className="label">{t("home.creditLimit")}</div>
            <div className="value" style={{ fontSize: 20 }}>
              {formatMoney(org.creditLimitMinor, org.currency, locale)}
            </div>
            <div className="sub">{t(`orgTypes.${org.type}`)}</div>
          </div>
        )}
        <div className="card kpi">
          <div className="label">{t("home.region")}</div>
          <div className="value" style={{ fontSize: 18 }}>
            {org.regionCode ? (locale === "en" ? org.regionNameEn : org.regionNameZh) ?? org.regionCode : "—"}
          </div>
          <div className="sub">{t(`orgTypes.${org.type}`)}</div>
        </div>
      </div>

      <div className="grid grid-2" style={{ marginTop: 16 }}>
        <section className="card">
          <h2>{t("home.usersByRole")}</h2>
          <BarList items={figures.usersByRole.map((r) => ({ label: t(`roles.${r.role}`), value: r.n }))} />
        </section>
        {figures.organizationsByType ? (
          <section className="card">
            <h2>{t("home.organizationsByType")}</h2>
            <BarList items={figures.organizationsByType.map((r) => ({ label: t(`orgTypes.${r.type}`), value: r.n }))} />
          </section>
        ) : null}
        {figures.loginsByDay ? (
          <section className="card">
            <h2>{t("home.logins")}</h2>
            <StackedColumns
              series={[
                { key: "ok", label: t("home.loginsOk"), color: "#2f8cff" },
                { key: "failed", label: t("home.loginsFailed"), color: "#e57368" },
              ]}
              points={figures.loginsByDay.map((d) => ({ label: d.day.slice(5), values: { ok: d.ok, failed: d.failed } }))}
            />
          </section>
        ) : null}
        {figures.recentAudit ? (
          <section className="card">
            <div style={{ display: "flex", justifyContent: "space-between" }}>
              <h2>{t("home.recentAudit")}</h2>
              <Link to="/audit">{t("home.seeAll")}</Link>
            </div>
            {figures.recentAudit.length === 0 ? (
              <p className="muted">{t("home.noActivity")}</p>
            ) : (
              <table className="data" data-testid="recent-audit">
                <tbody>
                  {figures.recentAudit.map((a, i) => (
                    <tr key={i}>
                      <td className="muted" style={{ whiteSpace: "nowrap" }}>
                        {fmt.dateTime(a.at)}
                      </td>
                      <td>{a.actorLabel.replace(/^(user|system|anonymous):/, "")}</td>
                      <td>
                        <span className="badge badge-brand" title={a.action}>
                          {actionLabel(t, a.action)}
                        </span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        ) : null}
      </div>
    </>
  );
}
