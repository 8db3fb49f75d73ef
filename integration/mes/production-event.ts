// MES production events per VIN in (issue 3 §7): JSON REST, one event or a batch. Our own
// production, so the VIN must carry a correct check digit — an invalid one is an ERROR here (the
// DMS feed only warns). `sequence` orders a VIN's events so an older event never overwrites a
// newer state (out-of-order safety is applied by the domain, using `sequence`, then `occurredAt`).
import { z } from "zod";
import { IssueCollector } from "../common/issues";
import { parseJsonSafely, zodIssues, type SafeJsonOptions } from "../common/json";
import { checkVin } from "../common/vin";
import type { DocumentSummary, ParseResult } from "../common/summary";

/** Production stages in the order a vehicle passes them. */
export const PRODUCTION_STAGES = ["scheduled", "body", "paint", "assembly", "end_of_line", "quality_gate", "shipped"] as const;
export type ProductionStage = (typeof PRODUCTION_STAGES)[number];

/** Position of a stage in production order (0 = scheduled). */
export function stageRank(stage: ProductionStage): number {
  return PRODUCTION_STAGES.indexOf(stage);
}

const vin = z
  .string()
  .superRefine((value, ctx) => {
    const check = checkVin(value);
    if (!check.ok) ctx.addIssue({ code: z.ZodIssueCode.custom, message: check.message, params: { rule: check.rule } });
  });

/**
 * One MES production event (POST /api/integration/mes/production-event):
 * - eventId: the MES's unique id of this event (idempotency key), 1–100 characters
 * - vin: 17 characters with a valid check digit (ISO 3779 / 49 CFR 565)
 * - stage: scheduled | body | paint | assembly | end_of_line | quality_gate | shipped
 * - occurredAt: ISO 8601 timestamp with an offset or Z ("2025-03-05T09:41:27+08:00")
 * - sequence: integer ≥ 0, increasing per VIN; decides which of two events is newer
 * - plant: plant code ("P100")
 * - orderReference: optional ERP order number, kept as text (leading zeros)
 * Other keys (line, station, result…) are kept in `extra` for display, never interpreted.
 */
export const productionEventSchema = z
  .object({
    eventId: z.string().trim().min(1).max(100),
    vin,
    stage: z.enum(PRODUCTION_STAGES),
    occurredAt: z.string().datetime({ offset: true, message: "must be an ISO 8601 timestamp with an offset or Z" }),
    sequence: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    plant: z.string().regex(/^[A-Za-z0-9_-]{1,20}$/, "must be a plant code (letters, digits, _ or -)"),
    orderReference: z.string().trim().min(1).max(40).nullish(),
  })
  .passthrough();

export const productionEventBatchSchema = z.object({
  batchId: z.string().trim().min(1).max(100),
  events: z.array(z.unknown()).min(1, "must hold at least one event").max(10_000, "must hold at most 10,000 events"),
});

export interface ProductionEvent {
  eventId: string;
  vin: string;
  stage: ProductionStage;
  occurredAt: string;
  sequence: number;
  plant: string;
  orderReference: string | null;
  extra: Record<string, unknown>;
}

export interface ProductionEventDocument {
  batchId: string | null;
  events: ProductionEvent[];
}

export type ProductionEventResult = ParseResult<DocumentSummary, ProductionEventDocument>;

/** Reads one event (`{ eventId, … }`) or a batch (`{ batchId, events: [...] }`). */
export function parseProductionEvents(input: string | Uint8Array, opts: SafeJsonOptions = {}): ProductionEventResult {
  const data = parseJsonSafely(input, opts);
  const issues = new IssueCollector();
  let batchId: string | null = null;
  let raw: unknown[];
  if (typeof data === "object" && data !== null && !Array.isArray(data) && "events" in data) {
    const batch = productionEventBatchSchema.safeParse(data);
    if (!batch.success) {
      issues.errors.push(...zodIssues(batch.error));
      issues.throwIfErrors();
    }
    batchId = batch.data!.batchId;
    raw = batch.data!.events;
  } else {
    raw = [data];
  }

  const events: ProductionEvent[] = [];
  const seen = new Set<string>();
  raw.forEach((item, i) => {
    const prefix = batchId === null ? "" : `events.${i}`;
    const parsed = productionEventSchema.safeParse(item);
    if (!parsed.success) {
      issues.errors.push(...zodIssues(parsed.error, prefix));
      return;
    }
    const { eventId, vin: v, stage, occurredAt, sequence, plant, orderReference, ...extra } = parsed.data;
    if (seen.has(eventId)) {
      issues.error(prefix ? `${prefix}.eventId` : "eventId", "duplicate", `eventId "${eventId}" appears twice in one batch`);
      return;
    }
    seen.add(eventId);
    events.push({ eventId, vin: v, stage, occurredAt, sequence, plant, orderReference: orderReference ?? null, extra });
  });

  const first = events[0];
  const summary: DocumentSummary = {
    documentType: "production_event",
    documentNumber: batchId ?? first?.eventId ?? null,
    documentDate: first ? first.occurredAt.slice(0, 10) : null,
    partnerId: first?.plant ?? null,
    lineCount: events.length,
  };
  issues.throwIfErrors(summary);
  return { summary, document: { batchId, events }, warnings: issues.warnings };
}
