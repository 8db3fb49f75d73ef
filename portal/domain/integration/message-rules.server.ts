// Which monitor actions a message's status allows. The database enforces the transitions themselves
// (migration 0003); this decides what the monitor offers and what it refuses with a clear reason.
import type { MessageStatus } from "../../../db/schema";

export type MessageAction = "reprocess" | "cancel";

/** Reprocess: failed or dead back to received (then processed now). Processed is final. */
export const reprocessableStatuses: readonly MessageStatus[] = ["failed", "dead"];
/** Cancel: a message not yet applied that nobody wants applied. */
export const cancellableStatuses: readonly MessageStatus[] = ["received", "failed", "dead"];

export function legalActions(status: MessageStatus): MessageAction[] {
  const actions: MessageAction[] = [];
  if (reprocessableStatuses.includes(status)) actions.push("reprocess");
  if (cancellableStatuses.includes(status)) actions.push("cancel");
  return actions;
}
