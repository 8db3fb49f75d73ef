// The integration monitor's overview (issue 3 §9, DESIGN §5 "every feed shows its last successful
// sync and its lag"): one entry per feed of the registry and per contract type not built yet, with
// the last success, the lag against the feed's expected frequency, counts by status, throughput, the
// last 24 hours by hour and status, and the large imports in flight with their progress.
import { and, count, eq, gte, isNotNull, max, sql } from "drizzle-orm";
import { integrationMessages, messageStatus, type IntegrationSystem, type MessageStatus } from "../../../db/schema";
import { findFeed, plannedTypes } from "../../../integration/pipeline/registry";
import { requirePermission } from "../authorize";
import type { Ctx } from "../context";
import { inScope } from "../context";

/** Every status a message can have, in the schema's order. */
export const countedStatuses = messageStatus.enumValues;

export type FeedHealth = "on_time" | "late" | "never" | "not_connected";

export type FeedStatus = {
  system: IntegrationSystem;
  type: string;
  direction: "inbound" | "outbound";
  /** A feed of the registry (true), or a contract type that answers 501 / a type seen only in the store. */
  connected: boolean;
  planned: boolean;
  expectedEveryMinutes: number | null;
  maxBytes: number | null;
  lastSuccessAt: Date | null;
  lastReceivedAt: Date | null;
  /** Minutes since the last success; null when there never was one. */
  lagMinutes: number | null;
  health: FeedHealth;
  counts: Record<(typeof countedStatuses)[number], number>;
  total: number;
  processedLastHour: number;
  processedLast24h: number;
};

export type HourBucket = { hour: string; counts: Partial<Record<MessageStatus, number>> };

export type ImportInFlight = {
  id: string;
  system: IntegrationSystem;
  messageType: string;
  messageId: string;
  progressDone: number;
  progressTotal: number;
  receivedAt: Date;
  updatedAt: Date;
};

export type IntegrationOverview = {
  now: Date;
  feeds: FeedStatus[];
  hours: HourBucket[];
  inFlight: ImportInFlight[];
  totals: { failedOrDead: number; late: number; connected: number; processedLast24h: number };
};

const m = integrationMessages;
const systems: IntegrationSystem[] = ["erp", "dms", "mes", "bank"];

/** The registry's feeds and planned types, in the contract's order. */
export function registeredFeeds() {
  return systems.flatMap((system) =>
    plannedTypes[system].map((type) => {
      const feed = findFeed(system, type);
      return feed && feed !== "not_implemented"
        ? {
            system,
            type,
            connected: true as const,
            expectedEveryMinutes: feed.expectedEveryMinutes,
            maxBytes: feed.maxBytes,
          }
        : { system, type, connected: false as const, expectedEveryMinutes: null, maxBytes: null };
    }),
  );
}

function emptyCounts(): FeedStatus["counts"] {
  return Object.fromEntries(countedStatuses.map((s) => [s, 0])) as FeedStatus["counts"];
}

export async function getIntegrationOverview(ctx: Ctx): Promise<IntegrationOverview> {
  requirePermission(ctx.actor, "integration:monitor");
  const now = ctx.now;
  const hourAgo = new Date(now.getTime() - 3600_000);
  const dayAgo = new Date(now.getTime() - 24 * 3600_000);
  // The chart's 24 columns are whole UTC hours, the current one last.
  const firstHour = new Date(Math.floor(now.getTime() / 3600_000) * 3600_000 - 23 * 3600_000);

  const data = await inScope(ctx, async (tx) => {
    const byStatus = await tx
      .select({
        system: m.system,
        type: m.messageType,
        direction: m.direction,
        status: m.status,
        n: count(),
        lastReceivedAt: max(m.receivedAt),
      })
      .from(m)
      .groupBy(m.system, m.messageType, m.direction, m.status);
    const lastSuccess = await tx
      .select({ system: m.system, type: m.messageType, direction: m.direction, at: max(m.processedAt) })
      .from(m)
      .where(eq(m.status, "processed"))
      .groupBy(m.system, m.messageType, m.direction);
    const throughput = await tx
      .select({
        system: m.system,
        type: m.messageType,
        direction: m.direction,
        hour: sql<number>`count(*) filter (where ${m.processedAt} >= ${hourAgo.toISOString()}::timestamptz)`.mapWith(
          Number,
        ),
        day: count(),
      })
      .from(m)
      .where(and(eq(m.status, "processed"), gte(m.processedAt, dayAgo)))
      .groupBy(m.system, m.messageType, m.direction);
    // Grouped by position: a parameter inside the grouped expression would not match the select's.
    const hourly = await tx
      .select({
        hour: sql<string>`to_char(date_trunc('hour', ${m.receivedAt} at time zone 'UTC'), 'YYYY-MM-DD"T"HH24')`,
        status: m.status,
        n: count(),
      })
      .from(m)
      .where(gte(m.receivedAt, firstHour))
      .groupBy(sql`1`, sql`2`);
    const inFlight = await tx
      .select({
        id: m.id,
        system: m.system,
        messageType: m.messageType,
        messageId: m.messageId,
        progressDone: m.progressDone,
        progressTotal: sql<number>`${m.progressTotal}`.mapWith(Number),
        receivedAt: m.receivedAt,
        updatedAt: m.updatedAt,
      })
      .from(m)
      .where(and(eq(m.status, "processing"), isNotNull(m.progressTotal)))
      .orderBy(m.receivedAt)
      .limit(20);
    return { byStatus, lastSuccess, throughput, hourly, inFlight };
  });

  const key = (system: string, type: string, direction: string) => `${direction}:${system}/${type}`;
  const feeds = new Map<string, FeedStatus>();
  const entry = (system: IntegrationSystem, type: string, direction: "inbound" | "outbound") => {
    const k = key(system, type, direction);
    let f = feeds.get(k);
    if (!f) {
      f = {
        system,
        type,
        direction,
        connected: false,
        planned: false,
        expectedEveryMinutes: null,
        maxBytes: null,
        lastSuccessAt: null,
        lastReceivedAt: null,
        lagMinutes: null,
        health: "never",
        counts: emptyCounts(),
        total: 0,
        processedLastHour: 0,
        processedLast24h: 0,
      };
      feeds.set(k, f);
    }
    return f;
  };

  for (const r of registeredFeeds()) {
    const f = entry(r.system, r.type, "inbound");
    f.planned = true;
    f.connected = r.connected;
    f.expectedEveryMinutes = r.expectedEveryMinutes;
    f.maxBytes = r.maxBytes;
  }
  for (const row of data.byStatus) {
    const f = entry(row.system, row.type, row.direction);
    f.counts[row.status] += row.n;
    f.total += row.n;
    const at = toDate(row.lastReceivedAt);
    if (at && (!f.lastReceivedAt || at > f.lastReceivedAt)) f.lastReceivedAt = at;
  }
  for (const row of data.lastSuccess)
    entry(row.system, row.type, row.direction).lastSuccessAt = toDate(row.at);
  for (const row of data.throughput) {
    const f = entry(row.system, row.type, row.direction);
    f.processedLastHour = row.hour;
    f.processedLast24h = row.day;
  }
  for (const f of feeds.values()) {
    f.lagMinutes = f.lastSuccessAt
      ? Math.max(0, Math.floor((now.getTime() - f.lastSuccessAt.getTime()) / 60_000))
      : null;
    if (!f.connected && f.planned) f.health = "not_connected";
    else if (f.lagMinutes === null) f.health = "never";
    else if (f.expectedEveryMinutes !== null && f.lagMinutes > f.expectedEveryMinutes) f.health = "late";
    else f.health = "on_time";
  }

  const hours: HourBucket[] = [];
  for (let i = 0; i < 24; i++) {
    const hour = new Date(firstHour.getTime() + i * 3600_000).toISOString().slice(0, 13);
    hours.push({ hour, counts: {} });
  }
  for (const row of data.hourly) {
    const bucket = hours.find((h) => h.hour === row.hour);
    if (bucket) bucket.counts[row.status] = (bucket.counts[row.status] ?? 0) + row.n;
  }

  // Registry order first (connected before planned-only), then anything else the store holds.
  const list = [...feeds.values()].sort((a, b) => rank(a) - rank(b));
  return {
    now,
    feeds: list,
    hours,
    inFlight: data.inFlight.map((r) => ({
      ...r,
      receivedAt: toDate(r.receivedAt)!,
      updatedAt: toDate(r.updatedAt)!,
    })),
    totals: {
      failedOrDead: list.reduce((s, f) => s + f.counts.failed + f.counts.dead, 0),
      late: list.filter((f) => f.health === "late").length,
      connected: list.filter((f) => f.connected).length,
      processedLast24h: list.reduce((s, f) => s + f.processedLast24h, 0),
    },
  };
}

function rank(f: FeedStatus): number {
  if (f.connected) return 0;
  if (f.planned) return 1;
  return 2;
}

/** max() of a timestamp comes back as a Date from postgres.js and as a string from some drivers. */
function toDate(value: Date | string | null | undefined): Date | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value : new Date(value);
}
