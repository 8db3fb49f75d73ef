// The ERP material master and parts-stock feeds end to end through the real endpoint and worker:
// models and parts with their exact material numbers, a snapshot applied with safety-stock alerts
// raised and cleared, out-of-order snapshots, refusals with field and rule, a 20,000-line snapshot
// applied in committed batches with progress, and a worker killed (SIGKILL) in the middle of a
// snapshot whose restart ends in exactly the state of an uninterrupted run.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../db/client";
import { auditLog, integrationMessages, parts, partsStock, stockAlerts, vehicleModels } from "../../db/schema";
import { generatePartsStock } from "../../fixtures/generate-parts-stock";
import { partsStockFeed } from "../../integration/erp/parts-stock-feed.server";
import type { Feed } from "../../integration/pipeline/feed";
import { processBulkMessage, processMessageNow, requeueMessages } from "../../integration/pipeline/process.server";
import { receiveMessage } from "../../integration/pipeline/receive.server";
import { inScope, systemCtx } from "../../portal/domain/context";
import { openTestDatabase, usingPostgres } from "../setup/db";
import { startTestServer, type TestServer } from "../setup/http";

type BulkFeed = Feed & { bulk: NonNullable<Feed["bulk"]> };

let database: Database;
let server: TestServer;
const matmas = fs.readFileSync(path.resolve("fixtures/erp/matmas-vehicle-and-parts.xml"));
const wh01 = fs.readFileSync(path.resolve("fixtures/erp/parts-stock-WH01.xml"), "utf8");
// Unique names, so the test also runs against a shared PostgreSQL test database.
const run = Date.now().toString(36).slice(-6).toUpperCase();

beforeAll(async () => {
  database = await openTestDatabase({ seed: true });
  server = await startTestServer(database);
});
afterAll(async () => {
  await server?.close();
  await database?.close();
});

const sysOn = (db: Database) => <T,>(fn: Parameters<typeof inScope<T>>[1]) => inScope(systemCtx(db.db, "test"), fn);
const sys = <T,>(fn: Parameters<typeof inScope<T>>[1]) => sysOn(database)(fn);
const send = (type: string, body: Buffer | string, headers: Record<string, string> = {}) =>
  server.request(`/api/integration/erp/${type}`, {
    method: "POST",
    body: typeof body === "string" ? body : new Uint8Array(body),
    headers: { "content-type": "application/xml", "x-api-key": "demo-key-erp", ...headers },
  });
const messageRow = async (db: Database, messageId: string) =>
  (await sysOn(db)((tx) => tx.select().from(integrationMessages).where(and(eq(integrationMessages.system, "erp"), eq(integrationMessages.messageId, messageId)))))[0]!;
const stockOf = (db: Database, warehouse: string) =>
  sysOn(db)((tx) =>
    tx
      .select({ part: partsStock.partNumber, quantity: partsStock.quantity, safety: partsStock.safetyStock })
      .from(partsStock)
      .where(eq(partsStock.warehouse, warehouse))
      .orderBy(asc(partsStock.partNumber)),
  );
const alertsOf = (db: Database, warehouse: string) =>
  sysOn(db)((tx) =>
    tx
      .select({ part: stockAlerts.subject, threshold: stockAlerts.threshold, level: stockAlerts.level, open: sql<boolean>`${stockAlerts.clearedAt} is null` })
      .from(stockAlerts)
      .where(and(eq(stockAlerts.kind, "part"), eq(stockAlerts.scopeKey, warehouse)))
      .orderBy(asc(stockAlerts.subject), asc(stockAlerts.raisedAt)),
  );
/**
 * Processes a stored message now. On a shared PostgreSQL test database another test file's worker may
 * have claimed it first: then wait for that worker to finish it and answer its acknowledgement.
 */
async function applyNow(id: string, db: Database = database, now = new Date()) {
  const ack = await processMessageNow(db.db, id, now);
  if (ack) return ack;
  for (let i = 0; i < 300; i++) {
    const [row] = await sysOn(db)((tx) => tx.select().from(integrationMessages).where(eq(integrationMessages.id, id)));
    if (row && !["received", "processing"].includes(row.status)) return row.ack as Awaited<ReturnType<typeof processMessageNow>>;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`message ${id} was not processed`);
}
/** The fixture as another warehouse's snapshot, taken `hours` later, with the lines given. */
const wh01As = (warehouse: string, hours = 0, lines?: string) => {
  const takenAt = new Date(Date.parse("2025-03-04T06:00:00Z") + hours * 3600_000).toISOString();
  let xml = wh01.replace('warehouse="WH01"', `warehouse="${warehouse}"`).replace('snapshotId="WH01-20250304T0600"', `snapshotId="${warehouse}-${hours}"`).replace('takenAt="2025-03-04T06:00:00Z"', `takenAt="${takenAt}"`);
  if (lines !== undefined) xml = xml.replace(/ lineCount="\d+"/, "").replace(/<Line[\s\S]*<\/PartsStockSnapshot>/, `${lines}\n</PartsStockSnapshot>`);
  return xml;
};

describe("ERP material master", () => {
  it("creates vehicle models and parts with their exact material numbers, names in both languages, safety stock from the plant", async () => {
    const res = await send("material-master", matmas);
    expect(res.status).toBe(200);
    const ack = await res.json();
    expect(ack).toMatchObject({ messageId: "IDOC-0000000000812001", status: "processed", errors: [] });
    expect(ack.summary).toMatchObject({ documentType: "material_master", lineCount: 3 });
    const [model] = await sys((tx) => tx.select().from(vehicleModels).where(eq(vehicleModels.materialNumber, "000000000000400123")));
    expect(model).toMatchObject({ nameZh: "极光 S7 2.0T 四驱 尊享版", nameEn: "Aurora S7 2.0T AWD Premium", materialGroup: "VEH-SUV", active: true });
    const rows = await sys((tx) => tx.select().from(parts).where(sql`${parts.partNumber} in ('000000000050001234', 'AU-7L0-698-151')`).orderBy(asc(parts.partNumber)));
    expect(rows.map((p) => [p.partNumber, p.descriptionZh, p.descriptionEn, p.baseUnit, p.safetyStock, p.active])).toEqual([
      ["000000000050001234", "机油滤清器 2.0T", "Oil filter 2.0T", "ST", 40, true],
      // No Chinese text: the English one stands in; deleted in the ERP (LVORM): inactive, not removed.
      ["AU-7L0-698-151", "Brake pad set, front", "Brake pad set, front", "SET", null, false],
    ]);
    const audits = await sys((tx) => tx.select().from(auditLog).where(and(eq(auditLog.action, "catalog.material_master_applied"), eq(auditLog.entityId, "0000000000812001"))));
    expect(audits.length).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(audits[0]!.after)).toContain("000000000050001234");
  });

  it("answers the same message again with the same acknowledgement and changes nothing", async () => {
    const before = await sys((tx) => tx.select().from(parts).where(eq(parts.partNumber, "000000000050001234")));
    const again = await (await send("material-master", matmas)).json();
    expect(again).toMatchObject({ messageId: "IDOC-0000000000812001", status: "processed" });
    expect(await sys((tx) => tx.select().from(parts).where(eq(parts.partNumber, "000000000050001234")))).toEqual(before);
  });

  it("updates a changed record, audits the change compactly and re-evaluates the part's alerts", async () => {
    const docnum = `09${run}12001`;
    const body = matmas.toString("utf8").replace("0000000000812001", docnum).replace("<EISBE>40.000</EISBE>", "<EISBE>45.000</EISBE>");
    const ack = await (await send("material-master", body)).json();
    expect(ack).toMatchObject({ messageId: `IDOC-${docnum}`, status: "processed" });
    const [filter] = await sys((tx) => tx.select().from(parts).where(eq(parts.partNumber, "000000000050001234")));
    expect(filter!.safetyStock).toBe(45);
    const [audit] = await sys((tx) => tx.select().from(auditLog).where(and(eq(auditLog.action, "catalog.material_master_applied"), eq(auditLog.entityId, docnum))));
    expect(audit!.after).toMatchObject({ created: 0, updated: 1, changes: [{ number: "000000000050001234", kind: "part", changes: { safetyStock: [40, 45] } }] });
    // Back to 40 for the tests below.
    await (await send("material-master", matmas.toString("utf8").replace("0000000000812001", `08${run}12001`))).json();
    expect((await sys((tx) => tx.select().from(parts).where(eq(parts.partNumber, "000000000050001234"))))[0]!.safetyStock).toBe(40);
  });
});

const warehouse = `W${run}`;

describe("ERP parts-stock snapshot", () => {
  it("is stored and acknowledged at once (202), then applied by the worker: quantities, leading zeros, alerts below threshold", async () => {
    const res = await send("parts-stock", wh01As(warehouse));
    expect(res.status).toBe(202);
    const ack = await res.json();
    expect(ack).toMatchObject({ messageId: `PARTS-STOCK-${warehouse}-${warehouse}-0`, status: "received", progress: { done: 0, total: 6 } });
    expect(ack.summary).toMatchObject({ documentType: "parts_stock", warehouse, lineCount: 6, takenAt: "2025-03-04T06:00:00.000Z" });
    const row = await messageRow(database, ack.messageId);
    const done = await applyNow(row.id);
    expect(done).toMatchObject({ status: "processed", progress: { done: 6, total: 6 } });
    expect(done!.warnings).toEqual([expect.objectContaining({ rule: "unknown_part" })]);

    expect(await stockOf(database, warehouse)).toEqual([
      { part: "000000000050001234", quantity: 12n, safety: null },
      { part: "000000000050001240", quantity: 150n, safety: 20 },
      { part: "000000000050001250", quantity: 4n, safety: 10 },
      { part: "000000000050001260", quantity: 0n, safety: 0 },
      { part: "000000000050001270", quantity: 25n, safety: null },
      { part: "AU-7L0-698-151", quantity: 3n, safety: null },
    ]);
    // 12 < 40 (the part's own threshold), 4 < 10 (the warehouse's); 0 is not below 0; inactive parts never alert.
    expect(await alertsOf(database, warehouse)).toEqual([
      { part: "000000000050001234", threshold: 40n, level: 12n, open: true },
      { part: "000000000050001250", threshold: 10n, level: 4n, open: true },
    ]);
    const after = await messageRow(database, ack.messageId);
    expect(after).toMatchObject({ status: "processed", progressDone: 6, progressTotal: 6 });
    // The sender asking again gets the final acknowledgement.
    const replay = await send("parts-stock", wh01As(warehouse));
    expect(replay.status).toBe(200);
    expect(await replay.json()).toMatchObject({ status: "processed" });
  });

  it("clears an alert when stock recovers, keeps one open (with its new level), and sets parts missing from the snapshot to 0", async () => {
    const lines = ['<Line part="000000000050001234" qty="50"/>', '<Line part="000000000050001240" qty="140" safety="20"/>', '<Line part="000000000050001260" qty="0" safety="0"/>', '<Line part="AU-7L0-698-151" qty="3"/>'].join("\n");
    const res = await send("parts-stock", wh01As(warehouse, 1, lines));
    const ack = await res.json();
    expect(res.status).toBe(202);
    expect(await applyNow((await messageRow(database, ack.messageId)).id)).toMatchObject({ status: "processed" });
    const stock = Object.fromEntries((await stockOf(database, warehouse)).map((s) => [s.part, s.quantity]));
    expect(stock).toMatchObject({ "000000000050001234": 50n, "000000000050001250": 0n, "000000000050001270": 0n });
    expect(await alertsOf(database, warehouse)).toEqual([
      { part: "000000000050001234", threshold: 40n, level: 50n, open: false },
      { part: "000000000050001250", threshold: 10n, level: 0n, open: true },
    ]);
    const audit = await sys((tx) => tx.select().from(auditLog).where(and(eq(auditLog.action, "parts_stock.snapshot_applied"), eq(auditLog.entityId, warehouse))));
    expect(audit).toHaveLength(2);
    expect(audit.map((a) => (a.after as { cleared: number }).cleared).sort()).toEqual([0, 1]);
  });

  it("ignores a snapshot older than the one applied (out of order) and changes nothing", async () => {
    const before = await stockOf(database, warehouse);
    const ack = await (await send("parts-stock", wh01As(warehouse, -1))).json();
    expect(await applyNow((await messageRow(database, ack.messageId)).id)).toMatchObject({ status: "ignored_stale" });
    expect(await stockOf(database, warehouse)).toEqual(before);
  });

  it("gives the same result through the feed's one-transaction apply (small documents)", async () => {
    const other = `I${run}`;
    const body = Buffer.from(wh01As(other));
    const { document } = partsStockFeed.parse(body);
    const [row] = await sys((tx) =>
      tx
        .insert(integrationMessages)
        .values({ system: "erp", direction: "inbound", messageType: "test-inline-parts-stock", messageId: `inline-${run}`, contentHash: "x", contentType: "application/xml", payload: body, sizeBytes: body.length, channel: "file", status: "processing", leaseUntil: new Date(Date.now() + 86_400_000) })
        .returning(),
    );
    const outcome = await inScope(systemCtx(database.db, "test"), async (tx, c) => {
      const result = await partsStockFeed.apply(c, document, row!);
      await tx.update(integrationMessages).set({ status: "processed", leaseUntil: null }).where(eq(integrationMessages.id, row!.id));
      return result;
    });
    expect(outcome.warnings).toEqual([expect.objectContaining({ rule: "unknown_part" })]);
    const here = await stockOf(database, other);
    expect(here.map((r) => [r.part, r.quantity])).toEqual([
      ["000000000050001234", 12n],
      ["000000000050001240", 150n],
      ["000000000050001250", 4n],
      ["000000000050001260", 0n],
      ["000000000050001270", 25n],
      ["AU-7L0-698-151", 3n],
    ]);
    expect((await alertsOf(database, other)).map((a) => a.part)).toEqual(["000000000050001234", "000000000050001250"]);
  });

  it("flags the same snapshot under a new message id as a duplicate", async () => {
    const res = await send("parts-stock", wh01As(warehouse), { "x-message-id": `other-id-${run}` });
    expect(await res.json()).toMatchObject({ status: "duplicate" });
  });

  it("refuses a decimal quantity with field and rule (422) and applies nothing", async () => {
    const other = `D${run}`;
    const res = await send("parts-stock", wh01As(other).replace('qty="12"', 'qty="12.5"').replace('qty="3"', 'qty="-3"'));
    expect(res.status).toBe(422);
    const ack = await res.json();
    expect(ack.status).toBe("failed");
    expect(ack.errors).toEqual([
      expect.objectContaining({ field: "Line[1]/@qty", rule: "integer" }),
      expect.objectContaining({ field: "Line[2]/@qty", rule: "non_negative" }),
    ]);
    expect(await stockOf(database, other)).toEqual([]);
    // Requeued by someone anyway: the worker validates it again (no line count was stored) and
    // ends it dead without applying a single line.
    const stored = await messageRow(database, ack.messageId);
    expect(stored).toMatchObject({ status: "failed", progressTotal: null });
    expect(await requeueMessages(database.db, [stored.id])).toBe(1);
    expect(await applyNow(stored.id)).toMatchObject({ status: "dead", errors: [expect.objectContaining({ rule: "integer" }), expect.objectContaining({ rule: "non_negative" })] });
    expect(await stockOf(database, other)).toEqual([]);
    // ?validateOnly=1 tells the same without storing anything.
    const check = await send("parts-stock?validateOnly=1", wh01As(`V${run}`).replace('qty="12"', 'qty="1.0"'));
    expect(check.status).toBe(200);
    expect((await check.json()).errors[0]).toMatchObject({ field: "Line[1]/@qty", rule: "integer" });
  });

  it("refuses a DOCTYPE (XXE) with 400 before reading on", async () => {
    const res = await send("parts-stock", `<?xml version="1.0"?><!DOCTYPE s [<!ENTITY x SYSTEM "file:///etc/passwd">]><PartsStockSnapshot snapshotId="x" warehouse="X${run}" takenAt="2025-03-04T06:00:00Z">&x;</PartsStockSnapshot>`, { "x-message-id": `xxe-${run}` });
    expect(res.status).toBe(400);
    expect((await res.json()).errors[0]).toMatchObject({ rule: "dtd_forbidden" });
  });
});

describe("parts-stock and stock-alert screens", () => {
  it("lists stock per warehouse × part for OEM staff, below-threshold highlighted, with CSV", async () => {
    const admin = await server.login("admin@oem.example");
    const res = await server.request(`/parts?warehouse=${warehouse}&sort=part&dir=asc`, { cookie: admin });
    expect(res.status).toBe(200);
    const html = await res.text();
    for (const part of ["000000000050001234", "000000000050001250", "000000000050001270", "AU-7L0-698-151"]) expect(html).toContain(part);
    expect(html).toMatch(/机油滤清器 2\.0T|Oil filter 2\.0T/);
    expect(html).toContain('data-testid="below-threshold"');
    const below = await (await server.request(`/parts?warehouse=${warehouse}&below=1`, { cookie: admin })).text();
    expect(below).toContain("000000000050001250");
    expect(below).not.toContain("000000000050001234"); // recovered to 50 ≥ 40
    const csv = await server.request(`/parts.csv?warehouse=${warehouse}&sort=quantity&dir=desc`, { cookie: admin });
    expect(csv.headers.get("content-type")).toMatch(/text\/csv/);
    const lines = (await csv.text()).trim().split("\r\n");
    expect(lines).toHaveLength(7);
    expect(lines[1]).toContain("000000000050001240"); // the largest quantity first, leading zeros kept
  });

  it("shows dealers only the active parts they may order, and hides the page from roles without inventory access", async () => {
    await sys((tx) => tx.update(parts).set({ dealerVisible: false }).where(eq(parts.partNumber, "000000000050001234")));
    try {
      const dealer = await server.login("service@d001.example");
      const html = await (await server.request(`/parts?warehouse=${warehouse}`, { cookie: dealer })).text();
      expect(html).not.toContain("000000000050001234"); // kept from dealers
      expect(html).not.toContain("AU-7L0-698-151"); // inactive
      expect(html).not.toContain("000000000050001270"); // not in the material master
      const csv = await (await server.request(`/parts.csv?warehouse=${warehouse}`, { cookie: dealer })).text();
      expect(csv).not.toContain("000000000050001234");
      const fleet = await server.login("fleet@f001.example");
      expect((await server.request("/parts", { cookie: fleet })).status).toBe(404);
      expect((await server.request("/parts/alerts", { cookie: fleet })).status).toBe(404);
    } finally {
      await sys((tx) => tx.update(parts).set({ dealerVisible: true }).where(eq(parts.partNumber, "000000000050001234")));
    }
  });

  it("lists alerts open first with CSV, and lets OEM staff acknowledge one (audited, once); dealers can neither see nor acknowledge warehouse alerts", async () => {
    const admin = await server.login("admin@oem.example");
    const html = await (await server.request(`/parts/alerts?warehouse=${warehouse}`, { cookie: admin })).text();
    const open = html.indexOf("000000000050001250");
    const cleared = html.indexOf("000000000050001234");
    expect(open).toBeGreaterThan(0);
    expect(cleared).toBeGreaterThan(open); // open first
    const [alert] = await sys((tx) => tx.select().from(stockAlerts).where(and(eq(stockAlerts.scopeKey, warehouse), eq(stockAlerts.subject, "000000000050001250"), sql`${stockAlerts.clearedAt} is null`)));

    const dealer = await server.login("principal@d001.example");
    expect(await (await server.request(`/parts/alerts?warehouse=${warehouse}`, { cookie: dealer })).text()).not.toContain("000000000050001250");
    expect((await server.post(`/parts/alerts`, { alertId: alert!.id }, dealer)).status).toBe(404);
    expect((await sys((tx) => tx.select().from(stockAlerts).where(eq(stockAlerts.id, alert!.id))))[0]!.acknowledgedBy).toBeNull();

    const res = await server.post(`/parts/alerts?warehouse=${warehouse}`, { alertId: alert!.id }, admin);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/parts/alerts?warehouse=${warehouse}`);
    expect((await sys((tx) => tx.select().from(stockAlerts).where(eq(stockAlerts.id, alert!.id))))[0]!.acknowledgedBy).toBe("admin@oem.example");
    const audits = await sys((tx) => tx.select().from(auditLog).where(and(eq(auditLog.action, "stock_alert.acknowledged"), eq(auditLog.entityId, alert!.id))));
    expect(audits).toHaveLength(1);
    expect((await server.post(`/parts/alerts`, { alertId: alert!.id }, admin)).status).toBe(409);
    expect((await server.post(`/parts/alerts`, { alertId: "not-an-id" }, admin)).status).toBe(404);

    const csv = await (await server.request(`/parts/alerts.csv?warehouse=${warehouse}&status=open`, { cookie: admin })).text();
    expect(csv).toContain("000000000050001250");
    expect(csv).toContain("admin@oem.example");
    expect(csv).not.toContain("000000000050001234");
  });
});

describe("a large snapshot in batches", () => {
  it("applies 20,000 lines in committed batches of 5,000 with the progress on the message", async () => {
    const warehouse = `B${run}`;
    const body = generatePartsStock({ lines: 20_000, warehouse });
    const res = await send("parts-stock", body);
    expect(res.status).toBe(202);
    const { messageId } = await res.json();
    const { id } = await messageRow(database, messageId);
    // Claimed for this test with a clock days ahead: no other worker sharing a PostgreSQL test
    // database can take it over while the test looks at it between batches.
    const far = new Date(Date.now() + 3 * 86_400_000);
    await sys((tx) => tx.update(integrationMessages).set({ status: "processing", leaseUntil: new Date(far.getTime() + 300_000) }).where(and(eq(integrationMessages.id, id), eq(integrationMessages.status, "received"))));
    const message = await messageRow(database, messageId);
    expect(message.status).toBe("processing");
    const seen: [string, number, number | null, number][] = [];
    const ack = await processBulkMessage(database.db, message, partsStockFeed as BulkFeed, far, {
      onProgress: async () => {
        const row = await messageRow(database, messageId);
        // Each batch is committed with the cursor: the table holds exactly the lines it says.
        seen.push([row.status, row.progressDone, row.progressTotal, (await stockOf(database, warehouse)).length]);
      },
    });
    expect(seen).toEqual([
      ["processing", 5_000, 20_000, 5_000],
      ["processing", 10_000, 20_000, 10_000],
      ["processing", 15_000, 20_000, 15_000],
      ["processing", 20_000, 20_000, 20_000],
    ]);
    expect(ack).toMatchObject({ status: "processed", progress: { done: 20_000, total: 20_000 } });
    // Every line below its threshold has an open alert, and no other line has one.
    const [counts] = await sys((tx) =>
      tx
        .select({
          below: sql<number>`count(*) filter (where ${partsStock.quantity} < ${partsStock.safetyStock})::int`,
          alerts: sql<number>`(select count(*)::int from stock_alerts where kind = 'part' and scope_key = ${warehouse} and cleared_at is null)`,
        })
        .from(partsStock)
        .where(eq(partsStock.warehouse, warehouse)),
    );
    expect(counts!.below).toBeGreaterThan(100);
    expect(counts!.alerts).toBe(counts!.below);
  });

  // On PGlite only: on a shared PostgreSQL test database another file's worker may take the message
  // while it waits in the queue between two runs.
  it.skipIf(usingPostgres)("puts a long import back in the queue with its cursor after maxBatches, and the next run resumes there", async () => {
    const warehouse = `Q${run}`;
    const { messageId } = await (await send("parts-stock", generatePartsStock({ lines: 12_000, warehouse }))).json();
    const { id } = await messageRow(database, messageId);
    expect(await processMessageNow(database.db, id, new Date(), { maxBatches: 1 })).toMatchObject({ status: "received", progress: { done: 5_000, total: 12_000 } });
    expect(await messageRow(database, messageId)).toMatchObject({ status: "received", progressDone: 5_000, leaseUntil: null });
    expect((await stockOf(database, warehouse)).length).toBe(5_000);
    const resumed: number[] = [];
    expect(await processMessageNow(database.db, id, new Date(), { onProgress: (p) => {
      resumed.push(p.done);
    } })).toMatchObject({ status: "processed" });
    expect(resumed).toEqual([10_000, 12_000]);
    expect((await stockOf(database, warehouse)).length).toBe(12_000);
  });
});

describe("a worker killed in the middle of a snapshot", () => {
  it("resumes after kill -9 and ends in exactly the state of an uninterrupted run, nothing applied twice", async () => {
    // PostgreSQL: the shared test database. PGlite: a database folder the worker process opens.
    const dir = usingPostgres ? null : fs.mkdtempSync(path.join(os.tmpdir(), "dp-crash-"));
    let db: Database = usingPostgres ? database : await openDatabase({ dataDir: path.join(dir!, "pglite") });
    const lines = 20_000;
    const reference = `R${run}`;
    const crashed = `C${run}`;
    const t0 = new Date();
    const receive = async (warehouse: string) => {
      const body = generatePartsStock({ lines, warehouse, snapshotId: `S-${warehouse}` });
      const { ack } = await receiveMessage(db.db, { feed: partsStockFeed as Feed, body, contentType: "application/xml", channel: "file" }, t0);
      return (await messageRow(db, ack.messageId)).id;
    };
    try {
      const referenceId = await receive(reference);
      expect(await applyNow(referenceId, db, t0)).toMatchObject({ status: "processed" });
      const crashId = await receive(crashed);
      // Claimed for the worker process with a long lease, so that no other worker (another test file
      // sharing the PostgreSQL database) takes it while that process starts or after it is killed.
      await sysOn(db)((tx) =>
        tx.update(integrationMessages).set({ status: "processing", leaseUntil: new Date(t0.getTime() + 3 * 86_400_000) }).where(and(eq(integrationMessages.id, crashId), eq(integrationMessages.status, "received"))),
      );
      if (!usingPostgres) await db.close();

      const child = spawn(process.execPath, ["--import", "tsx", path.resolve("tests/http/feeds-parts.crash-worker.ts")], {
        env: {
          ...process.env,
          CRASH_DB_URL: process.env.TEST_DATABASE_URL ?? "",
          CRASH_PGLITE_DIR: dir ? path.join(dir, "pglite") : "",
          CRASH_MESSAGE_ID: crashId,
          CRASH_NOW: t0.toISOString(),
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let printed = "";
      let stderr = "";
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      const exit = new Promise<NodeJS.Signals | number | null>((resolve) => child.on("exit", (code, signal) => resolve(signal ?? code)));
      child.stdout.on("data", (d: Buffer) => {
        printed += d.toString();
        // The first batch is committed: kill it while it works on the next one.
        if (/progress \d+/.test(printed)) child.kill("SIGKILL");
      });
      const ended = await exit;
      expect(ended, `worker output: ${printed} ${stderr}`).toBe("SIGKILL");
      expect(printed).not.toMatch(/finished/);

      if (!usingPostgres) db = await openDatabase({ dataDir: path.join(dir!, "pglite"), migrate: false });
      const halfway = await sysOn(db)((tx) => tx.select().from(integrationMessages).where(eq(integrationMessages.id, crashId)));
      expect(halfway[0]).toMatchObject({ status: "processing" });
      const cursor = halfway[0]!.progressDone;
      expect(cursor % 5_000).toBe(0);
      expect(cursor).toBeGreaterThanOrEqual(5_000);
      expect(cursor).toBeLessThan(lines);
      // Exactly the committed batches are in the table: the half-done batch left nothing behind.
      expect((await stockOf(db, crashed)).length).toBe(cursor);

      // A restarted worker takes the message back once its lease has run out and resumes at the cursor.
      const later = new Date(t0.getTime() + 4 * 86_400_000);
      const resumed: number[] = [];
      const ack = await processMessageNow(db.db, crashId, later, {
        onProgress: (p) => {
          resumed.push(p.done);
        },
      });
      expect(ack).toMatchObject({ status: "processed", progress: { done: lines, total: lines } });
      expect(resumed[0]).toBe(cursor + 5_000);

      const strip = <T extends { part: string }>(rows: T[]) => rows;
      expect(strip(await stockOf(db, crashed))).toEqual(strip(await stockOf(db, reference)));
      expect(await alertsOf(db, crashed)).toEqual(await alertsOf(db, reference));
      expect((await stockOf(db, crashed)).length).toBe(lines);
      const finishes = await sysOn(db)((tx) => tx.select().from(auditLog).where(and(eq(auditLog.action, "parts_stock.snapshot_applied"), eq(auditLog.entityId, crashed))));
      expect(finishes).toHaveLength(1);
    } finally {
      if (!usingPostgres) {
        await db.close().catch(() => {});
        fs.rmSync(dir!, { recursive: true, force: true });
      }
    }
  });
});
