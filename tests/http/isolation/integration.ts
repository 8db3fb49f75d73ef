// Isolation cases of the integration monitor: a stored message's page and raw download answer 404
// to anyone without the monitor permission (dealers, fleet customers, OEM staff other than admins),
// show none of it, and a forged cancel changes nothing.
import crypto from "node:crypto";
import { eq } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { integrationMessages } from "../../../db/schema";
import { sys, type IsolationCase, type IsolationTarget } from "../isolation-cases";

async function storedMessage(db: Database, path: (id: string) => string): Promise<IsolationTarget> {
  const tag = crypto.randomUUID().slice(0, 8);
  const payload = Buffer.from(`<DEBMAS07><NAME1>SECRET-PAYLOAD-${tag}</NAME1></DEBMAS07>`);
  const [row] = await sys(db, (tx) =>
    tx
      .insert(integrationMessages)
      .values({
        system: "erp",
        direction: "inbound",
        messageType: "dealer-master",
        messageId: `ISO-MSG-${tag}`,
        contentHash: "x",
        contentType: "application/xml",
        payload,
        sizeBytes: payload.length,
        channel: "http",
        status: "failed",
        attempts: 1,
        lastError: `SECRET-ERROR-${tag}`,
        summary: { documentNumber: `SECRET-DOC-${tag}` },
      })
      .returning({ id: integrationMessages.id }),
  );
  return {
    path: path(row!.id),
    secrets: [`SECRET-PAYLOAD-${tag}`, `SECRET-DOC-${tag}`, `SECRET-ERROR-${tag}`, `ISO-MSG-${tag}`],
    form: { intent: "cancel" },
    snapshot: () =>
      sys(db, (tx) =>
        tx
          .select({
            status: integrationMessages.status,
            attempts: integrationMessages.attempts,
            updatedAt: integrationMessages.updatedAt,
          })
          .from(integrationMessages)
          .where(eq(integrationMessages.id, row!.id)),
      ),
  };
}

export const integrationCases: Record<string, IsolationCase[]> = {
  "/integration/messages/:messageId": [
    {
      title: "a dealer principal opens (and tries to cancel) an integration message",
      attacker: "principal@d001.example",
      setup: (db) => storedMessage(db, (id) => `/integration/messages/${id}`),
    },
    {
      title: "OEM sales (no monitor permission) opens an integration message",
      attacker: "sales@oem.example",
      setup: (db) => storedMessage(db, (id) => `/integration/messages/${id}`),
    },
  ],
  "/integration/messages/:messageId/raw": [
    {
      title: "a fleet manager downloads an integration message's raw payload",
      attacker: "fleet@f001.example",
      setup: (db) => storedMessage(db, (id) => `/integration/messages/${id}/raw`),
    },
    {
      title: "a dealer principal downloads an integration message's raw payload",
      attacker: "principal@d001.example",
      setup: (db) => storedMessage(db, (id) => `/integration/messages/${id}/raw`),
    },
  ],
};
