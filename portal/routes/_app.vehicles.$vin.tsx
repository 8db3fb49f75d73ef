// One vehicle: its data, its dealer stock record and its production timeline from the MES (events
// in order, late ones marked). Another organisation's VIN answers 404 (DESIGN §2).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getVehicleForActor } from "../domain/inventory/get-vehicle.server";
import { formatMoney } from "../domain/money";
import { useFormatters, useLocale, useT } from "../ui/i18n";
import { orThrowHttp } from "../web/errors.server";
import { ctxFor, requirePermissionUser } from "../web/request.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const actor = requirePermissionUser(request, context, "inventory:read");
  const v = await orThrowHttp(getVehicleForActor(ctxFor(context, actor), params.vin ?? ""));
  return {
    vehicle: {
      ...v,
      listPriceMinor: v.listPriceMinor?.toString() ?? null,
      lastEventSequence: v.lastEventSequence?.toString() ?? null,
      events: v.events.map((e) => ({ ...e, sequence: e.sequence.toString() })),
    },
    oem: actor.organizationType === "oem",
  };
}

export default function VehiclePage() {
  const { vehicle: v, oem } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const fmt = useFormatters();
  const dash = <span className="muted">—</span>;
  const inStock = v.status === "dealer_stock" || v.status === "sold" || v.lastSeenInStockAt !== null;
  return (
    <>
      <div className="page-head">
        <div>
          <h1 data-testid="vehicle-title" style={{ fontFamily: "ui-monospace, monospace" }}>
            {v.vin}
          </h1>
          <div className="muted">
            {[v.make, v.model, v.modelYear].filter(Boolean).join(" · ") || t("vehicles.details")} ·{" "}
            <span className={`badge ${statusTone[v.status] ?? ""}`} data-testid="vehicle-status">
              {t(`vehicleStatus.${v.status}`)}
            </span>
            {v.vinValid ? null : (
              <span className="badge badge-warn" style={{ marginLeft: 6 }} title={t("vehicles.vinInvalidHint")}>
                {t("vehicles.vinInvalid")}
              </span>
            )}
          </div>
        </div>
        <Link to="/vehicles">← {t("form.back")}</Link>
      </div>

      <div className="grid grid-2">
        <section className="card">
          <h2>{t("vehicles.details")}</h2>
          <dl className="facts" style={{ display: "grid", gridTemplateColumns: "max-content 1fr", gap: "6px 16px", margin: 0 }}>
            <dt>{t("vehicles.status")}</dt>
            <dd style={{ margin: 0 }}>{t(`vehicleStatus.${v.status}`)}</dd>
            <dt>{t("vehicles.make")}</dt>
            <dd style={{ margin: 0 }}>{v.make ?? dash}</dd>
            <dt>{t("vehicles.model")}</dt>
            <dd style={{ margin: 0 }}>{v.model ?? dash}</dd>
            <dt>{t("vehicles.modelYear")}</dt>
            <dd style={{ margin: 0 }}>{v.modelYear ?? dash}</dd>
            <dt>{t("vehicles.condition")}</dt>
            <dd style={{ margin: 0 }}>{v.isNew === null ? dash : v.isNew ? t("vehicles.new") : t("vehicles.used")}</dd>
            <dt>{t("vehicles.orderReference")}</dt>
            <dd style={{ margin: 0 }}>{v.orderReference ?? dash}</dd>
            <dt>{t("vehicles.location")}</dt>
            <dd style={{ margin: 0 }}>{v.location ?? dash}</dd>
            <dt>{t("vehicles.lastEventAt")}</dt>
            <dd style={{ margin: 0 }}>{v.lastEventAt ? fmt.dateTime(v.lastEventAt) : dash}</dd>
            <dt>{t("vehicles.updatedAt")}</dt>
            <dd style={{ margin: 0 }}>{fmt.dateTime(v.updatedAt)}</dd>
          </dl>
        </section>
        <section className="card" data-testid="vehicle-stock">
          <h2>{t("vehicles.stock")}</h2>
          {inStock ? (
            <dl className="facts" style={{ display: "grid", gridTemplateColumns: "max-content 1fr", gap: "6px 16px", margin: 0 }}>
              <dt>{t("vehicles.dealer")}</dt>
              <dd style={{ margin: 0 }}>
                {v.dealerCode ? (
                  <>
                    {oem ? <Link to={`/organizations/${v.organizationId}`}>{v.dealerCode}</Link> : v.dealerCode} <span className="muted">{v.dealerName}</span>
                  </>
                ) : (
                  t("vehicles.oem")
                )}
              </dd>
              <dt>{t("vehicles.stockNumber")}</dt>
              <dd style={{ margin: 0 }}>{v.stockNumber ?? dash}</dd>
              <dt>{t("vehicles.listPrice")}</dt>
              <dd style={{ margin: 0 }}>{v.listPriceMinor !== null && v.currency ? formatMoney(v.listPriceMinor, v.currency, locale) : dash}</dd>
              <dt>{t("vehicles.lastSeenInStock")}</dt>
              <dd style={{ margin: 0 }}>{v.lastSeenInStockAt ? fmt.dateTime(v.lastSeenInStockAt) : dash}</dd>
            </dl>
          ) : (
            <p className="muted">{t("vehicles.notInStock")}</p>
          )}
        </section>
      </div>

      <section className="card" style={{ marginTop: 16 }} data-testid="vehicle-timeline">
        <h2>{t("vehicles.timeline")}</h2>
        {v.events.length === 0 ? (
          <p className="muted">{t("vehicles.noEvents")}</p>
        ) : (
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th className="num">{t("vehicles.sequence")}</th>
                  <th>{t("vehicles.stage")}</th>
                  <th>{t("vehicles.occurredAt")}</th>
                  <th>{t("vehicles.plant")}</th>
                  <th>{t("vehicles.eventId")}</th>
                </tr>
              </thead>
              <tbody>
                {v.events.map((e) => (
                  <tr key={e.eventId} data-testid={e.stale ? "event-stale" : "event"} style={e.stale ? { opacity: 0.65 } : undefined}>
                    <td className="num">{e.sequence}</td>
                    <td>
                      {t(`stages.${e.stage}`)}
                      {e.stale ? (
                        <span className="badge badge-warn" style={{ marginLeft: 6 }} title={t("vehicles.staleHint")}>
                          {t("vehicles.stale")}
                        </span>
                      ) : null}
                    </td>
                    <td style={{ whiteSpace: "nowrap" }}>{fmt.dateTime(e.occurredAt)}</td>
                    <td>{e.plant ?? dash}</td>
                    <td className="muted" style={{ fontSize: 12 }}>
                      {e.eventId}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

const statusTone: Record<string, string> = {
  in_production: "badge-brand",
  built: "badge-brand",
  shipped: "badge-warn",
  in_transit: "badge-warn",
  dealer_stock: "badge-ok",
};
