// What the audit log may be sorted and filtered by (shared by the screen and the server).
import type { ListSpec } from "../list-query";

export const auditListSpec = {
  sorts: ["at", "action", "entityType", "actor"],
  defaultSort: "at",
  defaultDir: "desc",
  filters: { q: "text", action: "text", entity: "text", from: "text", to: "text" },
} as const satisfies ListSpec<string, string>;
