// Isolation cases for every route that takes an id (issue 2 §5). The harness in isolation.test.ts
// walks the route manifest: a route with a dynamic segment and no entry here fails the suite, so a
// new route must say here how to make an object of organisation A and who in organisation B tries it.
import { eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { integrationMessages, organizations, users } from "../../db/schema";
import { createOrganization, createUser } from "../../db/factories";
import { inScope, systemCtx } from "../../portal/domain/context";
import { areaCases } from "./isolation";

export type IsolationTarget = {
  /** The URL of the victim's object. */
  path: string;
  /** Text of the victim's object that must never reach the attacker. */
  secrets: string[];
  /** A plausible form an attacker would post to the route's action. */
  form?: Record<string, string>;
  /** Reads the object back so the test can prove a refused POST changed nothing. */
  snapshot: () => Promise<unknown>;
};

export type IsolationCase = {
  title: string;
  /** A user of another organisation, signed in with the demo password. */
  attacker: string;
  setup: (db: Database) => Promise<IsolationTarget>;
};

export const sys = <T>(db: Database, fn: Parameters<typeof inScope<T>>[1]) => inScope(systemCtx(db.db, "isolation"), fn);

export async function dealerOf(db: Database, code: string) {
  const [org] = await sys(db, (tx) => tx.select().from(organizations).where(eq(organizations.code, code)));
  return org!;
}

/** Keyed by the route's full path pattern. Areas add theirs from tests/http/isolation/<area>.ts. */
const coreCases: Record<string, IsolationCase[]> = {
  "/users/:userId": [
    {
      title: "a D002 principal opens a D001 user",
      attacker: "principal@d002.example",
      setup: async (db) => {
        const d001 = await dealerOf(db, "D001");
        const victim = await createUser(db.db, { organizationId: d001.id, role: "dealer_finance", name: "Victim Secret-Name" });
        return {
          path: `/users/${victim.id}`,
          secrets: [victim.email, "Victim Secret-Name"],
          form: { name: "Hijacked", role: "dealer_principal", status: "inactive", password: "" },
          snapshot: () => sys(db, (tx) => tx.select({ name: users.name, role: users.role, status: users.status }).from(users).where(eq(users.id, victim.id))),
        };
      },
    },
    {
      title: "a fleet manager opens a dealer principal",
      attacker: "fleet@f001.example",
      setup: async (db) => {
        const d001 = await dealerOf(db, "D001");
        const victim = await createUser(db.db, { organizationId: d001.id, role: "dealer_principal", name: "Principal Secret" });
        return {
          path: `/users/${victim.id}`,
          secrets: [victim.email, "Principal Secret"],
          form: { name: "Hijacked", role: "dealer_sales", status: "active", password: "new-password-123" },
          snapshot: () => sys(db, (tx) => tx.select({ name: users.name, hash: users.passwordHash }).from(users).where(eq(users.id, victim.id))),
        };
      },
    },
  ],
  "/organizations/:organizationId": [
    {
      title: "a D001 principal opens another dealer's organisation",
      attacker: "principal@d001.example",
      setup: async (db) => {
        const other = await createOrganization(db.db, { type: "dealer", name: "Other Dealer Secret Ltd" });
        return {
          path: `/organizations/${other.id}`,
          secrets: ["Other Dealer Secret Ltd", other.code],
          form: { code: other.code, name: "Hijacked", type: "dealer", status: "inactive", creditLimit: "1", currency: "CNY" },
          snapshot: () => sys(db, (tx) => tx.select().from(organizations).where(eq(organizations.id, other.id))),
        };
      },
    },
  ],
  "/api/integration/messages/:messageId": [
    {
      title: "a dealer principal asks for an integration message's status",
      attacker: "principal@d001.example",
      setup: async (db) => {
        const messageId = `isolation-${Date.now()}`;
        const payload = Buffer.from("<secret-payload/>");
        await sys(db, (tx) =>
          tx.insert(integrationMessages).values({
            system: "erp",
            direction: "inbound",
            messageType: "dealer-master",
            messageId,
            contentHash: "x",
            contentType: "application/xml",
            payload,
            sizeBytes: payload.length,
            channel: "http",
            summary: { documentNumber: "SECRET-DOC-42" },
          }),
        );
        return {
          path: `/api/integration/messages/${messageId}`,
          secrets: ["SECRET-DOC-42", messageId],
          snapshot: () => sys(db, (tx) => tx.select().from(integrationMessages).where(eq(integrationMessages.messageId, messageId))),
        };
      },
    },
  ],
};

export const isolationCases: Record<string, IsolationCase[]> = { ...coreCases, ...areaCases };

/** Dynamic routes that hold no organisation's object, with the reason. */
export const exemptRoutes: Record<string, string> = {
  "/*": "the catch-all 404 page; it shows no object",
  "/api/integration/:system/:type": "machine endpoint authenticated by a system API key; it receives messages and shows no stored object",
};
