// A worker process for the crash test of tests/http/feeds-parts.test.ts: processes one bulk message
// and prints every committed batch, so the test can kill -9 it in the middle of the snapshot.
import { openDatabase } from "../../db/client";
import { processMessageNow } from "../../integration/pipeline/process.server";

const url = process.env.CRASH_DB_URL;
const database = await openDatabase(url ? { url, migrate: false, max: 2 } : { dataDir: process.env.CRASH_PGLITE_DIR!, migrate: false });
const ack = await processMessageNow(database.db, process.env.CRASH_MESSAGE_ID!, new Date(process.env.CRASH_NOW!), {
  onProgress: ({ done, total }) => process.stdout.write(`progress ${done} ${total}\n`),
});
process.stdout.write(`finished ${ack?.status ?? "not claimed"}\n`);
await database.close();
