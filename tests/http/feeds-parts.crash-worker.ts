// A worker process for the crash test of tests/http/feeds-parts.test.ts: applies one bulk message the
// test has claimed for it and prints every committed batch, so the test can kill -9 it mid-snapshot.
import { eq } from "drizzle-orm";
import { openDatabase } from "../../db/client";
import { integrationMessages } from "../../db/schema";
import { partsStockFeed } from "../../integration/erp/parts-stock-feed.server";
import type { Feed } from "../../integration/pipeline/feed";
import { processBulkMessage } from "../../integration/pipeline/process.server";
import { inScope, systemCtx } from "../../portal/domain/context";

const url = process.env.CRASH_DB_URL;
const database = await openDatabase(url ? { url, migrate: false, max: 2 } : { dataDir: process.env.CRASH_PGLITE_DIR!, migrate: false });
const now = new Date(process.env.CRASH_NOW!);
const [message] = await inScope(systemCtx(database.db, "crash-worker", now), (tx) =>
  tx.select().from(integrationMessages).where(eq(integrationMessages.id, process.env.CRASH_MESSAGE_ID!)),
);
const ack = await processBulkMessage(database.db, message!, partsStockFeed as Feed & { bulk: NonNullable<Feed["bulk"]> }, now, {
  onProgress: ({ done, total }) => {
    process.stdout.write(`progress ${done} ${total}\n`);
  },
});
process.stdout.write(`finished ${ack.status}\n`);
await database.close();
