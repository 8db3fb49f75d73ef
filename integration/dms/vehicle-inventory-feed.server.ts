// DMS dealer vehicle inventory feed (STAR-style XML of Reynolds ERA, issue 3 §7) → the dealer's
// vehicle stock through applyDealerStock. The sender's DealerNumber is a partner id: the partner
// mapping table (system `dms`) says which of our dealers it is. An unmapped number fails the message
// ("unknown dealer …"); after OEM staff map it, the message is reprocessed and applies.
// A VIN failing the check digit (used cars, anonymised exports) is stored with the parser's warning.
// expectedEveryMinutes = 60: dealer stock is synced hourly (DESIGN §5).
import type { Ctx } from "../../portal/domain/context";
import { applyDealerStock, type DealerStockVehicle } from "../../portal/domain/inventory/apply-dealer-stock.server";
import { findPartnerOrganization } from "../../portal/domain/integration/partner-mappings.server";
import type { FieldIssue } from "../common/issues";
import { ApplyError, type Feed } from "../pipeline/feed";
import { parseStarVehicleInventory, type DealerVehicle, type VehicleInventoryDocument } from "./star-vehicle-inventory";

/** The 661 KB Reynolds sample holds 394 vehicles; a large dealer group's export stays well below. */
const maxBytes = 10 * 1024 * 1024;

function unknownDealer(dealerNumber: string): FieldIssue {
  return { field: "DealerNumber", rule: "unknown_partner", message: `unknown dealer ${dealerNumber}` };
}

async function dealerOf(ctx: Ctx, doc: VehicleInventoryDocument): Promise<string | null> {
  return findPartnerOrganization(ctx, "dms", doc.dealerNumber);
}

/**
 * The snapshot's time: the export's CreationDateTime. STAR exports carry local time without an
 * offset; it is read as UTC (the dealer's time zone is not in the message). Missing, unreadable or
 * in the future (a wrong DMS clock would make every later snapshot look stale) → the receipt time.
 */
export function snapshotTime(createdAt: string | null, receivedAt: Date): { at: Date; warning?: FieldIssue } {
  if (!createdAt) return { at: receivedAt };
  const hasOffset = /(Z|[+-]\d{2}:?\d{2})$/i.test(createdAt);
  const at = new Date(hasOffset ? createdAt : `${createdAt}Z`);
  if (Number.isNaN(at.getTime())) {
    return { at: receivedAt, warning: { field: "ApplicationArea/CreationDateTime", rule: "date", message: `CreationDateTime "${createdAt}" is not a timestamp; the receipt time is used` } };
  }
  if (at.getTime() > receivedAt.getTime()) {
    return { at: receivedAt, warning: { field: "ApplicationArea/CreationDateTime", rule: "future", message: `CreationDateTime "${createdAt}" is in the future; the receipt time is used` } };
  }
  return { at };
}

function toStock(v: DealerVehicle): DealerStockVehicle {
  return {
    vin: v.vin,
    vinValid: v.vinCheckDigitValid,
    make: v.make,
    model: v.model,
    modelYear: v.year,
    stockNumber: v.stockNumber,
    isNew: v.condition === null ? null : v.condition === "new",
    location: v.location,
    listPriceMinor: v.prices.listPriceMinor === null ? null : BigInt(v.prices.listPriceMinor),
    currency: v.prices.currency,
    orderReference: v.factoryOrderNumber,
  };
}

export const vehicleInventoryFeed: Feed<VehicleInventoryDocument> = {
  system: "dms",
  type: "vehicle-inventory",
  maxBytes,
  expectedEveryMinutes: 60,
  parse: (body) => parseStarVehicleInventory(body, { maxBytes }),
  messageIdOf: (doc) => (doc.bodId ? `BOD-${doc.bodId}` : null),
  // One export of one dealer's stock.
  businessKeyOf: (doc) => (doc.bodId ? `${doc.dealerNumber}/${doc.bodId}` : null),
  async check(ctx, doc) {
    return (await dealerOf(ctx, doc)) ? [] : [unknownDealer(doc.dealerNumber)];
  },
  async apply(ctx, doc, message) {
    const organizationId = await dealerOf(ctx, doc);
    if (!organizationId) throw new ApplyError([unknownDealer(doc.dealerNumber)]);
    const { at, warning } = snapshotTime(doc.createdAt, message.receivedAt);
    const result = await applyDealerStock(ctx, { organizationId, snapshotAt: at, vehicles: doc.vehicles.map(toStock) });
    const warnings: FieldIssue[] = warning ? [warning] : [];
    if (result.stale) {
      warnings.push({ field: "ApplicationArea/CreationDateTime", rule: "stale", message: `a newer stock snapshot of dealer ${doc.dealerNumber} was already applied; nothing changed` });
    }
    if (result.emptySnapshot) {
      warnings.push({ field: "VehInvRec", rule: "empty", message: "the snapshot lists no vehicles; the dealer's stock was left as it was" });
    }
    for (const issue of result.issues) warnings.push({ field: `Vehicle[@Vin=${issue.vin}]`, rule: issue.rule, message: issue.message });
    return {
      stale: result.stale,
      warnings,
      organizationId,
      detail: { created: result.created, arrived: result.arrived, refreshed: result.refreshed, removed: result.removed },
    };
  },
};
