// ERP parts-stock snapshot feed (issue 3 §7): one warehouse's stock, up to 200,000 lines, hourly.
// A bulk feed: the endpoint validates and stores it (202, `received`); the worker applies it in
// batches of 5,000 lines, each committed with the message's progress cursor, then finishes it in
// one transaction (missing parts to 0, safety-stock alerts, audit). See process.server.ts for why a
// crash at any point resumes to exactly the state of an uninterrupted run.
//
// Out-of-order safety: a snapshot older (takenAt) than one already processed for the same warehouse
// ends `ignored_stale` — checked under the warehouse's advisory lock before every batch and before
// the finish, and backed by the row guard of the upsert (a row never goes back to an older snapshot).
import { and, eq, gt, ne, sql } from "drizzle-orm";
import { integrationMessages, type IntegrationMessage } from "../../db/schema";
import { inScope, type Ctx } from "../../portal/domain/context";
import { applyPartsStockBatch, finishPartsStockSnapshot, lockWarehouse, type PartsStockFinish, type PartsStockSnapshotRef } from "../../portal/domain/parts/apply-parts-stock.server";
import type { ApplyOutcome, Feed } from "../pipeline/feed";
import { PARTS_STOCK_MAX_BYTES, parsePartsStock, readPartsStockBatches, readPartsStockHeader, type PartsStockDocument, type PartsStockHeader } from "./parts-stock";

export const PARTS_STOCK_BATCH_SIZE = 5_000;

export const partsStockFeed: Feed<PartsStockDocument> = {
  system: "erp",
  type: "parts-stock",
  maxBytes: PARTS_STOCK_MAX_BYTES,
  expectedEveryMinutes: 60, // stock hourly (DESIGN §5)
  parse: (body) => parsePartsStock(body),
  messageIdOf: (doc) => `PARTS-STOCK-${doc.header.warehouse}-${doc.header.snapshotId}`.slice(0, 200),
  // The same snapshot of the same warehouse under another message id is a duplicate.
  businessKeyOf: (doc) => `${doc.header.warehouse}/${doc.header.snapshotId}`,

  /** All lines in the caller's one transaction: the pipeline uses `bulk`; this serves small documents. */
  async apply(ctx, doc, message) {
    const ref = refOf(doc.header, message);
    if (await newerSnapshotProcessed(ctx, ref, message)) return { stale: true };
    for await (const lines of readPartsStockBatches(doc.payload, { batchSize: PARTS_STOCK_BATCH_SIZE })) await applyPartsStockBatch(ctx, ref, lines);
    return outcomeOf(await finishPartsStockSnapshot(ctx, ref, doc.lineCount));
  },

  bulk: {
    batchSize: PARTS_STOCK_BATCH_SIZE,
    lineCount: (doc) => doc.lineCount,
    reopen: (payload, message) => {
      const header = readPartsStockHeader(payload);
      return { header, lineCount: message.progressTotal ?? header.declaredLineCount ?? 0, payload };
    },
    async *batches(doc, skip) {
      for await (const lines of readPartsStockBatches(doc.payload, { batchSize: PARTS_STOCK_BATCH_SIZE, skip })) {
        yield {
          size: lines.length,
          async apply(ctx: Ctx, message: IntegrationMessage) {
            const ref = refOf(doc.header, message);
            await lockWarehouse(ctx, ref.warehouse);
            if (await newerSnapshotProcessed(ctx, ref, message)) return { stale: true };
            await applyPartsStockBatch(ctx, ref, lines);
          },
        };
      }
    },
    async finish(ctx, doc, message) {
      const ref = refOf(doc.header, message);
      await lockWarehouse(ctx, ref.warehouse);
      if (await newerSnapshotProcessed(ctx, ref, message)) return { stale: true };
      return outcomeOf(await finishPartsStockSnapshot(ctx, ref, doc.lineCount));
    },
  },
};

function refOf(header: PartsStockHeader, message: IntegrationMessage): PartsStockSnapshotRef {
  return { warehouse: header.warehouse, snapshotId: header.snapshotId, takenAt: header.takenAt, messageId: message.id };
}

/** A snapshot of the same warehouse taken later than this one was processed already. */
async function newerSnapshotProcessed(ctx: Ctx, ref: PartsStockSnapshotRef, message: IntegrationMessage): Promise<boolean> {
  return inScope(ctx, async (tx) => {
    const rows = await tx
      .select({ id: integrationMessages.id })
      .from(integrationMessages)
      .where(
        and(
          eq(integrationMessages.system, "erp"),
          eq(integrationMessages.direction, "inbound"),
          eq(integrationMessages.messageType, "parts-stock"),
          eq(integrationMessages.status, "processed"),
          ne(integrationMessages.id, message.id),
          eq(sql`${integrationMessages.summary}->>'warehouse'`, ref.warehouse),
          gt(sql`${integrationMessages.summary}->>'takenAt'`, ref.takenAt),
        ),
      )
      .limit(1);
    return rows.length > 0;
  });
}

function outcomeOf(result: PartsStockFinish): ApplyOutcome {
  const warnings =
    result.unknownParts > 0
      ? [
          {
            field: "Line/@part",
            rule: "unknown_part",
            message: `${result.unknownParts} part number(s) are not in the material master yet (e.g. ${result.unknownExamples.join(", ")}); their stock is kept and shown without a description`,
          },
        ]
      : [];
  return { warnings, detail: { ...result } };
}
