// What the vehicle list may be sorted and filtered by (shared by the screen, its CSV and the server).
import { vehicleStatus } from "../../../db/schema";
import type { ListSpec } from "../list-query";

export const vehicleStatuses = vehicleStatus.enumValues;

export const vehicleListSpec = {
  sorts: ["vin", "status", "make", "model", "modelYear", "stockNumber", "dealer", "listPrice", "updatedAt"],
  defaultSort: "updatedAt",
  defaultDir: "desc",
  filters: { q: "text", status: vehicleStatuses, make: "text", condition: ["new", "used"], dealer: "text" },
} as const satisfies ListSpec<string, string>;
