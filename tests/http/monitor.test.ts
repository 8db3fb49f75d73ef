// The integration monitor through the real server (issue 3 §9 and the upload form of §2): the overview
// per feed, the message list with filters and CSV, the message page (escaped payload, raw download),
// reprocess and cancel with their legal transitions, partner mappings and the reprocess they unlock,
// uploads, the audit row of every POST, and 404 for everyone without the monitor permission.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { and, desc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { createOrganization } from "../../db/factories";
import { auditLog, integrationMessages, partnerMappings } from "../../db/schema";
import { plannedTypes } from "../../integration/pipeline/registry";
import { inScope, systemCtx } from "../../portal/domain/context";
import { previewPayload, prettyJson, prettyXml } from "../../portal/domain/integration/pretty-payload.server";
import { openTestDatabase } from "../setup/db";
import { startTestServer, type TestServer } from "../setup/http";

let database: Database;
let server: TestServer;
let admin: string;
const debmas = fs.readFileSync(path.resolve("fixtures/erp/debmas-dealer-D031.xml"));

beforeAll(async () => {
  database = await openTestDatabase({ seed: true });
  server = await startTestServer(database);
  admin = await server.login("admin@oem.example");
});
afterAll(async () => {
  await server?.close();
  await database?.close();
});

const sys = <T>(fn: Parameters<typeof inScope<T>>[1]) => inScope(systemCtx(database.db, "test"), fn);
const tag = () => crypto.randomInt(10_000_000, 99_999_999).toString();

/** A copy of the D031 IDoc with its own IDoc number, customer number and dealer code. */
function idoc(n: string, options: { dropName?: boolean; extra?: string } = {}): string {
  let xml = debmas
    .toString("utf8")
    .replace("0000000000731031", `00000000${n}`)
    .replaceAll("0000100031", `00${n}`)
    .replace("<SORTL>D031</SORTL>", `<SORTL>M${n}</SORTL>`);
  if (options.dropName) xml = xml.replace(/<NAME1>[^<]*<\/NAME1>/, "");
  if (options.extra) xml = xml.replace("<KTOKD>ZDLR</KTOKD>", `<KTOKD>ZDLR</KTOKD>${options.extra}`);
  return xml;
}

const sendErp = (body: string | Buffer, headers: Record<string, string> = {}) =>
  server.request("/api/integration/erp/dealer-master", {
    method: "POST",
    body: typeof body === "string" ? body : new Uint8Array(body),
    headers: { "content-type": "application/xml", "x-api-key": "demo-key-erp", ...headers },
  });

const messageByMessageId = async (messageId: string) => {
  const [row] = await sys((tx) =>
    tx
      .select()
      .from(integrationMessages)
      .where(and(eq(integrationMessages.system, "erp"), eq(integrationMessages.messageId, messageId))),
  );
  return row!;
};
const messageById = async (id: string) => {
  const [row] = await sys((tx) =>
    tx.select().from(integrationMessages).where(eq(integrationMessages.id, id)),
  );
  return row!;
};
const auditsFor = (action: string, entityId?: string) =>
  sys((tx) =>
    tx
      .select()
      .from(auditLog)
      .where(
        entityId
          ? and(eq(auditLog.action, action), eq(auditLog.entityId, entityId))
          : eq(auditLog.action, action),
      )
      .orderBy(desc(auditLog.id)),
  );
const flashOf = (res: Response) => {
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith("dp_flash="));
  return cookie
    ? (JSON.parse(decodeURIComponent(cookie.split(";")[0]!.slice("dp_flash=".length))) as {
        kind: string;
        key: string;
        params?: Record<string, string>;
      })
    : null;
};
const page = async (pathname: string, cookie = admin) => {
  const res = await server.request(pathname, { cookie, headers: { "accept-language": "en" } });
  return { status: res.status, html: await res.text() };
};
/** The HTML of one feed card of the overview. */
const feedCard = (html: string, system: string, type: string) => {
  const start = html.indexOf(`data-testid="feed-${system}-${type}"`);
  if (start < 0) return null;
  return html.slice(
    start,
    html.indexOf("</section>", start) > 0 ? html.indexOf("</section>", start) : start + 4000,
  );
};
const countIn = (card: string, status: string) => {
  const m = new RegExp(`data-status="${status}"[^]*?<b>([\\d,]+)</b>`).exec(card);
  return m ? Number(m[1]!.replace(/,/g, "")) : 0;
};

describe("overview", () => {
  it("lists the dealer-master feed with its counts, last success and health after the D031 fixture is posted", async () => {
    const before = feedCard((await page("/integration")).html, "erp", "dealer-master");
    const processedBefore = before ? countIn(before, "processed") : 0;
    const failedBefore = before ? countIn(before, "failed") : 0;

    expect((await sendErp(debmas)).status).toBe(200); // the fixture as it is (or its replay, when already stored)
    const n = tag();
    expect((await sendErp(idoc(n))).status).toBe(200);
    expect((await sendErp(idoc(tag(), { dropName: true }))).status).toBe(422);

    const { status, html } = await page("/integration");
    expect(status).toBe(200);
    const card = feedCard(html, "erp", "dealer-master")!;
    expect(card).toBeTruthy();
    expect(card).toContain("Dealer master");
    expect(card).toMatch(/data-health="on_time"/);
    expect(countIn(card, "processed")).toBeGreaterThanOrEqual(processedBefore + 1);
    expect(countIn(card, "failed")).toBeGreaterThanOrEqual(failedBefore + 1);
    expect(card).not.toContain('data-testid="feed-last-success"><span class="muted">never');
    expect(html).toContain("Messages received per hour");
    expect(html).toMatch(/<svg[^>]*role="img"/);
  });

  it("shows every type of the contract: the connected ones as feeds, the others as not yet connected", async () => {
    const { html } = await page("/integration");
    for (const [system, types] of Object.entries(plannedTypes)) {
      for (const type of types)
        expect(html, `${system}/${type}`).toContain(`data-testid="feed-${system}-${type}"`);
    }
    expect(html).toContain("not yet connected");
  });

  it("shows a large import in flight with its progress, and revalidates while it runs", async () => {
    const payload = Buffer.from("<PARTS/>");
    const [row] = await sys((tx) =>
      tx
        .insert(integrationMessages)
        .values({
          system: "erp",
          direction: "inbound",
          messageType: "parts-stock",
          messageId: `MON-BULK-${tag()}`,
          contentHash: "x",
          contentType: "application/xml",
          payload,
          sizeBytes: payload.length,
          channel: "file",
          status: "processing",
          leaseUntil: new Date(Date.now() + 3600_000),
          progressDone: 50_000,
          progressTotal: 200_000,
        })
        .returning(),
    );
    try {
      const { html } = await page("/integration");
      expect(html).toContain('data-testid="in-flight"');
      expect(html).toContain('aria-valuenow="50000"');
      expect(html).toContain('aria-valuemax="200000"');
      expect(html).toMatch(/50,000 of 200,000 lines \(25%\)/);
    } finally {
      await sys(async (tx) => {
        await tx
          .update(integrationMessages)
          .set({ status: "failed" })
          .where(eq(integrationMessages.id, row!.id));
        await tx
          .update(integrationMessages)
          .set({ status: "cancelled" })
          .where(eq(integrationMessages.id, row!.id));
      });
    }
  });
});

describe("message list", () => {
  const n = tag();
  let processedId = "";
  let failedId = "";
  beforeAll(async () => {
    await sendErp(idoc(n), { "x-message-id": `MON-LIST-${n}-OK` });
    await sendErp(idoc(tag(), { dropName: true }), { "x-message-id": `MON-LIST-${n}-BAD` });
    processedId = (await messageByMessageId(`MON-LIST-${n}-OK`)).id;
    failedId = (await messageByMessageId(`MON-LIST-${n}-BAD`)).id;
  });

  it("filters by text, status, system, type, direction and date, and pages on the server", async () => {
    const all = await page(`/integration/messages?q=MON-LIST-${n}`);
    expect(all.status).toBe(200);
    expect(all.html).toContain(`/integration/messages/${processedId}`);
    expect(all.html).toContain(`/integration/messages/${failedId}`);

    const failed = await page(
      `/integration/messages?q=MON-LIST-${n}&status=failed&system=erp&type=dealer-master&direction=inbound`,
    );
    expect(failed.html).toContain(`/integration/messages/${failedId}`);
    expect(failed.html).not.toContain(`/integration/messages/${processedId}`);
    expect(failed.html).toMatch(/Reprocess failed \(1\)/);

    const otherSystem = await page(`/integration/messages?q=MON-LIST-${n}&system=mes`);
    expect(otherSystem.html).not.toContain(`/integration/messages/${failedId}`);

    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const today = new Date().toISOString().slice(0, 10);
    expect((await page(`/integration/messages?q=MON-LIST-${n}&from=${tomorrow}`)).html).not.toContain(
      `/integration/messages/${failedId}`,
    );
    expect((await page(`/integration/messages?q=MON-LIST-${n}&from=${today}&to=${today}`)).html).toContain(
      `/integration/messages/${failedId}`,
    );

    const paged = await page(
      `/integration/messages?q=MON-LIST-${n}&size=1&sort=messageId&dir=asc&direction=inbound`,
    );
    expect(paged.html.match(/data-testid="message-link"/g)?.length).toBe(1);
    expect(paged.html).toContain(`/integration/messages/${failedId}`); // "…-BAD" sorts before "…-OK"
    const second = await page(
      `/integration/messages?q=MON-LIST-${n}&size=1&sort=messageId&dir=asc&direction=inbound&page=2`,
    );
    expect(second.html).toContain(`/integration/messages/${processedId}`);

    // A sort column from the request that is not on the allowlist falls back to the default.
    expect((await page(`/integration/messages?q=MON-LIST-${n}&sort=payload;drop`)).status).toBe(200);
  });

  it("exports exactly the filtered rows as CSV", async () => {
    const res = await server.request(`/integration/messages.csv?q=MON-LIST-${n}&status=failed`, {
      cookie: admin,
      headers: { "accept-language": "en" },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/csv/);
    expect(res.headers.get("content-disposition")).toMatch(/attachment; filename="integration-messages.csv"/);
    const csv = await res.text();
    const lines = csv.trim().split("\r\n");
    expect(lines[0]).toContain("Message id");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`MON-LIST-${n}-BAD`);
    expect(lines[1]).toContain(",failed,");
  });
});

describe("message page", () => {
  it("shows the payload escaped, never as markup, and offers reprocess and cancel for a failed message", async () => {
    const n = tag();
    const hostile = idoc(n, {
      dropName: true,
      extra:
        "<NAME2><![CDATA[<script>alert(1)</script>]]></NAME2><NAME3>&lt;img src=x onerror=alert(2)&gt;</NAME3>",
    });
    expect((await sendErp(hostile, { "x-message-id": `MON-XSS-${n}` })).status).toBe(422);
    const msg = await messageByMessageId(`MON-XSS-${n}`);
    const { status, html } = await page(`/integration/messages/${msg.id}`);
    expect(status).toBe(200);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).not.toMatch(/<img src=x/i);
    // Errors are listed with field, rule and message; both actions are offered.
    expect(html).toMatch(/data-testid="errors"[^]*NAME1[^]*required/);
    expect(html).toContain('data-testid="reprocess"');
    expect(html).toContain('data-testid="cancel"');
    expect(html).toContain(`/integration/messages/${msg.id}/raw`);
  });

  it("shows the summary, a formatted view and the acknowledgement, and offers no action for a processed message", async () => {
    const n = tag();
    await sendErp(idoc(n), { "x-message-id": `MON-OK-${n}` });
    const msg = await messageByMessageId(`MON-OK-${n}`);
    expect(msg.status).toBe("processed");
    const { html } = await page(`/integration/messages/${msg.id}`);
    expect(html).toContain('data-testid="summary"');
    expect(html).toContain(`00${n}`); // the partner id with its leading zeros
    expect(html).toContain('data-testid="payload-pretty"');
    expect(html).toMatch(/\n {2}&lt;IDOC BEGIN=&quot;1&quot;&gt;|\n {2}&lt;IDOC BEGIN="1"&gt;/);
    expect(html).not.toContain('data-testid="reprocess"');
    expect(html).not.toContain('data-testid="cancel"');
  });

  it("downloads the raw payload byte for byte with a content type of ours and as an attachment", async () => {
    const n = tag();
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(idoc(n), "utf8")]);
    await sendErp(body, { "x-message-id": `MON-RAW-${n}`, "content-type": "text/html" });
    const msg = await messageByMessageId(`MON-RAW-${n}`);
    const res = await server.request(`/integration/messages/${msg.id}/raw`, { cookie: admin });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/xml");
    expect(res.headers.get("content-disposition")).toBe(
      `attachment; filename="erp-dealer-master-MON-RAW-${n}.xml"`,
    );
    expect(Buffer.from(await res.arrayBuffer()).equals(body)).toBe(true);
  });

  it("answers 404 for an id that is not a message", async () => {
    expect((await page("/integration/messages/not-a-uuid")).status).toBe(404);
    expect((await page(`/integration/messages/${crypto.randomUUID()}`)).status).toBe(404);
    expect(
      (await server.request(`/integration/messages/${crypto.randomUUID()}/raw`, { cookie: admin })).status,
    ).toBe(404);
  });
});

describe("reprocess and cancel", () => {
  it("requeues a failed message and processes it now, then cancels it once dead; each step audited", async () => {
    const n = tag();
    await sendErp(idoc(n, { dropName: true }), { "x-message-id": `MON-RP-${n}` });
    const failed = await messageByMessageId(`MON-RP-${n}`);
    expect(failed.status).toBe("failed");

    const res = await server.post(`/integration/messages/${failed.id}`, { intent: "reprocess" }, admin);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/integration/messages/${failed.id}`);
    // The document still lacks its name: read again, it fails for good.
    expect(flashOf(res)).toMatchObject({ kind: "error", key: "integration.toast.reprocessedFailed" });
    const afterReprocess = await messageById(failed.id);
    expect(afterReprocess.status).toBe("dead");
    expect(afterReprocess.attempts).toBe(2);
    const [reprocessAudit] = await auditsFor("integration.message_reprocessed", failed.id);
    expect(reprocessAudit).toMatchObject({
      actorLabel: "user:admin@oem.example",
      entityType: "integration_message",
    });
    expect(reprocessAudit!.before).toMatchObject({ status: "failed", attempts: 1 });
    expect(reprocessAudit!.after).toMatchObject({ status: "received" });

    const cancel = await server.post(`/integration/messages/${failed.id}`, { intent: "cancel" }, admin);
    expect(cancel.status).toBe(302);
    expect(flashOf(cancel)).toMatchObject({ kind: "success", key: "integration.toast.cancelled" });
    expect((await messageById(failed.id)).status).toBe("cancelled");
    const [cancelAudit] = await auditsFor("integration.message_cancelled", failed.id);
    expect(cancelAudit).toMatchObject({ actorLabel: "user:admin@oem.example" });
    expect(cancelAudit!.before).toMatchObject({ status: "dead" });
    expect(cancelAudit!.after).toMatchObject({ status: "cancelled" });

    // The page of a cancelled message offers nothing more.
    const { html } = await page(`/integration/messages/${failed.id}`);
    expect(html).not.toContain('data-testid="reprocess"');
    expect(html).not.toContain('data-testid="cancel"');
  });

  it("refuses a forged illegal action with 409 and a clear reason, changing and auditing nothing", async () => {
    const n = tag();
    await sendErp(idoc(n), { "x-message-id": `MON-ILLEGAL-${n}` });
    const processed = await messageByMessageId(`MON-ILLEGAL-${n}`);
    expect(processed.status).toBe("processed");
    for (const intent of ["reprocess", "cancel"]) {
      const res = await server.request(`/integration/messages/${processed.id}`, {
        method: "POST",
        body: new URLSearchParams({ intent }),
        headers: {
          origin: server.url,
          "content-type": "application/x-www-form-urlencoded",
          "accept-language": "en",
        },
        cookie: admin,
      });
      expect(res.status).toBe(409);
      const html = await res.text();
      expect(html).toContain("not possible for the message in its current status");
    }
    const bogus = await server.post(`/integration/messages/${processed.id}`, { intent: "delete" }, admin);
    expect(bogus.status).toBe(400);
    const after = await messageById(processed.id);
    expect(after.status).toBe("processed");
    expect(after.updatedAt.getTime()).toBe(processed.updatedAt.getTime());
    expect(await auditsFor("integration.message_reprocessed", processed.id)).toHaveLength(0);
    expect(await auditsFor("integration.message_cancelled", processed.id)).toHaveLength(0);
  });

  it("bulk-reprocesses the failed messages of the current filter, says how many, and audits the run", async () => {
    const n = tag();
    for (const k of ["A", "B"])
      await sendErp(idoc(tag(), { dropName: true }), { "x-message-id": `MON-BULK-${n}-${k}` });
    await sendErp(idoc(tag()), { "x-message-id": `MON-BULK-${n}-OK` });
    const list = await page(`/integration/messages?q=MON-BULK-${n}`);
    expect(list.html).toMatch(/Reprocess failed \(2\)/);

    const res = await server.post(
      "/integration/messages",
      { intent: "reprocess-matching", q: `MON-BULK-${n}` },
      admin,
    );
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/integration/messages?q=MON-BULK-${n}`);
    expect(flashOf(res)).toMatchObject({
      key: "integration.toast.bulkReprocessed",
      params: { requeued: "2", processed: "0", failed: "2", pending: "0" },
    });
    for (const k of ["A", "B"]) expect((await messageByMessageId(`MON-BULK-${n}-${k}`)).status).toBe("dead");
    expect((await messageByMessageId(`MON-BULK-${n}-OK`)).status).toBe("processed");
    const [audit] = await auditsFor("integration.messages_reprocessed");
    expect(audit).toMatchObject({ actorLabel: "user:admin@oem.example", entityType: "integration_message" });
    expect(audit!.after).toMatchObject({ requeued: 2, filters: { q: `MON-BULK-${n}` } });

    // Dead messages are reprocessable too; a filter that selects none says so.
    const none = await server.post(
      "/integration/messages",
      { intent: "reprocess-matching", q: `MON-BULK-${n}`, status: "processed" },
      admin,
    );
    expect(flashOf(none)).toMatchObject({ kind: "info", key: "integration.toast.nothingToReprocess" });
  });
});

describe("partner mappings", () => {
  it("maps a partner id to an organisation by code (audited) and then reprocesses the messages that waited for it", async () => {
    const n = tag();
    const org = await createOrganization(database.db, {
      type: "dealer",
      code: `MAP${n}`,
      name: `Mapping target ${n}`,
    });
    // A dealer-master message that failed because its customer number was not mapped yet.
    const body = Buffer.from(idoc(n));
    const [waiting] = await sys((tx) =>
      tx
        .insert(integrationMessages)
        .values({
          system: "erp",
          direction: "inbound",
          messageType: "dealer-master",
          messageId: `MON-MAP-${n}`,
          contentHash: crypto.createHash("sha256").update(body).digest("hex"),
          contentType: "application/xml",
          payload: body,
          sizeBytes: body.length,
          channel: "http",
          status: "failed",
          attempts: 1,
          errors: [{ field: "partnerId", rule: "unknown_partner", message: `partner 00${n} is not mapped` }],
          lastError: `partner 00${n} is not mapped`,
        })
        .returning(),
    );

    const before = await page("/integration/partners");
    expect(before.status).toBe(200);
    expect(before.html).toContain('data-testid="reprocess-partner-erp"');

    const unknown = await server.post(
      "/integration/partners",
      { intent: "save", system: "erp", partnerId: `00${n}`, organizationCode: "NOPE-404" },
      admin,
    );
    expect(unknown.status).toBe(400);
    const none = await sys((tx) =>
      tx
        .select()
        .from(partnerMappings)
        .where(and(eq(partnerMappings.system, "erp"), eq(partnerMappings.partnerId, `00${n}`))),
    );
    expect(none).toHaveLength(0);

    const saved = await server.post(
      "/integration/partners",
      {
        intent: "save",
        system: "erp",
        partnerId: `00${n}`,
        organizationCode: `map${n}`,
        note: "monitor test",
      },
      admin,
    );
    expect(saved.status).toBe(302);
    expect(saved.headers.get("location")).toBe("/integration/partners?mapped=erp");
    expect(flashOf(saved)).toMatchObject({
      key: "integration.toast.mapped",
      params: { partnerId: `00${n}`, code: `MAP${n}` },
    });
    const [mapping] = await sys((tx) =>
      tx
        .select()
        .from(partnerMappings)
        .where(and(eq(partnerMappings.system, "erp"), eq(partnerMappings.partnerId, `00${n}`))),
    );
    expect(mapping).toMatchObject({ organizationId: org.id, note: "monitor test" });
    const [mapAudit] = await auditsFor("partner_mapping.created", `erp:00${n}`);
    expect(mapAudit).toMatchObject({ actorLabel: "user:admin@oem.example" });
    const list = await page(`/integration/partners?q=00${n}`);
    expect(list.html).toContain(`MAP${n}`);
    expect(list.html).toContain(`Mapping target ${n}`);

    const rerun = await server.post(
      "/integration/partners",
      { intent: "reprocess-partner", system: "erp" },
      admin,
    );
    expect(rerun.status).toBe(302);
    expect(flashOf(rerun)?.key).toBe("integration.toast.bulkReprocessed");
    const after = await messageById(waiting!.id);
    expect(after.status).toBe("processed");
    expect(after.organizationId).toBe(org.id);
    const [bulkAudit] = await auditsFor("integration.messages_reprocessed");
    expect(bulkAudit!.after).toMatchObject({ errorRule: "unknown_partner", filters: { system: "erp" } });
    expect((bulkAudit!.after as { ids: string[] }).ids).toContain(waiting!.id);
  });
});

describe("upload", () => {
  const upload = (
    fields: Record<string, string>,
    file: { body: Buffer | string; name: string; type?: string } | null,
  ) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    if (file)
      form.append(
        "file",
        new Blob([typeof file.body === "string" ? file.body : new Uint8Array(file.body)], {
          type: file.type ?? "application/xml",
        }),
        file.name,
      );
    return server.request("/integration/upload", {
      method: "POST",
      body: form,
      headers: { origin: server.url, "accept-language": "en" },
      cookie: admin,
    });
  };

  it("validates a file without storing it, and shows the acknowledgement", async () => {
    const n = tag();
    const res = await upload(
      { feed: "erp/dealer-master", validateOnly: "1" },
      { body: idoc(n, { dropName: true }), name: `dealer-${n}.xml` },
    );
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('data-testid="upload-ack"');
    expect(html).toMatch(/data-testid="ack-status"[^>]*>Validated/);
    expect(html).toMatch(/NAME1[^]*?is missing/);
    const stored = await sys((tx) =>
      tx
        .select()
        .from(integrationMessages)
        .where(eq(integrationMessages.messageId, `IDOC-00000000${n}`)),
    );
    expect(stored).toHaveLength(0);
    const audits = await auditsFor("integration.message_validated");
    expect(
      audits.find((a) => (a.after as { fileName?: string }).fileName === `dealer-${n}.xml`),
    ).toMatchObject({ actorLabel: "user:admin@oem.example" });
  });

  it("receives a file through the pipeline with channel upload, shows the acknowledgement and links the stored message", async () => {
    const n = tag();
    const res = await upload({ feed: "erp/dealer-master" }, { body: idoc(n), name: `dealer-${n}.xml` });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/data-testid="ack-status"[^>]*>Processed/);
    const [stored] = await sys((tx) =>
      tx
        .select()
        .from(integrationMessages)
        .where(eq(integrationMessages.messageId, `IDOC-00000000${n}`)),
    );
    expect(stored).toMatchObject({
      channel: "upload",
      status: "processed",
      system: "erp",
      messageType: "dealer-master",
    });
    expect(html).toContain(`/integration/messages/${stored!.id}`);
    const [audit] = await auditsFor("integration.message_uploaded", stored!.id);
    expect(audit).toMatchObject({ actorLabel: "user:admin@oem.example" });
    expect(audit!.after).toMatchObject({ status: "processed", fileName: `dealer-${n}.xml` });

    // The same file again: the original acknowledgement, nothing new stored.
    const again = await upload({ feed: "erp/dealer-master" }, { body: idoc(n), name: `dealer-${n}.xml` });
    expect(again.status).toBe(200);
    const copies = await sys((tx) =>
      tx
        .select({ n: sql<number>`count(*)::int` })
        .from(integrationMessages)
        .where(eq(integrationMessages.messageId, `IDOC-00000000${n}`)),
    );
    expect(copies[0]!.n).toBe(1);
  });

  it("refuses a file over the feed's cap with 413 and a clear error, and a missing file or feed with 400", async () => {
    const big = Buffer.alloc(5 * 1024 * 1024 + 10, 0x20);
    const res = await upload({ feed: "erp/dealer-master" }, { body: big, name: "big.xml" });
    expect(res.status).toBe(413);
    expect(await res.text()).toMatch(/larger than 5 MB/);
    const noFile = await upload({ feed: "erp/dealer-master" }, null);
    expect(noFile.status).toBe(400);
    const noFeed = await upload({ feed: "erp/horoscope" }, { body: "<x/>", name: "x.xml" });
    expect(noFeed.status).toBe(400);
    expect(await noFeed.text()).toContain("is not a feed of the portal");
  });

  it("shows an unreadable file's reason in validate-only mode", async () => {
    const res = await upload(
      { feed: "erp/dealer-master", validateOnly: "1" },
      {
        body: '<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><DEBMAS07>&x;</DEBMAS07>',
        name: "xxe.xml",
      },
    );
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/data-testid="ack-status"[^>]*>Unreadable/);
    expect(html).toContain("dtd_forbidden");
    expect(html).not.toContain("root:x:0");
  });
});

describe("access", () => {
  it("answers 404 to dealers on every monitor page, export, download and action, and changes nothing", async () => {
    const n = tag();
    await sendErp(idoc(n, { dropName: true }), { "x-message-id": `MON-DEALER-${n}` });
    const msg = await messageByMessageId(`MON-DEALER-${n}`);
    for (const attacker of ["principal@d001.example", "fleet@f001.example", "finance@oem.example"]) {
      const cookie = await server.login(attacker);
      for (const p of [
        "/integration",
        "/integration/messages",
        "/integration/messages.csv",
        `/integration/messages/${msg.id}`,
        `/integration/messages/${msg.id}/raw`,
        "/integration/partners",
        "/integration/upload",
      ]) {
        const res = await server.request(p, { cookie });
        expect(res.status, `${attacker} GET ${p}`).toBe(404);
        expect(await res.text()).not.toContain(`MON-DEALER-${n}`);
      }
      const posts: [string, Record<string, string>][] = [
        ["/integration/messages", { intent: "reprocess-matching", q: `MON-DEALER-${n}` }],
        [`/integration/messages/${msg.id}`, { intent: "cancel" }],
        [`/integration/messages/${msg.id}`, { intent: "reprocess" }],
        [
          "/integration/partners",
          { intent: "save", system: "dms", partnerId: `X${n}`, organizationCode: "D001" },
        ],
        ["/integration/partners", { intent: "reprocess-partner", system: "erp" }],
      ];
      for (const [p, form] of posts)
        expect((await server.post(p, form, cookie)).status, `${attacker} POST ${p}`).toBe(404);
      const form = new FormData();
      form.append("feed", "erp/dealer-master");
      form.append("file", new Blob([idoc(tag())]), "x.xml");
      expect(
        (
          await server.request("/integration/upload", {
            method: "POST",
            body: form,
            headers: { origin: server.url },
            cookie,
          })
        ).status,
      ).toBe(404);
    }
    const after = await messageById(msg.id);
    expect(after.status).toBe("failed");
    expect(after.updatedAt.getTime()).toBe(msg.updatedAt.getTime());
    expect(
      await sys((tx) =>
        tx
          .select()
          .from(partnerMappings)
          .where(eq(partnerMappings.partnerId, `X${n}`)),
      ),
    ).toHaveLength(0);
  });

  it("sends a signed-out visitor to the login page", async () => {
    const res = await server.request("/integration/messages");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toMatch(/^\/login\?redirectTo=/);
  });
});

describe("payload preview (pure)", () => {
  it("indents XML without resolving anything, and gives up on a DTD or unbalanced tags", () => {
    expect(prettyXml('<a x="1>2"><b>0001&amp;</b><c/><![CDATA[<d>]]><!-- n --></a>')).toBe(
      '<a x="1>2">\n  <b>0001&amp;</b>\n  <c/>\n  <![CDATA[<d>]]>\n  <!-- n -->\n</a>',
    );
    expect(prettyXml('<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>')).toBeNull();
    expect(prettyXml("<a><b></a>")).toBeNull();
    expect(prettyXml("<a>")).toBeNull();
  });

  it("indents JSON token by token, keeping numbers and strings exactly as sent", () => {
    expect(prettyJson('{"n":12345678901234567890,"a":[],"s":"0001,\\"x\\"","o":{"d":1.250}}')).toBe(
      '{\n  "n": 12345678901234567890,\n  "a": [],\n  "s": "0001,\\"x\\"",\n  "o": {\n    "d": 1.250\n  }\n}',
    );
    expect(prettyJson("{not json")).toBeNull();
  });

  it("caps the on-screen text without cutting a character in two, and flags bytes that are not text", () => {
    const body = Buffer.from("<a>" + "汽".repeat(100) + "</a>");
    const capped = previewPayload(body, "application/xml", 10);
    expect(capped.truncated).toBe(true);
    expect(capped.text).toBe("<a>汽汽");
    expect(capped.pretty).toBeNull();
    const binary = previewPayload(Buffer.from([0x3c, 0x61, 0xff, 0x3e]), "application/octet-stream");
    expect(binary.binary).toBe(true);
    expect(binary.text).toContain("\uFFFD");
    const bom = previewPayload(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":1}')]), "application/json");
    expect(bom.pretty).toEqual({ kind: "json", text: '{\n  "a": 1\n}' });
  });
});
