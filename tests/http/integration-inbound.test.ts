// The inbound pipeline through the real HTTP endpoint, proven on the ERP dealer-master feed:
// authentication, size caps, hostile XML, idempotency under repetition and concurrency,
// validate-only, acknowledgements, status lookups, retries and the message store's own rules.
import fs from "node:fs";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { auditLog, integrationMessages, organizations, partnerMappings } from "../../db/schema";
import { sign } from "../../integration/pipeline/auth.server";
import { processDueMessages, requeueMessages } from "../../integration/pipeline/process.server";
import { inScope, systemCtx } from "../../portal/domain/context";
import { openTestDatabase } from "../setup/db";
import { startTestServer, type TestServer } from "../setup/http";

let database: Database;
let server: TestServer;
const debmas = fs.readFileSync(path.resolve("fixtures/erp/debmas-dealer-D031.xml"));
const dealerJson = fs.readFileSync(path.resolve("fixtures/erp/dealer-master.json"));

beforeAll(async () => {
  database = await openTestDatabase({ seed: true });
  server = await startTestServer(database);
});
afterAll(async () => {
  await server?.close();
  await database?.close();
});

const sys = <T>(fn: Parameters<typeof inScope<T>>[1]) => inScope(systemCtx(database.db, "test"), fn);
const send = (pathname: string, body: Buffer | string, headers: Record<string, string> = {}) =>
  server.request(pathname, { method: "POST", body: typeof body === "string" ? body : new Uint8Array(body), headers: { "content-type": "application/xml", "x-api-key": "demo-key-erp", ...headers } });
const messagesWithId = (messageId: string) =>
  sys((tx) => tx.select().from(integrationMessages).where(eq(integrationMessages.messageId, messageId)));
const uniqueIdoc = (n: string, kunnr: string, code: string) =>
  debmas.toString("utf8").replace("0000000000731031", n).replaceAll("0000100031", kunnr).replace("<SORTL>D031</SORTL>", `<SORTL>${code}</SORTL>`);

describe("authentication and limits", () => {
  it("refuses a wrong API key or a bad signature with 401, storing nothing but an audit line", async () => {
    const body = uniqueIdoc("0000000000900099", "0000900099", "D999");
    const wrongKey = await send("/api/integration/erp/dealer-master", body, { "x-api-key": "demo-key-dms" });
    const badSig = await server.request("/api/integration/erp/dealer-master", { method: "POST", body, headers: { "x-signature": sign("other body", "demo-key-erp") } });
    expect([wrongKey.status, badSig.status]).toEqual([401, 401]);
    expect((await wrongKey.json()).message).toMatch(/X-Api-Key or X-Signature/);
    expect(await messagesWithId("IDOC-0000000000900099")).toHaveLength(0);
    const audits = await sys((tx) => tx.select().from(auditLog).where(eq(auditLog.action, "integration.auth_failed")));
    expect(audits.length).toBeGreaterThanOrEqual(2);
  });

  it("accepts an HMAC-SHA256 signature of the body instead of the key", async () => {
    const body = uniqueIdoc("0000000000900001", "0000900001", "D901");
    const res = await server.request("/api/integration/erp/dealer-master", { method: "POST", body, headers: { "x-signature": sign(body, "demo-key-erp") } });
    expect(res.status).toBe(200);
    expect((await res.json()).status).toBe("processed");
  });

  it("answers 413 over the size cap, 501 for a contract type not built yet, 404 for an unknown one", async () => {
    const huge = Buffer.alloc(6 * 1024 * 1024, 0x20);
    expect((await send("/api/integration/erp/dealer-master", huge)).status).toBe(413);
    const planned = await send("/api/integration/bank/statement", "<x/>", { "x-api-key": "demo-key-bank" });
    expect(planned.status).toBe(501);
    expect((await planned.json()).message).toMatch(/not processed yet/);
    expect((await send("/api/integration/erp/horoscope", "<x/>")).status).toBe(404);
    expect((await send("/api/integration/crm/dealer-master", "<x/>")).status).toBe(404);
  });

  it.each([
    ["XXE", '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><DEBMAS07>&x;</DEBMAS07>', "dtd_forbidden"],
    ["billion laughs", '<!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><l>&b;</l>', "dtd_forbidden"],
    ["deep nesting", "<a>".repeat(500) + "</a>".repeat(500), "too_deep"],
    ["__proto__", "<DEBMAS07><__proto__><polluted>1</polluted></__proto__></DEBMAS07>", "forbidden_name"],
  ])("refuses %s with 400 and a clear reason", async (_name, body, code) => {
    const res = await send("/api/integration/erp/dealer-master", body, { "x-message-id": `hostile-${code}-${Date.now()}` });
    expect(res.status).toBe(400);
    const ack = await res.json();
    expect(ack.errors[0].rule).toBe(code);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("stores a file that is not well-formed as failed, with the parser's line and column", async () => {
    const res = await send("/api/integration/erp/dealer-master", "<DEBMAS07>\n  <IDOC>\n    <KUNNR>1</KUNN>\n</DEBMAS07>", { "x-message-id": "broken-1" });
    expect(res.status).toBe(400);
    const [stored] = await messagesWithId("broken-1");
    expect(stored?.status).toBe("failed");
    expect(stored?.lastError).toMatch(/line 3, column \d+/);
  });
});

describe("the dealer master feed", () => {
  it("creates the dealer from a DEBMAS IDoc with its exact credit limit and maps the ERP customer number", async () => {
    const res = await send("/api/integration/erp/dealer-master", debmas);
    expect(res.status).toBe(200);
    const ack = await res.json();
    expect(ack).toMatchObject({ messageId: "IDOC-0000000000731031", status: "processed", errors: [] });
    expect(ack.summary).toMatchObject({ documentType: "dealer_master", lineCount: 1 });
    const [org] = await sys((tx) => tx.select().from(organizations).where(eq(organizations.code, "D031")));
    expect(org).toMatchObject({ type: "dealer", status: "active", creditLimitMinor: 500000000n, currency: "CNY" });
    expect(org!.name).toContain("杭州星河汽车销售服务有限公司");
    const [mapping] = await sys((tx) => tx.select().from(partnerMappings).where(and(eq(partnerMappings.system, "erp"), eq(partnerMappings.partnerId, "0000100031"))));
    expect(mapping?.organizationId).toBe(org!.id);
  });

  it("gives the same message, sent 5 times in a row and 5 times at once, one effect and the same acknowledgement", async () => {
    const body = uniqueIdoc("0000000000900002", "0000900002", "D902");
    const serial = [];
    for (let i = 0; i < 5; i++) serial.push(await (await send("/api/integration/erp/dealer-master", body)).json());
    for (const later of serial.slice(1)) expect(later).toEqual(serial[0]);
    expect(serial[0].status).toBe("processed");
    const body2 = uniqueIdoc("0000000000900003", "0000900003", "D903");
    const parallel = await Promise.all(Array.from({ length: 5 }, () => send("/api/integration/erp/dealer-master", body2).then((r) => r.json())));
    expect(parallel.every((a) => a.status === "processed")).toBe(true);
    expect(await messagesWithId("IDOC-0000000000900003")).toHaveLength(1);
    const orgs = await sys((tx) => tx.select().from(organizations).where(sql`${organizations.code} in ('D902', 'D903')`));
    expect(orgs).toHaveLength(2);
    const creations = await sys((tx) => tx.select().from(auditLog).where(and(eq(auditLog.action, "organization.created"), sql`${auditLog.entityId} in (${sql.join(orgs.map((o) => sql`${o.id}`), sql`, `)})`)));
    expect(creations).toHaveLength(2);
  });

  it("updates the mapped dealer from the JSON variant and makes a blocked customer inactive", async () => {
    const res = await send("/api/integration/erp/dealer-master", dealerJson, { "content-type": "application/json" });
    expect(res.status).toBe(200);
    const ack = await res.json();
    expect(ack).toMatchObject({ messageId: "DM-20250303-0001", status: "processed" });
    const rows = await sys((tx) => tx.select().from(organizations).where(sql`${organizations.code} in ('D031', 'D032')`));
    const byCode = Object.fromEntries(rows.map((r) => [r.code, r]));
    expect(byCode.D031?.status).toBe("active");
    expect(byCode.D032?.status).toBe("inactive");
    expect(byCode.D032?.creditLimitMinor).toBe(125000000n);
  });

  it("validates without storing or applying (?validateOnly=1)", async () => {
    const body = uniqueIdoc("0000000000900004", "0000900004", "D904");
    const res = await send("/api/integration/erp/dealer-master?validateOnly=1", body);
    expect(res.status).toBe(200);
    const ack = await res.json();
    expect(ack).toMatchObject({ status: "validated", errors: [] });
    expect(ack.summary.documentType).toBe("dealer_master");
    expect(await messagesWithId("IDOC-0000000000900004")).toHaveLength(0);
    expect(await sys((tx) => tx.select().from(organizations).where(eq(organizations.code, "D904")))).toHaveLength(0);
    const unreadable = await send("/api/integration/erp/dealer-master?validateOnly=1", "<open>");
    expect(unreadable.status).toBe(400);
  });

  it("answers 422 with field and rule for a readable but invalid document, stored as failed", async () => {
    const body = debmas.toString("utf8").replace("0000000000731031", "0000000000900005").replace("<NAME1>杭州星河汽车销售服务有限公司</NAME1>", "");
    const res = await send("/api/integration/erp/dealer-master", body);
    expect(res.status).toBe(422);
    const ack = await res.json();
    expect(ack.status).toBe("failed");
    expect(ack.errors).toEqual(expect.arrayContaining([expect.objectContaining({ rule: "required", field: expect.stringContaining("NAME1") })]));
  });
});

describe("message status lookup", () => {
  it("tells the sending system and OEM admins, and nobody else", async () => {
    const bySystem = await server.request("/api/integration/messages/IDOC-0000000000731031", { headers: { "x-system": "erp", "x-api-key": "demo-key-erp" } });
    expect(bySystem.status).toBe(200);
    expect(await bySystem.json()).toMatchObject({ status: "processed", system: "erp", type: "dealer-master" });
    const admin = await server.login("admin@oem.example");
    expect((await server.request("/api/integration/messages/IDOC-0000000000731031", { cookie: admin })).status).toBe(200);
    const dealer = await server.login("principal@d001.example");
    expect((await server.request("/api/integration/messages/IDOC-0000000000731031", { cookie: dealer })).status).toBe(404);
    const otherSystem = await server.request("/api/integration/messages/IDOC-0000000000731031", { headers: { "x-system": "dms", "x-api-key": "demo-key-dms" } });
    expect(otherSystem.status).toBe(404);
  });
});

describe("worker and store rules", () => {
  it("processes received messages, reclaims an expired lease, and requeues only failed or dead ones", async () => {
    const now = new Date();
    const body = Buffer.from(uniqueIdoc("0000000000900006", "0000900006", "D906"));
    const base = { system: "erp" as const, direction: "inbound" as const, messageType: "dealer-master", contentHash: "x", contentType: "application/xml", payload: body, sizeBytes: body.length, channel: "file" };
    await sys((tx) =>
      tx.insert(integrationMessages).values([
        { ...base, messageId: "worker-received", status: "received" },
        { ...base, messageId: "worker-stuck", status: "processing", leaseUntil: new Date(now.getTime() - 1000) },
      ]),
    );
    const acks = await processDueMessages(database.db, now);
    expect(acks.map((a) => a.messageId).sort()).toEqual(["worker-received", "worker-stuck"]);
    expect(acks.every((a) => a.status === "processed")).toBe(true);
    const [processed] = await messagesWithId("worker-received");
    expect(await requeueMessages(database.db, [processed!.id])).toBe(0); // reprocessing a processed message does nothing
    const [failed] = await messagesWithId("broken-1");
    expect(await requeueMessages(database.db, [failed!.id])).toBe(1);
    const again = await processDueMessages(database.db, now);
    expect(again.find((a) => a.messageId === "broken-1")?.status).toBe("dead");
  });

  it("refuses illegal status transitions and payload rewrites in the database itself", async () => {
    const [m] = await messagesWithId("IDOC-0000000000731031");
    const attempt = (set: Partial<typeof integrationMessages.$inferInsert>) =>
      sys((tx) => tx.update(integrationMessages).set(set).where(eq(integrationMessages.id, m!.id))).then(
        () => "ok",
        (e: Error & { cause?: Error }) => `${e.message} ${e.cause?.message ?? ""}`,
      );
    expect(await attempt({ status: "received" })).toMatch(/illegal message status transition processed -> received/);
    expect(await attempt({ payload: Buffer.from("<tampered/>") })).toMatch(/never rewritten/);
  });
});
