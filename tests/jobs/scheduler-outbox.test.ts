// The scheduler's once-per-slot guarantee, catch-up of missed slots, the outbox dispatcher with
// retries and dead letters, pulls from the simulated systems and the file-drop folders. External
// systems are msw handlers; anything else would fail the test (onUnhandledRequest: "error").
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { integrationMessages, jobRuns, organizations, partsStock } from "../../db/schema";
import { dispatchDueOutbound, enqueueOutbound } from "../../integration/pipeline/outbox.server";
import { simulatorHandlers, simulatorInbox, simulatorUrls } from "../../integration/simulator/handlers";
import { demoVin } from "../../integration/simulator/mes-generator";
import { isValidVin } from "../../integration/common/vin";
import { job as pullErp } from "../../jobs/pull-erp-master-data";
import { job as pullParts } from "../../jobs/pull-erp-parts-stock";
import { processDueMessages } from "../../integration/pipeline/process.server";
import { job as dispatchJob } from "../../jobs/dispatch-outbound";
import { pollInbox, typeFromFileName } from "../../jobs/poll-file-drops";
import type { Job } from "../../jobs/job";
import { catchUp, previousSlot, runSlot } from "../../jobs/scheduler";
import { inScope, systemCtx } from "../../portal/domain/context";
import { loadConfig } from "../../portal/server/config";
import { createLogger } from "../../portal/server/log";
import { openPrivateDatabase, usingPostgres } from "../setup/db";

const mockServer = setupServer(...simulatorHandlers());
let database: Database;
let drop: () => Promise<void>;
const config = loadConfig({ LOG_LEVEL: "silent" });
const log = createLogger("silent");
const env = () => ({ database, config, log });
const sys = <T>(fn: Parameters<typeof inScope<T>>[1]) => inScope(systemCtx(database.db, "test"), fn);

beforeAll(async () => {
  mockServer.listen({ onUnhandledRequest: "error" });
  // Its own database: the dispatcher and worker here take every due message of the queue.
  ({ database, drop } = await openPrivateDatabase({ seed: true }));
});
afterEach(() => mockServer.resetHandlers());
afterAll(async () => {
  mockServer.close();
  await drop?.();
});

function countingJob(name: string, schedule = "*/5 * * * *", fail = false) {
  const runs: Date[] = [];
  const job: Job = {
    name,
    schedule,
    handler: async ({ slot }) => {
      runs.push(slot);
      if (fail) throw new Error("the ERP is down");
      return { ok: true };
    },
  };
  return { job, runs };
}

describe("scheduler", () => {
  it("finds the latest slot of a cron schedule in UTC", () => {
    const at = new Date("2026-03-01T10:07:42Z");
    expect(previousSlot(countingJob("a", "*/5 * * * *").job, at)?.toISOString()).toBe("2026-03-01T10:05:00.000Z");
    expect(previousSlot(countingJob("b", "0 2 * * *").job, at)?.toISOString()).toBe("2026-03-01T02:00:00.000Z");
    expect(previousSlot(countingJob("c", "15 * * * *").job, at)?.toISOString()).toBe("2026-03-01T09:15:00.000Z");
  });

  it("runs a slot once, however many instances try it, and at the same time", async () => {
    const { job, runs } = countingJob(`once-${Date.now()}`);
    const slot = new Date("2026-03-01T10:05:00Z");
    expect(await runSlot(env(), job, slot)).toBe("ran");
    expect(await runSlot(env(), job, new Date("2026-03-01T10:05:30Z"))).toBe("skipped"); // same minute
    const { job: raced, runs: racedRuns } = countingJob(`race-${Date.now()}`);
    const outcomes = await Promise.all(Array.from({ length: 4 }, () => runSlot(env(), raced, slot)));
    expect(outcomes.filter((o) => o === "ran")).toHaveLength(1);
    expect(racedRuns).toHaveLength(1);
    expect(runs).toHaveLength(1);
  });

  it("records a failed run with its error", async () => {
    const { job } = countingJob(`failing-${Date.now()}`, "*/5 * * * *", true);
    expect(await runSlot(env(), job, new Date("2026-03-01T10:00:00Z"))).toBe("failed");
    const [row] = await sys((tx) => tx.select().from(jobRuns).where(eq(jobRuns.job, job.name)));
    expect(row).toMatchObject({ status: "failed", error: "the ERP is down" });
  });

  it("catches up a missed slot once at start-up, and not again", async () => {
    const { job, runs } = countingJob(`catchup-${Date.now()}`, "0 2 * * *");
    const now = new Date("2026-03-02T09:00:00Z");
    expect(await catchUp(env(), [job], now)).toEqual({ [job.name]: "ran" });
    expect(await catchUp(env(), [job], now)).toEqual({ [job.name]: "up_to_date" });
    expect(runs.map((r) => r.toISOString())).toEqual(["2026-03-02T02:00:00.000Z"]);
  });
});

describe("outbox", () => {
  const enqueue = (messageId: string) =>
    sys((_tx, ctx) => enqueueOutbound(ctx, { system: "erp", type: "sales-order", messageId, contentType: "application/json", body: JSON.stringify({ order: messageId }) }));
  const stored = (messageId: string) =>
    sys((tx) => tx.select().from(integrationMessages).where(and(eq(integrationMessages.direction, "outbound"), eq(integrationMessages.messageId, messageId))));
  const toSimulator = () => ({ url: `${simulatorUrls.erp}/outbound/sales-order` });

  it("sends a message to the ERP and records the ERP's answer", async () => {
    await enqueue("SO-OK-1");
    const results = await dispatchDueOutbound(database.db, toSimulator);
    expect(results.find((r) => r.messageId === "SO-OK-1")).toMatchObject({ status: "processed", httpStatus: 200 });
    expect(simulatorInbox.some((m) => m.messageId === "SO-OK-1" && m.body.includes("SO-OK-1"))).toBe(true);
    const [row] = await stored("SO-OK-1");
    expect(row).toMatchObject({ status: "processed", attempts: 1 });
    expect((row!.ack as { response: string }).response).toContain('"status":"received"');
    // Nothing is sent twice.
    expect((await dispatchDueOutbound(database.db, toSimulator)).find((r) => r.messageId === "SO-OK-1")).toBeUndefined();
  });

  it("retries with backoff on errors and dead-letters after the last attempt, keeping the payload", async () => {
    mockServer.use(http.post(`${simulatorUrls.erp}/outbound/sales-order`, () => HttpResponse.text("ERP busy", { status: 503 })));
    await enqueue("SO-FAIL-1");
    let now = new Date();
    const first = await dispatchDueOutbound(database.db, toSimulator, { now });
    expect(first.find((r) => r.messageId === "SO-FAIL-1")).toMatchObject({ status: "failed", httpStatus: 503 });
    const [afterFirst] = await stored("SO-FAIL-1");
    expect(afterFirst!.nextAttemptAt!.getTime() - now.getTime()).toBe(30_000);
    // Not due yet: nothing is sent.
    expect((await dispatchDueOutbound(database.db, toSimulator, { now: new Date(now.getTime() + 10_000) })).find((r) => r.messageId === "SO-FAIL-1")).toBeUndefined();
    for (let i = 0; i < 4; i++) {
      now = new Date(now.getTime() + 2 * 3_600_000);
      await dispatchDueOutbound(database.db, toSimulator, { now });
    }
    const [dead] = await stored("SO-FAIL-1");
    expect(dead).toMatchObject({ status: "dead", attempts: 5 });
    expect(dead!.lastError).toMatch(/HTTP 503/);
    expect(JSON.parse(dead!.payload.toString("utf8"))).toEqual({ order: "SO-FAIL-1" });
  });

  it("leaves messages queued while their system has no endpoint", async () => {
    await enqueue("SO-NOWHERE-1");
    expect((await dispatchDueOutbound(database.db, () => null)).length).toBe(0);
    const [row] = await stored("SO-NOWHERE-1");
    expect(row!.status).toBe("received");
  });
});

describe("pulls from the simulated systems", () => {
  it("pulls the ERP dealer master on schedule, applies it and confirms it to the ERP", async () => {
    const now = new Date("2026-03-03T02:00:00Z");
    expect(await runSlot(env(), pullErp, now, now)).toBe("ran");
    const [run] = await sys((tx) => tx.select().from(jobRuns).where(and(eq(jobRuns.job, pullErp.name), eq(jobRuns.slot, now))));
    expect(run!.detail).toMatchObject({ "dealer-master": "processed" });
    const [org] = await sys((tx) => tx.select().from(organizations).where(eq(organizations.code, "D031")));
    expect(org?.type).toBe("dealer");
    const [ack] = await sys((tx) => tx.select().from(integrationMessages).where(and(eq(integrationMessages.direction, "outbound"), eq(integrationMessages.messageType, "dealer-master-ack"))));
    expect(ack?.correlationId).toBe("IDOC-0000000000731031");
    await runSlot(env(), dispatchJob, now, now);
    expect(simulatorInbox.some((m) => m.path === "/outbound/dealer-master-ack" && m.body.includes("0000100031"))).toBe(true);
  });

  it("pulls the hourly parts-stock snapshot, which the worker then applies", async () => {
    const now = new Date("2026-03-03T10:05:00Z");
    expect(await runSlot(env(), pullParts, now, now)).toBe("ran");
    const [run] = await sys((tx) => tx.select().from(jobRuns).where(and(eq(jobRuns.job, pullParts.name), eq(jobRuns.slot, now))));
    expect(["received", "processed"]).toContain((run!.detail as Record<string, string>).WH01);
    await processDueMessages(database.db, new Date(now.getTime() + 60_000));
    const stock = await sys((tx) => tx.select().from(partsStock).where(eq(partsStock.warehouse, "WH01")));
    expect(stock.map((s) => s.partNumber)).toContain("000000000050001234");
  });

  it("generates MES events with valid VINs", () => {
    for (let n = 0; n < 50; n++) expect(isValidVin(demoVin(100_000 + n))).toBe(true);
  });
});

describe("file drops", () => {
  it("processes a dropped file and files away what it cannot read", async () => {
    const inbox = fs.mkdtempSync(path.join(os.tmpdir(), "dp-inbox-"));
    const erp = path.join(inbox, "erp");
    fs.mkdirSync(erp, { recursive: true });
    const xml = fs.readFileSync(path.resolve("fixtures/erp/debmas-dealer-D031.xml"), "utf8").replace("0000000000731031", "0000000000770001");
    fs.writeFileSync(path.join(erp, "dealer-master-20260303.xml"), xml);
    fs.writeFileSync(path.join(erp, "holiday-photos.xml"), "<x/>");
    const counts = await pollInbox({ database, config: { ...config, INBOX_DIR: inbox }, log, slot: new Date(), now: new Date() });
    expect(counts).toEqual({ processed: 1, failed: 1 });
    expect(fs.existsSync(path.join(erp, "processed", "dealer-master-20260303.xml"))).toBe(true);
    expect(fs.readFileSync(path.join(erp, "failed", "holiday-photos.xml.error.txt"), "utf8")).toMatch(/start it with one of: dealer-master/);
    const [m] = await sys((tx) => tx.select().from(integrationMessages).where(eq(integrationMessages.messageId, "IDOC-0000000000770001")));
    expect(m).toMatchObject({ status: "processed", channel: "file" });
  });

  it("reads the message type from the file name, longest match first", () => {
    expect(typeFromFileName("erp", "dealer-master-1.xml")).toBe("dealer-master");
    expect(typeFromFileName("erp", "order-ack.xml")).toBe("order-ack");
    expect(typeFromFileName("bank", "statement-2026-03.xml")).toBe("statement");
    expect(typeFromFileName("erp", "x.xml")).toBeNull();
  });
});

describe("concurrent workers (PostgreSQL)", () => {
  it.skipIf(!usingPostgres)("never hand the same outbound message to two dispatchers", async () => {
    for (let i = 0; i < 20; i++) await enqueue2(`SO-PAR-${i}`);
    const [a, b] = await Promise.all([dispatchDueOutbound(database.db, () => ({ url: `${simulatorUrls.erp}/outbound/sales-order` })), dispatchDueOutbound(database.db, () => ({ url: `${simulatorUrls.erp}/outbound/sales-order` }))]);
    const ids = [...a!, ...b!].map((r) => r.messageId).filter((id) => id.startsWith("SO-PAR-"));
    expect(ids.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `SO-PAR-${i}`).sort());
    expect(new Set(ids).size).toBe(ids.length);
  });
  const enqueue2 = (messageId: string) =>
    sys((_tx, ctx) => enqueueOutbound(ctx, { system: "erp", type: "sales-order", messageId, contentType: "application/json", body: "{}" }));
});
