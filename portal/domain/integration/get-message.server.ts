// One stored message for the monitor's message page and its raw download (issue 3 §9). OEM admins
// only; anyone else, and any id that is not one of ours, gets NotFound.
import { eq } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { integrationMessages, organizations, type IntegrationMessage } from "../../../db/schema";
import { requirePermission } from "../authorize";
import type { Ctx } from "../context";
import { inScope } from "../context";
import { NotFoundError } from "../errors";
import { isUuid } from "../organizations/get-organization.server";
import { legalActions, type MessageAction } from "./message-rules.server";
import { previewPayload, type PayloadPreview } from "./pretty-payload.server";

export type MessageView = Omit<IntegrationMessage, "payload"> & {
  organizationCode: string | null;
  organizationName: string | null;
  duplicateOfMessageId: string | null;
  preview: PayloadPreview;
  actions: MessageAction[];
};

const m = integrationMessages;

export async function getMessageForActor(ctx: Ctx, id: string): Promise<MessageView> {
  requirePermission(ctx.actor, "integration:monitor");
  if (!isUuid(id)) throw new NotFoundError("integration_message");
  const original = alias(m, "original");
  const row = await inScope(ctx, async (tx) => {
    const [found] = await tx
      .select({
        message: m,
        organizationCode: organizations.code,
        organizationName: organizations.name,
        duplicateOfMessageId: original.messageId,
      })
      .from(m)
      .leftJoin(organizations, eq(organizations.id, m.organizationId))
      .leftJoin(original, eq(original.id, m.duplicateOf))
      .where(eq(m.id, id.toLowerCase()));
    return found;
  });
  if (!row) throw new NotFoundError("integration_message");
  const { payload, ...message } = row.message;
  return {
    ...message,
    organizationCode: row.organizationCode,
    organizationName: row.organizationName,
    duplicateOfMessageId: row.duplicateOfMessageId,
    preview: previewPayload(payload, message.contentType),
    actions: legalActions(message.status),
  };
}

export type RawPayload = { bytes: Buffer; contentType: string; filename: string };

/** The bytes as received, with a content type we chose (never the sender's text) and a file name. */
export async function getMessagePayload(ctx: Ctx, id: string): Promise<RawPayload> {
  requirePermission(ctx.actor, "integration:monitor");
  if (!isUuid(id)) throw new NotFoundError("integration_message");
  const [row] = await inScope(ctx, (tx) =>
    tx
      .select({
        payload: m.payload,
        contentType: m.contentType,
        system: m.system,
        type: m.messageType,
        messageId: m.messageId,
      })
      .from(m)
      .where(eq(m.id, id.toLowerCase())),
  );
  if (!row) throw new NotFoundError("integration_message");
  const declared = row.contentType.toLowerCase();
  const head = row.payload
    .subarray(0, 64)
    .toString("utf8")
    .replace(/^\uFEFF/, "")
    .trimStart();
  const kind =
    /json/.test(declared) || head.startsWith("{") || head.startsWith("[")
      ? "json"
      : /xml/.test(declared) || head.startsWith("<")
        ? "xml"
        : "bin";
  const charset = /charset=(utf-8|utf-16|iso-8859-1|windows-1252)/.exec(declared)?.[1];
  const contentType =
    kind === "json"
      ? "application/json; charset=utf-8"
      : kind === "xml"
        ? `application/xml${charset ? `; charset=${charset}` : ""}`
        : "application/octet-stream";
  const safeId = row.messageId.replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 80);
  return { bytes: row.payload, contentType, filename: `${row.system}-${row.type}-${safeId}.${kind}` };
}
