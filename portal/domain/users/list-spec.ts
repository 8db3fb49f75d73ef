// What the user list may be sorted and filtered by (shared by the screen and the server).
import { roles } from "../../../db/schema";
import type { ListSpec } from "../list-query";

export const userListSpec = {
  sorts: ["name", "email", "role", "organization", "status", "lastLoginAt", "createdAt"],
  defaultSort: "name",
  filters: { q: "text", role: roles, status: ["active", "inactive"], org: "text" },
} as const satisfies ListSpec<string, string>;
