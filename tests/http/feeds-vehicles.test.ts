// MES production events and DMS dealer stock end to end (issue 3 §7), through the real HTTP endpoint
// and a real database: vehicles appear with their status and timeline, idempotently, out-of-order
// safe; the shared Reynolds sample lands in D001's stock; an unmapped dealer number fails until it
// is mapped and the message is reprocessed; and a dealer never sees another dealer's vehicles.
import crypto from "node:crypto";
import { and, count, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { auditLog, integrationMessages, organizations, vehicleEvents, vehicles } from "../../db/schema";
import { createOrganization, uniqueSuffix } from "../../db/factories";
import { vinCheckDigit } from "../../integration/common/vin";
import { processDueMessages, requeueMessages } from "../../integration/pipeline/process.server";
import { hasSamples, readFixture, readSample, samplesNote } from "../../integration/testing/samples";
import { inScope, systemCtx } from "../../portal/domain/context";
import { mapPartner } from "../../portal/domain/integration/partner-mappings.server";
import { openTestDatabase } from "../setup/db";
import { startTestServer, type TestServer } from "../setup/http";

let database: Database;
let server: TestServer;

beforeAll(async () => {
  database = await openTestDatabase({ seed: true });
  server = await startTestServer(database);
});
afterAll(async () => {
  await server?.close();
  await database?.close();
});

// Test files may share one PostgreSQL database: every id and VIN here is unique to this run.
const run = uniqueSuffix();
const sys = <T>(fn: Parameters<typeof inScope<T>>[1]) => inScope(systemCtx(database.db, "test"), fn);

function randomVin(prefix = "LHX1A2B3"): string {
  const draft = `${prefix}0S7${String(crypto.randomInt(0, 1_000_000)).padStart(6, "0")}`;
  return draft.slice(0, 8) + vinCheckDigit(draft) + draft.slice(9);
}
/** A well-formed VIN whose check digit is wrong (as in anonymised DMS exports). */
function badCheckDigitVin(): string {
  const vin = randomVin();
  return vin.slice(0, 8) + (vin[8] === "1" ? "2" : "1") + vin.slice(9);
}

const post = (pathname: string, body: Buffer | string, headers: Record<string, string>) =>
  server.request(pathname, { method: "POST", body: typeof body === "string" ? body : new Uint8Array(body), headers });
const sendMes = (body: unknown, headers: Record<string, string> = {}) =>
  post("/api/integration/mes/production-event", typeof body === "string" ? body : JSON.stringify(body), { "content-type": "application/json", "x-api-key": "demo-key-mes", ...headers });
const sendDms = (body: Buffer | string, query = "", headers: Record<string, string> = {}) =>
  post(`/api/integration/dms/vehicle-inventory${query}`, body, { "content-type": "application/xml", "x-api-key": "demo-key-dms", ...headers });

const vehicle = async (vin: string) => (await sys((tx) => tx.select().from(vehicles).where(eq(vehicles.vin, vin))))[0];
const eventsOf = (vin: string) => sys((tx) => tx.select().from(vehicleEvents).where(eq(vehicleEvents.vin, vin)).orderBy(vehicleEvents.sequence, vehicleEvents.id));
const auditsOf = (vin: string) => sys((tx) => tx.select().from(auditLog).where(and(eq(auditLog.entityType, "vehicle"), eq(auditLog.entityId, vin))));
const storedMessage = async (system: "mes" | "dms", messageId: string) =>
  (await sys((tx) => tx.select().from(integrationMessages).where(and(eq(integrationMessages.system, system), eq(integrationMessages.messageId, messageId)))))[0];

const event = (vin: string, n: number, stage: string, sequence: number, extra: Record<string, unknown> = {}) => ({
  eventId: `MES-${run}-${vin}-${n}`,
  vin,
  stage,
  occurredAt: new Date(Date.UTC(2025, 2, 5, 0, sequence)).toISOString(),
  sequence,
  plant: "P100",
  ...extra,
});

/** The batch fixture with this run's ids (and a tag per use) and fresh VINs. */
function batchFixture(tag: string) {
  const vinA = randomVin();
  const vinB = randomVin("JH4KA756");
  const text = readFixture("mes/production-events-batch.json")
    .toString("utf8")
    .replaceAll("1M8GDM9AXKP042788", vinA)
    .replaceAll("JH4KA7561PC008269", vinB)
    .replaceAll("MES-P100-20250305-", `MES-${run}-${tag}-`);
  return { text, vinA, vinB, batchId: `MES-${run}-${tag}-B0042` };
}

describe("MES production events", () => {
  it("applies one event: the vehicle appears in production with the event in its timeline, audited, visible to OEM staff", async () => {
    const vin = randomVin();
    const body = readFixture("mes/production-event.json").toString("utf8").replace("1HGCM82633A004352", vin).replace("MES-P100-20250305-000187", `MES-${run}-000187`);
    const res = await sendMes(body);
    expect(res.status).toBe(200);
    const ack = await res.json();
    expect(ack).toMatchObject({ messageId: `MES-${run}-000187`, status: "processed", errors: [], warnings: [] });
    expect(ack.summary).toMatchObject({ documentType: "production_event", documentNumber: `MES-${run}-000187`, partnerId: "P100", lineCount: 1 });

    expect(await vehicle(vin)).toMatchObject({ status: "in_production", organizationId: null, vinValid: true, location: "P100", orderReference: "0000451207", lastEventSequence: 3n });
    const events = await eventsOf(vin);
    expect(events.map((e) => [e.eventId, e.stage, e.sequence, e.stale])).toEqual([[`MES-${run}-000187`, "paint", 3n, false]]);
    expect(events[0]!.occurredAt.toISOString()).toBe("2025-03-05T01:41:27.120Z");
    expect((await auditsOf(vin)).map((a) => a.action)).toEqual(["vehicle.created"]);

    const admin = await server.login("admin@oem.example");
    const list = await server.request(`/vehicles?q=${vin}`, { cookie: admin });
    expect(list.status).toBe(200);
    expect(await list.text()).toContain(vin);
    const page = await server.request(`/vehicles/${vin}`, { cookie: admin });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`MES-${run}-000187`);
    expect(html).toContain('data-testid="vehicle-timeline"');
    // A lower-case VIN in the address finds the same vehicle.
    expect((await server.request(`/vehicles/${vin.toLowerCase()}`, { cookie: admin })).status).toBe(200);
  });

  it("applies a batch: every vehicle takes the status of its newest stage (shipped → in transit)", async () => {
    const { text, vinA, vinB, batchId } = batchFixture("BATCH");
    const res = await sendMes(text);
    expect(res.status).toBe(200);
    const ack = await res.json();
    expect(ack).toMatchObject({ messageId: batchId, status: "processed", errors: [] });
    expect(ack.summary).toMatchObject({ documentNumber: batchId, lineCount: 4 });
    expect(await vehicle(vinA)).toMatchObject({ status: "in_production", lastEventSequence: 2n, orderReference: "0000451300" });
    expect(await vehicle(vinB)).toMatchObject({ status: "in_transit", lastEventSequence: 7n });
    expect((await eventsOf(vinA)).map((e) => e.stage)).toEqual(["scheduled", "body"]);
    expect((await eventsOf(vinB)).map((e) => [e.stage, e.stale])).toEqual([
      ["quality_gate", false],
      ["shipped", false],
    ]);
    // One audit row per vehicle and message, not one per event.
    expect(await auditsOf(vinA)).toHaveLength(1);
    const [stored] = await sys((tx) => tx.select().from(integrationMessages).where(eq(integrationMessages.messageId, batchId)));
    expect(stored).toMatchObject({ status: "processed", businessKey: batchId });
  });

  it("orders the events of one batch by sequence: a batch listed out of order is not stale", async () => {
    const vin = randomVin();
    const res = await sendMes({ batchId: `MES-${run}-SHUFFLED`, events: [event(vin, 3, "assembly", 3), event(vin, 1, "scheduled", 1), event(vin, 2, "body", 2)] });
    expect((await res.json()).status).toBe("processed");
    expect(await vehicle(vin)).toMatchObject({ status: "in_production", lastEventSequence: 3n });
    expect((await eventsOf(vin)).map((e) => [e.sequence, e.stale])).toEqual([
      [1n, false],
      [2n, false],
      [3n, false],
    ]);
  });

  it("gives the same event sent twice one effect: the same acknowledgement, one timeline row, one audit row", async () => {
    const vin = randomVin();
    const body = JSON.stringify(event(vin, 1, "body", 2));
    const first = await (await sendMes(body)).json();
    const second = await (await sendMes(body)).json();
    expect(second).toEqual(first);
    expect(first.status).toBe("processed");
    // Concurrently, five more times.
    const parallel = await Promise.all(Array.from({ length: 5 }, () => sendMes(body).then((r) => r.json())));
    expect(parallel.every((a) => a.status === "processed")).toBe(true);
    // The same event under another message id is recognised as the same business document.
    const renamed = await (await sendMes(body, { "x-message-id": `resend-${run}-${vin}` })).json();
    expect(renamed).toMatchObject({ status: "duplicate", duplicateOf: `MES-${run}-${vin}-1` });
    expect(await eventsOf(vin)).toHaveLength(1);
    expect(await auditsOf(vin)).toHaveLength(1);
    // An event already recorded, inside a later batch, has no effect either (and says so).
    const batch = await (await sendMes({ batchId: `MES-${run}-AGAIN-${vin}`, events: [event(vin, 1, "body", 2)] })).json();
    expect(batch.status).toBe("processed");
    expect(batch.warnings).toEqual([expect.objectContaining({ field: "events.0.eventId", rule: "already_recorded" })]);
    expect(await eventsOf(vin)).toHaveLength(1);
  });

  it("keeps the state exact when a sender reuses an event id for another VIN: the reused event has no effect", async () => {
    const vinA = randomVin();
    const vinB = randomVin();
    const reused = event(vinA, 5, "end_of_line", 5);
    expect((await (await sendMes(reused)).json()).status).toBe("processed");
    const ack = await (await sendMes({ batchId: `MES-${run}-REUSE-${vinB}`, events: [{ ...reused, vin: vinB }, event(vinB, 2, "body", 2)] })).json();
    expect(ack.status).toBe("processed");
    expect(ack.warnings).toEqual([expect.objectContaining({ field: "events.0.eventId", rule: "already_recorded" })]);
    expect(await vehicle(vinB)).toMatchObject({ status: "in_production", lastEventSequence: 2n });
    expect((await eventsOf(vinB)).map((e) => [e.sequence, e.stale])).toEqual([[2n, false]]);
    expect(await vehicle(vinA)).toMatchObject({ status: "built", lastEventSequence: 5n });
  });

  it("records an older event after a newer one as stale: the message ends ignored_stale and the status stays", async () => {
    const vin = randomVin();
    expect((await (await sendMes(event(vin, 6, "quality_gate", 6))).json()).status).toBe("processed");
    expect((await vehicle(vin))!.status).toBe("built");
    const res = await sendMes(event(vin, 3, "paint", 3));
    expect(res.status).toBe(200);
    const ack = await res.json();
    expect(ack.status).toBe("ignored_stale");
    expect(ack.warnings).toEqual([expect.objectContaining({ field: "sequence", rule: "stale" })]);
    expect(await vehicle(vin)).toMatchObject({ status: "built", lastEventSequence: 6n });
    expect((await eventsOf(vin)).map((e) => [e.sequence, e.stage, e.stale])).toEqual([
      [3n, "paint", true],
      [6n, "quality_gate", false],
    ]);
    expect((await storedMessage("mes", `MES-${run}-${vin}-3`))?.status).toBe("ignored_stale");

    // A batch with one stale and one newer event is processed: the newer one applies.
    const mixed = await (await sendMes({ batchId: `MES-${run}-MIXED-${vin}`, events: [event(vin, 2, "body", 2), event(vin, 7, "shipped", 7)] })).json();
    expect(mixed.status).toBe("processed");
    expect(mixed.warnings).toEqual([expect.objectContaining({ field: "events.0.sequence", rule: "stale" })]);
    expect(await vehicle(vin)).toMatchObject({ status: "in_transit", lastEventSequence: 7n });

    const admin = await server.login("admin@oem.example");
    const html = await (await server.request(`/vehicles/${vin}`, { cookie: admin })).text();
    expect(html.match(/data-testid="event-stale"/g)).toHaveLength(2);
    expect(html.match(/data-testid="event"/g)).toHaveLength(2);
  });

  it("refuses a VIN with a wrong check digit from our own production, naming the field and the rule", async () => {
    const vin = badCheckDigitVin();
    const res = await sendMes(event(vin, 1, "scheduled", 1));
    expect(res.status).toBe(422);
    const ack = await res.json();
    expect(ack.status).toBe("failed");
    expect(ack.errors).toEqual([expect.objectContaining({ field: "vin", rule: "check_digit" })]);
    expect(await vehicle(vin)).toBeUndefined();
    // In a batch the field names the event.
    const batch = await (await sendMes({ batchId: `MES-${run}-BADVIN`, events: [event(randomVin(), 1, "scheduled", 1), event(vin, 2, "body", 2)] })).json();
    expect(batch.status).toBe("failed");
    expect(batch.errors).toEqual([expect.objectContaining({ field: "events.1.vin", rule: "check_digit" })]);
  });
});

describe(`DMS dealer vehicle inventory: the shared Reynolds sample, byte for byte${samplesNote}`, () => {
  it.skipIf(!hasSamples)("stores all 394 vehicles in D001's stock, with a warning for each VIN failing its check digit", async () => {
    const sample = readSample("star-dms/sample_vehicle_inventory_anonymized.xml");
    const res = await sendDms(sample);
    expect(res.status).toBe(200);
    const ack = await res.json();
    expect(ack.status).toBe("processed");
    expect(ack.summary).toMatchObject({ documentType: "vehicle_inventory", partnerId: "542951325614443", lineCount: 394, currency: "USD" });
    expect(ack.warnings).toHaveLength(384);
    expect(ack.warnings.every((w: { rule: string }) => w.rule === "check_digit")).toBe(true);

    const [d001] = await sys((tx) => tx.select().from(organizations).where(eq(organizations.code, "D001")));
    const rows = await sys((tx) => tx.select().from(vehicles).where(eq(vehicles.lastSeenInStockAt, new Date("2022-01-25T09:25:18Z"))));
    expect(rows).toHaveLength(394);
    expect(rows.every((v) => v.organizationId === d001!.id && v.status === "dealer_stock" && v.currency === "USD")).toBe(true);
    expect(rows.filter((v) => !v.vinValid)).toHaveLength(384);
    expect(rows.filter((v) => v.isNew === true)).toHaveLength(322);
    expect(rows.filter((v) => v.make !== "HONDA").length).toBeGreaterThan(0); // used cars of other makes too
    expect(rows.reduce((s, v) => s + (v.listPriceMinor ?? 0n), 0n)).toBe(1095068400n);
    expect(await vehicle("1FAKE4XT3MEYPK0CH")).toMatchObject({ make: "CHEVROLET", model: "EXPRESS 1500", modelYear: 2002, stockNumber: "22B7160B", isNew: false, location: "PARTS DLY", listPriceMinor: 0n });
    const [message] = await sys((tx) => tx.select().from(integrationMessages).where(eq(integrationMessages.messageId, ack.messageId)));
    expect(message).toMatchObject({ status: "processed", organizationId: d001!.id });

    // D001 sees its stock; D002 sees none of it, neither in the list, the CSV nor by address.
    const d001Cookie = await server.login("principal@d001.example");
    const ownList = await (await server.request("/vehicles?q=1FAKE4XT3MEYPK0CH", { cookie: d001Cookie })).text();
    expect(ownList).toContain("1FAKE4XT3MEYPK0CH");
    expect((await server.request("/vehicles/1FAKE4XT3MEYPK0CH", { cookie: d001Cookie })).status).toBe(200);
    const csv = await (await server.request("/vehicles.csv?make=chevrolet", { cookie: d001Cookie })).text();
    expect(csv).toContain("1FAKE4XT3MEYPK0CH");
    expect(csv).toContain("22B7160B");

    const d002Cookie = await server.login("principal@d002.example");
    const otherList = await server.request("/vehicles?size=100", { cookie: d002Cookie });
    expect(otherList.status).toBe(200);
    const otherHtml = await otherList.text();
    expect(otherHtml).not.toContain("1FAKE");
    expect(await (await server.request("/vehicles.csv", { cookie: d002Cookie })).text()).not.toContain("1FAKE");
    expect((await server.request("/vehicles/1FAKE4XT3MEYPK0CH", { cookie: d002Cookie })).status).toBe(404);
    expect((await server.request("/vehicles/1FAKE4XT3MEYPK0CH.data", { cookie: d002Cookie })).status).toBe(404);

    // The same file again changes nothing and answers the same acknowledgement.
    const again = await (await sendDms(sample)).json();
    expect(again).toEqual(ack);
  });
});

describe("DMS dealer vehicle inventory: our fixture", () => {
  const dealerNumber = `9${crypto.randomInt(1e9, 1e10 - 1)}`;
  let dealerId = "";
  const fromFactory = batchFixture("DMS");
  const honda = randomVin("1HGCM826");
  const porsche = badCheckDigitVin();
  const fixture = (bodId: string, created: string) =>
    readFixture("dms/star-vehicle-inventory-D001.xml")
      .toString("utf8")
      .replace("<star:DealerNumber>000771230001</star:DealerNumber>", `<star:DealerNumber>${dealerNumber}</star:DealerNumber>`)
      .replace("6f1d2c3a-0d1e-4a51-9d1f-5b7f1e9a0001", bodId)
      .replace("2025-03-05T22:10:00", created)
      .replace("1HGCM82633A004352", honda)
      .replace("1M8GDM9AXKP042788", fromFactory.vinB)
      .replace("WP0ZZZ99ZTS392124", porsche);

  it("fails a snapshot of an unmapped dealer number with 'unknown dealer …', also when only validating", async () => {
    const body = fixture(`${run}-0001`, "2025-03-05T22:10:00");
    const check = await sendDms(body, "?validateOnly=1");
    expect(check.status).toBe(200);
    expect(await check.json()).toMatchObject({ status: "validated", errors: [{ field: "DealerNumber", rule: "unknown_partner", message: `unknown dealer ${dealerNumber}` }] });

    const res = await sendDms(body);
    expect(res.status).toBe(422);
    const ack = await res.json();
    expect(ack).toMatchObject({ messageId: `BOD-${run}-0001`, status: "failed", errors: [{ field: "DealerNumber", rule: "unknown_partner", message: `unknown dealer ${dealerNumber}` }] });
    expect(await vehicle(honda)).toBeUndefined();
    expect((await storedMessage("dms", `BOD-${run}-0001`))?.lastError).toBe(`unknown dealer ${dealerNumber}`);
  });

  it("processes it after the dealer number is mapped and the message requeued: a factory vehicle arrives in dealer stock", async () => {
    // The factory shipped one of these vehicles first (MES): in transit, the OEM's.
    expect((await (await sendMes(fromFactory.text)).json()).status).toBe("processed");
    expect(await vehicle(fromFactory.vinB)).toMatchObject({ status: "in_transit", organizationId: null });

    const dealer = await createOrganization(database.db, { type: "dealer", name: `Fixture Motors ${run}` });
    dealerId = dealer.id;
    await mapPartner(systemCtx(database.db, "test"), { system: "dms", partnerId: dealerNumber, organizationId: dealer.id, note: "test" });
    const message = await storedMessage("dms", `BOD-${run}-0001`);
    expect(await requeueMessages(database.db, [message!.id])).toBe(1);
    for (let i = 0; i < 20 && (await storedMessage("dms", `BOD-${run}-0001`))?.status !== "processed"; i++) await processDueMessages(database.db);
    const done = await storedMessage("dms", `BOD-${run}-0001`);
    expect(done).toMatchObject({ status: "processed", organizationId: dealer.id, lastError: null });
    expect(done!.warnings).toEqual([expect.objectContaining({ field: "VehInvRec[3]/Vehicle/@Vin", rule: "check_digit" })]);

    const stock = await sys((tx) => tx.select().from(vehicles).where(eq(vehicles.organizationId, dealer.id)));
    expect(stock.map((v) => v.vin).sort()).toEqual([honda, fromFactory.vinB, porsche].sort());
    expect(stock.every((v) => v.status === "dealer_stock" && v.lastSeenInStockAt?.toISOString() === "2025-03-05T22:10:00.000Z")).toBe(true);
    expect(await vehicle(porsche)).toMatchObject({ vinValid: false, make: "PORSCHE", isNew: false, stockNumber: "U1002" });
    // The factory vehicle keeps its production history and gains the dealer's stock data.
    expect(await vehicle(fromFactory.vinB)).toMatchObject({ status: "dealer_stock", make: "MCI", stockNumber: "N2001", isNew: true, listPriceMinor: 58900000n, currency: "USD", lastEventSequence: 7n, orderReference: "0004471" });
    expect((await auditsOf(fromFactory.vinB)).map((a) => a.action).sort()).toEqual(["vehicle.created", "vehicle.status_changed"]);

    // A late factory event no longer moves a vehicle out of the dealer's stock.
    const late = await (await sendMes(event(fromFactory.vinB, 8, "shipped", 8))).json();
    expect(late.status).toBe("processed");
    expect(await vehicle(fromFactory.vinB)).toMatchObject({ status: "dealer_stock", organizationId: dealer.id, lastEventSequence: 8n });
  });

  it("marks a vehicle the next snapshot no longer lists as sold, and ignores an older snapshot arriving late", async () => {
    const without = fixture(`${run}-0002`, "2025-03-06T22:10:00").replace(/<star:VehInvRec>\s*<star:Vehicle VehicleYr="2003"[\s\S]*?<\/star:VehInvRec>/, "");
    const ack = await (await sendDms(without)).json();
    expect(ack).toMatchObject({ status: "processed", summary: { lineCount: 2 } });
    expect(await vehicle(honda)).toMatchObject({ status: "sold", organizationId: dealerId });
    expect(await vehicle(porsche)).toMatchObject({ status: "dealer_stock", lastSeenInStockAt: new Date("2025-03-06T22:10:00Z") });
    expect((await auditsOf(honda)).at(-1)).toMatchObject({ action: "vehicle.status_changed", before: expect.objectContaining({ status: "dealer_stock" }), after: expect.objectContaining({ status: "sold" }) });

    const older = await (await sendDms(fixture(`${run}-0000`, "2025-03-04T22:10:00"))).json();
    expect(older.status).toBe("ignored_stale");
    expect(older.warnings).toEqual(expect.arrayContaining([expect.objectContaining({ rule: "stale" })]));
    expect((await vehicle(honda))!.status).toBe("sold");

    // Listed again (a trade-in coming back), it returns to stock.
    const back = await (await sendDms(fixture(`${run}-0003`, "2025-03-07T22:10:00"))).json();
    expect(back.status).toBe("processed");
    expect(await vehicle(honda)).toMatchObject({ status: "dealer_stock", organizationId: dealerId });
    const [n] = await sys((tx) => tx.select({ n: count() }).from(vehicles).where(and(eq(vehicles.organizationId, dealerId), inArray(vehicles.status, ["dealer_stock"]))));
    expect(n!.n).toBe(3);
  });

  it("lists the dealer's vehicles for OEM staff with a status chart, filters and sorting, and refuses unknown sort columns", async () => {
    const admin = await server.login("admin@oem.example");
    const [org] = await sys((tx) => tx.select().from(organizations).where(eq(organizations.id, dealerId)));
    const res = await server.request(`/vehicles?dealer=${org!.code}&sort=vin&dir=asc&status=dealer_stock`, { cookie: admin });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('data-testid="vehicles-by-status"');
    const shown = [...html.matchAll(/data-testid="vehicle-link"[^>]*>([A-Z0-9]{17})</g)].map((m) => m[1]);
    expect(shown).toEqual([honda, fromFactory.vinB, porsche].sort());
    const injected = await server.request(`/vehicles?sort=${encodeURIComponent("vin; drop table vehicles")}`, { cookie: admin });
    expect(injected.status).toBe(200);
    const used = await (await server.request(`/vehicles.csv?dealer=${org!.code}&condition=used`, { cookie: admin })).text();
    expect(used.split("\r\n").filter(Boolean).slice(1)).toHaveLength(2); // the header, then one line per vehicle
    expect(used).toContain(porsche);
    expect(used).not.toContain(fromFactory.vinB);
  });
});

describe("screen access", () => {
  it("keeps the vehicle screens from users without inventory access and from other dealers", async () => {
    const finance = await server.login("finance@d001.example"); // dealer_finance: no inventory:read
    expect((await server.request("/vehicles", { cookie: finance })).status).toBe(404);
    expect((await server.request("/vehicles.csv", { cookie: finance })).status).toBe(404);
    expect((await server.request("/vehicles")).status).toBe(302);
    const d002 = await server.login("principal@d002.example");
    const [anyD001] = await sys((tx) =>
      tx.select({ vin: vehicles.vin }).from(vehicles).innerJoin(organizations, eq(organizations.id, vehicles.organizationId)).where(eq(organizations.code, "D001")).limit(1),
    );
    if (anyD001) expect((await server.request(`/vehicles/${anyD001.vin}`, { cookie: d002 })).status).toBe(404);
    expect((await server.request("/vehicles/NOT-A-VIN", { cookie: d002 })).status).toBe(404);
    const counts = await sys((tx) => tx.select({ n: sql<number>`count(*)::int` }).from(vehicles));
    expect(counts[0]!.n).toBeGreaterThan(0);
  });
});
