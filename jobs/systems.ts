// Where the external systems are: the configured base URLs, or the built-in simulator's.
import type { IntegrationSystem } from "../db/schema";
import { simulatorUrls } from "../integration/simulator/handlers";
import type { Endpoint } from "../integration/pipeline/outbox.server";
import { simulatorEnabled, type Config } from "../portal/server/config";
import { receiveMessage } from "../integration/pipeline/receive.server";
import { findFeed } from "../integration/pipeline/registry";
import type { JobContext } from "./job";

export function baseUrl(config: Config, system: Exclude<IntegrationSystem, "bank">): string | null {
  const configured = { erp: config.ERP_BASE_URL, dms: config.DMS_BASE_URL, mes: config.MES_BASE_URL }[system];
  if (configured) return configured.replace(/\/$/, "");
  return simulatorEnabled(config) ? simulatorUrls[system] : null;
}

/** Outbound messages go to {base}/outbound/{type} of their system. */
export function outboundEndpoint(config: Config) {
  return (system: IntegrationSystem, type: string): Endpoint | null => {
    if (system === "bank") return null;
    const base = baseUrl(config, system);
    if (!base) return null;
    return { url: `${base}/outbound/${type}`, headers: config.ERP_OUTBOUND_KEY && system === "erp" ? { "x-api-key": config.ERP_OUTBOUND_KEY } : {} };
  };
}

/**
 * Pulls one document from a system and feeds it through the same pipeline as a pushed message.
 * A type whose feed is not built yet is skipped, not failed.
 */
export async function pullInto(ctx: JobContext, system: Exclude<IntegrationSystem, "bank">, type: string, pathAndQuery: string) {
  const feed = findFeed(system, type);
  if (!feed || feed === "not_implemented") return { [type]: "feed not available" };
  const base = baseUrl(ctx.config, system);
  if (!base) return { [type]: "no endpoint configured" };
  const res = await fetch(`${base}${pathAndQuery}`, { signal: AbortSignal.timeout(60_000) });
  if (res.status === 204) return { [type]: "nothing new" };
  if (!res.ok) throw new Error(`${system} answered ${res.status} for ${pathAndQuery}`);
  const body = Buffer.from(await res.arrayBuffer());
  if (body.length > feed.maxBytes) throw new Error(`${system} sent ${body.length} bytes for ${type}, more than ${feed.maxBytes}`);
  const result = await receiveMessage(
    ctx.database.db,
    { feed, body, contentType: res.headers.get("content-type") ?? "application/octet-stream", messageId: res.headers.get("x-message-id"), channel: "pull" },
    ctx.now,
  );
  return { [type]: result.ack.status, [`${type}MessageId`]: result.ack.messageId };
}
