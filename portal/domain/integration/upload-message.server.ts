// A file uploaded in the monitor (issue 3 §2 "an upload form in the monitor"): it goes through the
// same receiveMessage as the HTTP endpoint, with channel "upload", so storage, idempotency,
// duplicates, validation and the acknowledgement are identical. "Validate only" reads, validates and
// maps without storing. The upload and its audit row (who sent which file) commit together.
import { and, eq } from "drizzle-orm";
import { integrationMessages, type IntegrationSystem } from "../../../db/schema";
import { findFeed, isSystem } from "../../../integration/pipeline/registry";
import {
  receiveMessage,
  UnreadableMessageError,
  type Ack,
} from "../../../integration/pipeline/receive.server";
import { writeAudit } from "../audit/write-audit.server";
import { requirePermission } from "../authorize";
import type { Ctx } from "../context";
import { inScope } from "../context";
import { ValidationError } from "../errors";

export type UploadInput = {
  system: string;
  type: string;
  body: Buffer;
  contentType: string;
  fileName: string;
  validateOnly: boolean;
};

export type UploadAck = Omit<Ack, "status"> & { status: Ack["status"] | "unreadable" };
export type UploadResult = {
  ack: UploadAck;
  httpStatus: number;
  storedId: string | null;
  validateOnly: boolean;
  fileName: string;
  sizeBytes: number;
};

/** The feed an upload names, or a validation error saying why there is none. */
export function feedForUpload(system: string, type: string) {
  const feed = isSystem(system) ? findFeed(system, type) : null;
  if (!feed)
    throw new ValidationError([
      {
        field: "feed",
        rule: "unknown_feed",
        message: `there is no feed ${system.slice(0, 20)}/${type.slice(0, 40)}`,
      },
    ]);
  if (feed === "not_implemented") {
    throw new ValidationError([
      {
        field: "feed",
        rule: "not_connected",
        message: `${system}/${type} is part of the contract but not connected yet`,
      },
    ]);
  }
  return feed;
}

export async function uploadMessage(ctx: Ctx, input: UploadInput): Promise<UploadResult> {
  requirePermission(ctx.actor, "integration:monitor");
  const feed = feedForUpload(input.system, input.type);
  if (input.body.length === 0)
    throw new ValidationError([{ field: "file", rule: "required", message: "choose a file to upload" }]);
  if (input.body.length > feed.maxBytes) {
    throw new ValidationError([
      {
        field: "file",
        rule: "file_too_large",
        message: `the file may be at most ${feed.maxBytes} bytes for ${feed.system}/${feed.type}`,
        params: { max: feed.maxBytes },
      },
    ]);
  }
  const fileName = input.fileName.replace(/[\r\n]/g, " ").slice(0, 200);
  // A concurrent copy of the same message can win the unique index inside our transaction; the
  // second attempt then finds it and answers its acknowledgement.
  for (let attempt = 0; ; attempt++) {
    try {
      return await inScope(ctx, async (tx, c) => {
        let result: { ack: UploadAck; httpStatus: number };
        try {
          result = await receiveMessage(
            tx,
            {
              feed,
              body: input.body,
              contentType: input.contentType || "application/octet-stream",
              channel: "upload",
              validateOnly: input.validateOnly,
              correlationId: ctx.requestId ?? null,
            },
            ctx.now,
          );
        } catch (error) {
          if (!(error instanceof UnreadableMessageError)) throw error;
          result = {
            ack: {
              messageId: "",
              status: "unreadable",
              summary: null,
              errors: [{ field: "body", rule: error.code, message: error.message }],
              warnings: [],
            },
            httpStatus: 400,
          };
        }
        let storedId: string | null = null;
        if (!input.validateOnly && result.ack.messageId) {
          const [row] = await tx
            .select({ id: integrationMessages.id })
            .from(integrationMessages)
            .where(
              and(
                eq(integrationMessages.system, feed.system as IntegrationSystem),
                eq(integrationMessages.direction, "inbound"),
                eq(integrationMessages.messageId, result.ack.messageId),
              ),
            );
          storedId = row?.id ?? null;
        }
        await writeAudit(c, {
          action: input.validateOnly ? "integration.message_validated" : "integration.message_uploaded",
          entityType: "integration_message",
          entityId: storedId,
          after: {
            system: feed.system,
            type: feed.type,
            fileName,
            bytes: input.body.length,
            messageId: result.ack.messageId,
            status: result.ack.status,
            errors: result.ack.errors.length,
          },
        });
        return {
          ...result,
          storedId,
          validateOnly: input.validateOnly,
          fileName,
          sizeBytes: input.body.length,
        };
      });
    } catch (error) {
      if (attempt === 0 && isUniqueViolation(error)) continue;
      throw error;
    }
  }
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; cause?: { code?: string } };
  return e?.code === "23505" || e?.cause?.code === "23505";
}
