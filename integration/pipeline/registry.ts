// Every feed the portal knows, by system and type. Types named in the contract but not built yet
// answer 501 with a clear message (issue 3 §2).
import type { IntegrationSystem } from "../../db/schema";
import { dealerMasterFeed } from "../erp/dealer-master-feed.server";
import { materialMasterFeed } from "../erp/material-master-feed.server";
import { partsStockFeed } from "../erp/parts-stock-feed.server";
import { productionEventFeed } from "../mes/production-event-feed.server";
import { vehicleInventoryFeed } from "../dms/vehicle-inventory-feed.server";
import type { Feed } from "./feed";

export const plannedTypes: Record<IntegrationSystem, readonly string[]> = {
  erp: ["dealer-master", "material-master", "parts-stock", "order-ack", "invoice", "payment"],
  bank: ["statement"],
  dms: ["vehicle-inventory", "retail-sale", "repair-order"],
  mes: ["production-event", "build-plan"],
};

const feeds: Feed<never>[] = [
  dealerMasterFeed as Feed<never>,
  materialMasterFeed as Feed<never>,
  partsStockFeed as Feed<never>,
  productionEventFeed as Feed<never>,
  vehicleInventoryFeed as Feed<never>,
];

export function findFeed(system: string, type: string): Feed | "not_implemented" | null {
  const feed = feeds.find((f) => f.system === system && f.type === type);
  if (feed) return feed as Feed;
  if ((plannedTypes as Record<string, readonly string[]>)[system]?.includes(type)) return "not_implemented";
  return null;
}

export function isSystem(value: string): value is IntegrationSystem {
  return value === "erp" || value === "dms" || value === "mes" || value === "bank";
}

/** Adds a feed at run time (tests, and extensions that bring their own); returns its removal. */
export function registerFeed(feed: Feed): () => void {
  feeds.push(feed as Feed<never>);
  return () => {
    const at = feeds.indexOf(feed as Feed<never>);
    if (at >= 0) feeds.splice(at, 1);
  };
}
