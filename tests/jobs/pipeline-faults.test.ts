// Faults of the inbound pipeline: a poison message in a batch of 100 ends dead after its attempts
// while the other 99 apply; the database connections dropping in the middle of processing (as in a
// PostgreSQL restart) does not take the process down, and work resumes.
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { integrationMessages } from "../../db/schema";
import { ApplyError, type Feed } from "../../integration/pipeline/feed";
import { processDueMessages } from "../../integration/pipeline/process.server";
import { receiveMessage } from "../../integration/pipeline/receive.server";
import { registerFeed } from "../../integration/pipeline/registry";
import { inScope, systemCtx } from "../../portal/domain/context";
import { openPrivateDatabase, usingPostgres } from "../setup/db";

type Doc = { n: number; poison: boolean };
const applied: number[] = [];
const testFeed: Feed<Doc> = {
  system: "erp",
  type: "test-poison",
  maxBytes: 10_000,
  expectedEveryMinutes: 60,
  parse: (body) => {
    const doc = JSON.parse(body.toString("utf8")) as Doc;
    return { summary: { documentType: "invoice", documentNumber: String(doc.n), documentDate: null }, document: doc, warnings: [] };
  },
  messageIdOf: (doc) => `poison-batch-${doc.n}`,
  businessKeyOf: (doc) => `doc-${doc.n}`,
  async apply(_ctx, doc) {
    if (doc.poison) throw new ApplyError([{ field: "n", rule: "poison", message: `document ${doc.n} cannot be applied` }]);
    applied.push(doc.n);
    return {};
  },
};

let database: Database;
let databaseUrl: string | undefined;
let drop: () => Promise<void>;
let unregister: () => void;
beforeAll(async () => {
  // Its own database: this file runs the worker over the whole queue and cuts connections.
  ({ database, url: databaseUrl, drop } = await openPrivateDatabase());
  unregister = registerFeed(testFeed as Feed);
});
afterAll(async () => {
  unregister?.();
  await drop?.();
});

const rows = (ids: string[]) =>
  inScope(systemCtx(database.db, "test"), (tx) => tx.select().from(integrationMessages).where(and(eq(integrationMessages.messageType, "test-poison"), inArray(integrationMessages.messageId, ids))));

describe("a poison message in a batch of 100", () => {
  it("applies the other 99 once and ends the poison dead after its attempts, payload kept", async () => {
    const t0 = new Date("2026-04-01T08:00:00Z");
    const acks = [];
    for (let n = 0; n < 100; n++) {
      const body = Buffer.from(JSON.stringify({ n, poison: n === 42 }));
      acks.push((await receiveMessage(database.db, { feed: testFeed as Feed, body, contentType: "application/json", channel: "file" }, t0)).ack);
    }
    expect(acks.filter((a) => a.status === "processed")).toHaveLength(99);
    expect(acks[42]).toMatchObject({ status: "failed", errors: [{ field: "n", rule: "poison" }] });
    // The worker retries it with backoff until it is dead.
    let now = t0;
    for (let i = 0; i < 6; i++) {
      now = new Date(now.getTime() + 2 * 3_600_000);
      await processDueMessages(database.db, now);
    }
    const all = await rows(Array.from({ length: 100 }, (_, n) => `poison-batch-${n}`));
    const poison = all.find((m) => m.messageId === "poison-batch-42")!;
    expect(poison).toMatchObject({ status: "dead", attempts: 5 });
    expect(JSON.parse(poison.payload.toString("utf8"))).toEqual({ n: 42, poison: true });
    expect(all.filter((m) => m.status === "processed")).toHaveLength(99);
    expect(applied.filter((n) => n !== 42).sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, n) => n).filter((n) => n !== 42));
  });
});

describe("database connections dropped mid-way (PostgreSQL restart)", () => {
  it.skipIf(!usingPostgres)("survives and resumes: received messages are processed once the connections come back", async () => {
    const postgres = (await import("postgres")).default;
    const admin = postgres(databaseUrl!, { max: 1, onnotice: () => {} });
    try {
      const now = new Date("2026-04-02T08:00:00Z");
      const base = { system: "erp" as const, direction: "inbound" as const, messageType: "test-poison", contentHash: "x", contentType: "application/json", channel: "file" };
      await inScope(systemCtx(database.db, "test"), (tx) =>
        tx.insert(integrationMessages).values(
          Array.from({ length: 10 }, (_, i) => {
            const payload = Buffer.from(JSON.stringify({ n: 1000 + i, poison: false }));
            return { ...base, messageId: `restart-${i}`, payload, sizeBytes: payload.length, status: "received" as const };
          }),
        ),
      );
      // Kill every other backend of this database, as a server restart would.
      await admin`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`;
      const firstTry = await processDueMessages(database.db, now).then(
        (acks) => acks.length,
        () => -1, // the pool may hand out a dead connection once; the process must not crash
      );
      const acks = firstTry >= 0 ? firstTry : (await processDueMessages(database.db, now)).length;
      const again = await processDueMessages(database.db, now);
      const done = await rows(Array.from({ length: 10 }, (_, i) => `restart-${i}`));
      expect(acks + again.length).toBeGreaterThanOrEqual(1);
      expect(done.every((m) => m.status === "processed")).toBe(true);
      const [{ n }] = (await admin`select count(*)::int as n from integration_messages where message_id like 'restart-%'`) as unknown as [{ n: number }];
      expect(n).toBe(10);
    } finally {
      await admin.end();
    }
  });
});
