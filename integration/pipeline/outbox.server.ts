// The outbox (issue 3 §5): a domain change that must reach another system writes an outbound
// message in the same transaction; the dispatcher sends it with retries and backoff, records the
// response, and dead-letters it after N attempts with the payload kept.
import crypto from "node:crypto";
import { and, eq, inArray, lte, or } from "drizzle-orm";
import type { Db } from "../../db/client";
import { integrationMessages, type IntegrationMessage, type IntegrationSystem } from "../../db/schema";
import { inScope, systemCtx, type Ctx } from "../../portal/domain/context";
import { leaseSeconds, nextAttemptAt } from "./policy";

export type OutboundInput = {
  system: IntegrationSystem;
  type: string;
  messageId: string;
  businessKey?: string | null;
  contentType: string;
  body: string | Buffer;
  correlationId?: string | null;
  organizationId?: string | null;
  summary?: Record<string, unknown>;
};

/** Writes an outbound message in the caller's transaction (ctx.db must be that transaction). */
export async function enqueueOutbound(ctx: Ctx, input: OutboundInput): Promise<void> {
  const payload = Buffer.isBuffer(input.body) ? input.body : Buffer.from(input.body, "utf8");
  await ctx.db
    .insert(integrationMessages)
    .values({
      system: input.system,
      direction: "outbound",
      messageType: input.type,
      messageId: input.messageId,
      businessKey: input.businessKey ?? null,
      contentHash: crypto.createHash("sha256").update(payload).digest("hex"),
      contentType: input.contentType,
      payload,
      sizeBytes: payload.length,
      channel: "outbox",
      status: "received",
      summary: input.summary ?? {},
      correlationId: input.correlationId ?? null,
      organizationId: input.organizationId ?? null,
      receivedAt: ctx.now,
      updatedAt: ctx.now,
    })
    .onConflictDoNothing();
}

export type Endpoint = { url: string; headers?: Record<string, string> };
export type EndpointResolver = (system: IntegrationSystem, type: string) => Endpoint | null;

export type DispatchResult = { messageId: string; status: "processed" | "failed" | "dead"; httpStatus?: number; error?: string };

/** Sends due outbound messages; returns what happened to each. */
export async function dispatchDueOutbound(
  db: Db,
  endpoints: EndpointResolver,
  options: { now?: Date; limit?: number; fetchImpl?: typeof fetch; timeoutMs?: number } = {},
): Promise<DispatchResult[]> {
  const now = options.now ?? new Date();
  const fetchImpl = options.fetchImpl ?? fetch;
  const ctx = systemCtx(db, "integration:dispatcher", now);
  const claimed = await inScope(ctx, async (tx) => {
    await tx
      .update(integrationMessages)
      .set({ status: "received", leaseUntil: null, updatedAt: now })
      .where(and(eq(integrationMessages.direction, "outbound"), eq(integrationMessages.status, "processing"), lte(integrationMessages.leaseUntil, now)));
    const due = await tx
      .select({ id: integrationMessages.id, system: integrationMessages.system, messageType: integrationMessages.messageType })
      .from(integrationMessages)
      .where(
        and(
          eq(integrationMessages.direction, "outbound"),
          or(eq(integrationMessages.status, "received"), and(eq(integrationMessages.status, "failed"), lte(integrationMessages.nextAttemptAt, now))),
        ),
      )
      .orderBy(integrationMessages.receivedAt)
      .limit(options.limit ?? 50)
      .for("update", { skipLocked: true });
    // Messages for a system without an endpoint stay queued until one is configured.
    const sendable = due.filter((d) => endpoints(d.system, d.messageType));
    if (sendable.length === 0) return [];
    return tx
      .update(integrationMessages)
      .set({ status: "processing", leaseUntil: new Date(now.getTime() + leaseSeconds * 1000), updatedAt: now })
      .where(inArray(integrationMessages.id, sendable.map((d) => d.id)))
      .returning();
  });
  const results: DispatchResult[] = [];
  for (const message of claimed) results.push(await send(db, message, endpoints(message.system, message.messageType)!, fetchImpl, now, options.timeoutMs ?? 15_000));
  return results;
}

async function send(db: Db, message: IntegrationMessage, endpoint: Endpoint, fetchImpl: typeof fetch, now: Date, timeoutMs: number): Promise<DispatchResult> {
  const attempts = message.attempts + 1;
  let httpStatus: number | undefined;
  let responseText = "";
  let error: string | undefined;
  try {
    const res = await fetchImpl(endpoint.url, {
      method: "POST",
      body: new Uint8Array(message.payload),
      headers: { "content-type": message.contentType, "x-message-id": message.messageId, ...(message.correlationId ? { "x-correlation-id": message.correlationId } : {}), ...endpoint.headers },
      signal: AbortSignal.timeout(timeoutMs),
    });
    httpStatus = res.status;
    responseText = (await res.text()).slice(0, 4000);
    if (!res.ok) error = `HTTP ${res.status} from ${endpoint.url}: ${responseText.slice(0, 300)}`;
  } catch (e) {
    error = `could not reach ${endpoint.url}: ${e instanceof Error ? e.message : String(e)}`;
  }
  const dead = Boolean(error) && attempts >= message.maxAttempts;
  const status = error ? (dead ? "dead" : "failed") : "processed";
  const ack = { messageId: message.messageId, status, httpStatus: httpStatus ?? null, response: responseText };
  await inScope(systemCtx(db, "integration:dispatcher", now), (tx) =>
    tx
      .update(integrationMessages)
      .set({
        status,
        attempts,
        ack,
        lastError: error ?? null,
        errors: error ? [{ field: "delivery", rule: httpStatus ? "http_status" : "unreachable", message: error }] : [],
        nextAttemptAt: status === "failed" ? nextAttemptAt(now, attempts) : null,
        leaseUntil: null,
        processedAt: status === "processed" ? now : null,
        updatedAt: now,
      })
      .where(eq(integrationMessages.id, message.id)),
  );
  return { messageId: message.messageId, status, httpStatus, error };
}
