// What the organisation list may be sorted and filtered by (shared by the screen and the server).
import { organizationType } from "../../../db/schema";
import type { ListSpec } from "../list-query";

export const organizationListSpec = {
  sorts: ["code", "name", "type", "region", "status", "users", "createdAt"],
  defaultSort: "code",
  filters: { q: "text", type: organizationType.enumValues, status: ["active", "inactive"], region: "text" },
} as const satisfies ListSpec<string, string>;
