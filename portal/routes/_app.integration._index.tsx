// The integration monitor's overview (OEM admins): one card per feed with its last success, lag
// against the expected frequency, counts by status and throughput; the last 24 hours as a chart; and
// large imports in flight with a progress bar that refreshes while any is running.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { getIntegrationOverview, type FeedStatus } from "../domain/integration/feed-status.server";
import { StackedColumns } from "../ui/charts";
import { useFormatters, useT, type T } from "../ui/i18n";
import { orThrowHttp } from "../web/errors.server";
import { ctxFor, requirePermissionUser } from "../web/request.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = requirePermissionUser(request, context, "integration:monitor");
  return orThrowHttp(getIntegrationOverview(ctxFor(context, actor)));
}

/** Colours of the message statuses, shared by the chart, the status bars and the badges. */
const statusColors: Record<string, string> = {
  received: "#2f8cff",
  processing: "#7c5cff",
  processed: "#1f8a4c",
  failed: "#e08a00",
  dead: "#c0392b",
  duplicate: "#8a96a8",
  ignored_stale: "#c3cbd6",
  cancelled: "#5d6b7e",
};
// The order statuses stack in the chart and in each feed's bar: applied first, problems after.
const statusOrder = [
  "processed",
  "received",
  "processing",
  "failed",
  "dead",
  "duplicate",
  "ignored_stale",
  "cancelled",
] as const;
const pollMs = 3000;

/** "12 min", "3 h 5 min", "2 d 4 h" in the reader's language. */
function duration(t: T, minutes: number): string {
  if (minutes < 60) return t("integration.minutes", { n: minutes });
  if (minutes < 48 * 60) {
    const h = Math.floor(minutes / 60);
    const m = minutes % 60;
    return m ? t("integration.hoursMinutes", { h, m }) : t("integration.hours", { h });
  }
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  return h ? t("integration.daysHours", { d, h }) : t("integration.days", { d });
}

function feedLabel(t: T, system: string, type: string): string {
  const label = t(`integration.types.${system}/${type}`);
  return label === `integration.types.${system}/${type}` ? type : label;
}

export default function IntegrationOverview() {
  const data = useLoaderData<typeof loader>();
  const t = useT();
  const fmt = useFormatters();
  const revalidator = useRevalidator();
  const running = data.inFlight.length > 0;

  // While a large import runs, refresh every few seconds so its bar moves; stop when none is left.
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle" && document.visibilityState === "visible") revalidator.revalidate();
    }, pollMs);
    return () => clearInterval(timer);
  }, [running, revalidator]);

  const connected = data.feeds.filter((f) => f.connected);
  const others = data.feeds.filter((f) => !f.connected && f.total > 0);
  const planned = data.feeds.filter((f) => !f.connected && f.total === 0 && f.planned);
  return (
    <>
      <div className="page-head">
        <div>
          <h1>{t("integration.title")}</h1>
          <div className="muted">{t("integration.asOf", { time: fmt.dateTime(data.now) })}</div>
        </div>
        <div className="int-head-actions">
          <Link className="btn" to="/integration/partners">
            {t("nav.partners")}
          </Link>
          <Link className="btn" to="/integration/upload">
            ⤒ {t("integration.upload.title")}
          </Link>
          <Link className="btn btn-primary" to="/integration/messages">
            {t("integration.messages.title")}
          </Link>
        </div>
      </div>

      <div className="grid grid-4">
        <div className="card kpi">
          <div className="label">{t("integration.kpi.connected")}</div>
          <div className="value" data-testid="kpi-connected">
            {fmt.number(data.totals.connected)}
            <span className="int-kpi-of"> / {fmt.number(data.feeds.filter((f) => f.planned).length)}</span>
          </div>
          <div className="sub">{t("integration.kpi.connectedSub")}</div>
        </div>
        <div className={`card kpi${data.totals.late ? " int-kpi-bad" : ""}`}>
          <div className="label">{t("integration.kpi.late")}</div>
          <div className="value" data-testid="kpi-late">
            {fmt.number(data.totals.late)}
          </div>
          <div className="sub">{t("integration.kpi.lateSub")}</div>
        </div>
        <div className={`card kpi${data.totals.failedOrDead ? " int-kpi-warn" : ""}`}>
          <div className="label">{t("integration.kpi.failed")}</div>
          <div className="value" data-testid="kpi-failed">
            {fmt.number(data.totals.failedOrDead)}
          </div>
          <div className="sub">
            <Link to="/integration/messages?status=failed">{t("integration.status.failed")}</Link> ·{" "}
            <Link to="/integration/messages?status=dead">{t("integration.status.dead")}</Link>
          </div>
        </div>
        <div className="card kpi">
          <div className="label">{t("integration.kpi.processed24h")}</div>
          <div className="value">{fmt.number(data.totals.processedLast24h)}</div>
          <div className="sub">{t("integration.kpi.processed24hSub")}</div>
        </div>
      </div>

      {running ? (
        <section className="card int-section" data-testid="in-flight">
          <h2>
            {t("integration.inFlight")} <span className="int-live" aria-hidden />
          </h2>
          <div className="int-progress-list">
            {data.inFlight.map((job) => {
              const pct =
                job.progressTotal > 0
                  ? Math.min(100, Math.floor((job.progressDone / job.progressTotal) * 100))
                  : 0;
              return (
                <div key={job.id} className="int-progress-row">
                  <div className="int-progress-label">
                    <Link to={`/integration/messages/${job.id}`}>
                      {feedLabel(t, job.system, job.messageType)}
                    </Link>
                    <span className="muted int-mono">{job.messageId}</span>
                  </div>
                  <div
                    className="int-progress"
                    role="progressbar"
                    aria-valuemin={0}
                    aria-valuemax={job.progressTotal}
                    aria-valuenow={job.progressDone}
                    aria-label={feedLabel(t, job.system, job.messageType)}
                  >
                    <span style={{ width: `${pct}%` }} />
                  </div>
                  <div className="int-progress-figures">
                    {t("integration.progress", {
                      done: fmt.number(job.progressDone),
                      total: fmt.number(job.progressTotal),
                      pct,
                    })}
                  </div>
                </div>
              );
            })}
          </div>
        </section>
      ) : null}

      <section className="card int-section">
        <h2>{t("integration.chart.title")}</h2>
        <StackedColumns
          height={150}
          series={statusOrder.map((s) => ({
            key: s,
            label: t(`integration.status.${s}`),
            color: statusColors[s]!,
          }))}
          points={data.hours.map((h) => ({ label: `${h.hour.slice(11, 13)}:00`, values: h.counts }))}
        />
      </section>

      <h2 className="int-subhead">{t("integration.feeds")}</h2>
      <div className="int-feeds" data-testid="feeds">
        {[...connected, ...others].map((f) => (
          <FeedCard key={`${f.direction}:${f.system}/${f.type}`} feed={f} />
        ))}
      </div>

      {planned.length ? (
        <>
          <h2 className="int-subhead">{t("integration.plannedFeeds")}</h2>
          <div className="int-feeds int-feeds-planned">
            {planned.map((f) => (
              <div
                key={`${f.system}/${f.type}`}
                className="card int-feed-off"
                data-testid={`feed-${f.system}-${f.type}`}
                title={t("integration.health.not_connected")}
              >
                <span className="int-system">{f.system.toUpperCase()}</span>
                <span className="int-feed-name">{feedLabel(t, f.system, f.type)}</span>
              </div>
            ))}
          </div>
        </>
      ) : null}
    </>
  );
}

function FeedCard({ feed: f }: { feed: FeedStatus & { lastSuccessAt: Date | string | null } }) {
  const t = useT();
  const fmt = useFormatters();
  const health = { on_time: "badge-ok", late: "badge-bad", never: "", not_connected: "" }[f.health];
  const base = `/integration/messages?system=${f.system}&type=${encodeURIComponent(f.type)}${f.direction === "outbound" ? "&direction=outbound" : ""}`;
  return (
    <section
      className={`card int-feed${!f.connected && f.planned ? " int-feed-dim" : ""}`}
      data-testid={`feed-${f.system}-${f.type}`}
      aria-label={feedLabel(t, f.system, f.type)}
    >
      <div className="int-feed-head">
        <span className="int-system">{f.system.toUpperCase()}</span>
        <Link className="int-feed-name" to={base}>
          {feedLabel(t, f.system, f.type)}
        </Link>
        {f.direction === "outbound" ? (
          <span className="badge">{t("integration.direction.outbound")}</span>
        ) : null}
        {/* A type seen only in the store (an outbound confirmation…) has no expected frequency to be late against. */}
        {f.planned ? (
          <span className={`badge ${health} int-health`} data-testid="feed-health" data-health={f.health}>
            {t(`integration.health.${f.health}`)}
          </span>
        ) : null}
      </div>
      <dl className="int-feed-facts">
        <dt>{t("integration.lastSuccess")}</dt>
        <dd data-testid="feed-last-success">
          {f.lastSuccessAt ? (
            <>
              {fmt.dateTime(f.lastSuccessAt)}{" "}
              <span className="muted">
                · {t("integration.ago", { duration: duration(t, f.lagMinutes ?? 0) })}
              </span>
            </>
          ) : (
            <span className="muted">{t("integration.never")}</span>
          )}
        </dd>
        <dt>{t("integration.expected")}</dt>
        <dd>
          {f.expectedEveryMinutes
            ? t("integration.every", { duration: duration(t, f.expectedEveryMinutes) })
            : "—"}
        </dd>
        <dt>{t("integration.throughput")}</dt>
        <dd>
          {t("integration.throughputValue", {
            hour: fmt.number(f.processedLastHour),
            day: fmt.number(f.processedLast24h),
          })}
        </dd>
      </dl>
      {f.total > 0 ? (
        <>
          <div className="int-status-bar" aria-hidden>
            {statusOrder.map((s) =>
              f.counts[s] > 0 ? (
                <span
                  key={s}
                  style={{ flexGrow: f.counts[s], background: statusColors[s] }}
                  title={`${t(`integration.status.${s}`)}: ${f.counts[s]}`}
                />
              ) : null,
            )}
          </div>
          <ul className="int-counts" data-testid="feed-counts">
            {statusOrder.map((s) =>
              f.counts[s] > 0 || s === "processed" || s === "failed" || s === "dead" ? (
                <li key={s} data-status={s}>
                  <Link to={`${base}&status=${s}`}>
                    <i style={{ background: statusColors[s] }} />
                    {t(`integration.status.${s}`)} <b>{fmt.number(f.counts[s])}</b>
                  </Link>
                </li>
              ) : null,
            )}
          </ul>
        </>
      ) : (
        <p className="muted int-empty">{t("integration.noMessages")}</p>
      )}
    </section>
  );
}
