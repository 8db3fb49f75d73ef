// What the parts-stock and stock-alert lists may be sorted and filtered by (shared by the screens,
// their CSV exports and the server).
import type { ListSpec } from "../list-query";

export const partsStockListSpec = {
  sorts: ["warehouse", "part", "description", "quantity", "threshold", "snapshotAt"],
  defaultSort: "warehouse",
  filters: { warehouse: "text", q: "text", below: ["1"] },
} as const satisfies ListSpec<string, string>;

export const stockAlertListSpec = {
  sorts: ["raisedAt", "warehouse", "part", "level", "threshold", "clearedAt"],
  defaultSort: "raisedAt",
  defaultDir: "desc",
  filters: { status: ["open", "cleared"], warehouse: "text", q: "text" },
} as const satisfies ListSpec<string, string>;
