// The integration monitor's message list (issue 3 §9): every stored message, newest first, filtered by
// system, type, status, direction, date range and a text that matches the message id, the business
// key or the document number. Shared by the screen, its CSV export and the bulk reprocess, so "the
// failed messages of this filter" means the same rows everywhere. The raw payload is never selected here.
import { and, asc, count, desc, eq, gte, ilike, lt, or, sql, type SQL } from "drizzle-orm";
import {
  integrationMessages,
  integrationSystem,
  messageDirection,
  messageStatus,
  type IntegrationSystem,
  type MessageStatus,
} from "../../../db/schema";
import { requirePermission } from "../authorize";
import type { Ctx } from "../context";
import { inScope } from "../context";
import { likePattern, type ListQuery, type ListSpec, type Page } from "../list-query";
import { isUuid } from "../organizations/get-organization.server";

export const messageListSpec = {
  sorts: [
    "receivedAt",
    "processedAt",
    "system",
    "type",
    "status",
    "attempts",
    "size",
    "messageId",
    "businessKey",
  ],
  defaultSort: "receivedAt",
  defaultDir: "desc",
  filters: {
    system: integrationSystem.enumValues,
    type: "text",
    status: messageStatus.enumValues,
    direction: messageDirection.enumValues,
    from: "text",
    to: "text",
    q: "text",
  },
} as const satisfies ListSpec<string, string>;

export type MessageSort = (typeof messageListSpec.sorts)[number];
export type MessageFilter = keyof typeof messageListSpec.filters;
export type MessageFilters = Partial<Record<MessageFilter, string>>;

export type MessageRow = {
  id: string;
  system: IntegrationSystem;
  direction: "inbound" | "outbound";
  messageType: string;
  messageId: string;
  businessKey: string | null;
  documentNumber: string | null;
  partnerId: string | null;
  status: MessageStatus;
  attempts: number;
  maxAttempts: number;
  sizeBytes: number;
  channel: string;
  lastError: string | null;
  progressDone: number;
  progressTotal: number | null;
  receivedAt: Date;
  processedAt: Date | null;
};

const m = integrationMessages;

export const messageRowColumns = {
  id: m.id,
  system: m.system,
  direction: m.direction,
  messageType: m.messageType,
  messageId: m.messageId,
  businessKey: m.businessKey,
  documentNumber: sql<string | null>`${m.summary}->>'documentNumber'`,
  partnerId: sql<string | null>`${m.summary}->>'partnerId'`,
  status: m.status,
  attempts: m.attempts,
  maxAttempts: m.maxAttempts,
  sizeBytes: m.sizeBytes,
  channel: m.channel,
  lastError: m.lastError,
  progressDone: m.progressDone,
  progressTotal: m.progressTotal,
  receivedAt: m.receivedAt,
  processedAt: m.processedAt,
};

const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A YYYY-MM-DD day as its first instant in UTC, or null for anything else (ignored as a filter). */
export function dayStart(text: string | undefined): Date | null {
  const match = text ? datePattern.exec(text) : null;
  if (!match) return null;
  const d = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== text ? null : d;
}

/** The WHERE conditions of a filter; the date range is inclusive of both days (UTC). */
export function messageConditions(f: MessageFilters): SQL[] {
  const where: SQL[] = [];
  if (f.system) where.push(eq(m.system, f.system as IntegrationSystem));
  if (f.type) where.push(eq(m.messageType, f.type));
  if (f.status) where.push(eq(m.status, f.status as MessageStatus));
  if (f.direction) where.push(eq(m.direction, f.direction as "inbound" | "outbound"));
  const from = dayStart(f.from);
  if (from) where.push(gte(m.receivedAt, from));
  const to = dayStart(f.to);
  if (to) where.push(lt(m.receivedAt, new Date(to.getTime() + 24 * 3600 * 1000)));
  if (f.q) {
    const p = likePattern(f.q);
    const text = or(
      ilike(m.messageId, p),
      ilike(m.businessKey, p),
      ilike(sql`${m.summary}->>'documentNumber'`, p),
    )!;
    where.push(isUuid(f.q) ? or(eq(m.id, f.q.toLowerCase()), text)! : text);
  }
  return where;
}

export async function listMessages(
  ctx: Ctx,
  query: ListQuery<MessageSort, MessageFilter>,
): Promise<Page<MessageRow>> {
  requirePermission(ctx.actor, "integration:monitor");
  const where = messageConditions(query.filters);
  const condition = where.length ? and(...where) : undefined;
  const sortColumn = {
    receivedAt: m.receivedAt,
    processedAt: m.processedAt,
    system: m.system,
    type: m.messageType,
    status: m.status,
    attempts: m.attempts,
    size: m.sizeBytes,
    messageId: m.messageId,
    businessKey: m.businessKey,
  }[query.sort];
  const order = query.dir === "asc" ? asc(sortColumn) : sql`${sortColumn} desc nulls last`;
  return inScope(ctx, async (tx) => {
    const [total] = await tx.select({ n: count() }).from(m).where(condition);
    const rows = await tx
      .select(messageRowColumns)
      .from(m)
      .where(condition)
      .orderBy(order, query.dir === "asc" ? asc(m.id) : desc(m.id))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize);
    return { rows, total: total?.n ?? 0, page: query.page, pageSize: query.pageSize };
  });
}

/** How many messages of the filter a bulk reprocess would put back in the queue (failed or dead). */
export async function countReprocessable(ctx: Ctx, filters: MessageFilters): Promise<number> {
  requirePermission(ctx.actor, "integration:monitor");
  const where = [...messageConditions(filters), sql`${m.status} in ('failed', 'dead')`];
  return inScope(ctx, async (tx) => {
    const [row] = await tx
      .select({ n: count() })
      .from(m)
      .where(and(...where));
    return row?.n ?? 0;
  });
}

/** The message types seen in the store, for the type filter next to the registry's types. */
export async function knownMessageTypes(ctx: Ctx): Promise<{ system: IntegrationSystem; type: string }[]> {
  requirePermission(ctx.actor, "integration:monitor");
  return inScope(ctx, (tx) =>
    tx
      .selectDistinct({ system: m.system, type: m.messageType })
      .from(m)
      .orderBy(m.system, m.messageType)
      .limit(200),
  );
}
