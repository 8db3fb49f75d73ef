// Dealer vehicle stock in from the DMS, in the STAR-style export of Reynolds & Reynolds ERA
// (task "VI"; issue 3 §7): attribute-centric VehInvRec records in the STAR namespace. Read as it is:
// the root element's name varies per export (rey_HendrickRWBVehicleInventory), so records are
// found by (namespace, local name) under whatever root arrives.
//
// Rules: the dealer number (ApplicationArea/Sender/DealerNumber) is the partner id our mapping
// table resolves to a dealer. Dealer stock includes used cars of other makes and foreign VINs
// without a check digit, so a failing check digit is a WARNING naming the VIN (the MES feed of our
// own production rejects it). A record without a usable VIN is an error: stock is kept by VIN.
// Prices are US dollars (Reynolds is a US DMS; the export names no currency). Unreadable
// non-key values (a date, a price) become null with a warning, so one typo does not hold back the
// whole lot.
import { attr, child, children, parseXmlSafely, path, text, type SafeXmlOptions, type XmlElement } from "../xml/safe-xml";
import { FieldError, IssueCollector } from "../common/issues";
import { checkVin } from "../common/vin";
import { decimalToMinor, isoDate, usDate } from "../common/values";
import type { DocumentSummary, ParseResult } from "../common/summary";

export const STAR_NS = "http://www.starstandards.org/STAR";
export const STAR_CURRENCY = "USD";

export interface DealerVehicle {
  vin: string;
  /** False when the check digit at position 9 does not match (a warning was issued). */
  vinCheckDigitValid: boolean;
  make: string | null;
  makePrefix: string | null;
  model: string | null;
  modelDescription: string | null;
  modelNumber: string | null;
  year: number | null;
  exteriorColor: string | null;
  interiorColor: string | null;
  stockNumber: string | null;
  status: { code: string | null; description: string | null };
  condition: "new" | "used" | null;
  /** YYYY-MM-DD */
  receivedDate: string | null;
  odometer: string | null;
  vehicleType: string | null;
  location: string | null;
  factoryOrderNumber: string | null;
  /** Minor units of `currency` as integer strings; null where the export has no value. */
  prices: {
    currency: string;
    listPriceMinor: string | null;
    inventoryMinor: string | null;
    invoiceMinor: string | null;
    salesCostMinor: string | null;
    floorplanMinor: string | null;
  };
}

export interface VehicleInventoryDocument {
  format: "star";
  dealerNumber: string;
  storeNumber: string | null;
  areaNumber: string | null;
  bodId: string | null;
  createdAt: string | null;
  vehicles: DealerVehicle[];
}

export type VehicleInventoryResult = ParseResult<DocumentSummary, VehicleInventoryDocument>;

export function parseStarVehicleInventory(input: string | Uint8Array, opts: SafeXmlOptions = {}): VehicleInventoryResult {
  const { root } = parseXmlSafely(input, opts);
  const ns = root.ns;
  const issues = new IssueCollector();
  if (ns !== STAR_NS) {
    issues.warn(root.qname, "namespace", `The root element is in namespace "${ns}", not the STAR namespace ${STAR_NS}; read anyway`);
  }

  const sender = path(root, ["ApplicationArea", "Sender"]);
  const dealerNumber = text(child(sender, ns, "DealerNumber"))?.trim() ?? "";
  if (dealerNumber === "") {
    issues.error("ApplicationArea/Sender/DealerNumber", "required", "ApplicationArea/Sender/DealerNumber (the sending dealer) is missing");
  }
  const created = text(path(root, ["ApplicationArea", "CreationDateTime"]))?.trim();
  const createdDate = created ? issues.try(() => isoDate(created, "ApplicationArea/CreationDateTime")) ?? null : null;
  const bodId = text(path(root, ["ApplicationArea", "BODId"]))?.trim() || null;

  const records = children(root, ns, "VehInvRec");
  const vehicles: DealerVehicle[] = [];
  const seen = new Map<string, number>();
  records.forEach((rec, i) => {
    const vehicle = readVehicle(rec, i + 1, issues);
    if (!vehicle) return;
    const first = seen.get(vehicle.vin);
    if (first !== undefined) {
      issues.warn(`VehInvRec[${i + 1}]/Vehicle/@Vin`, "duplicate", `VIN ${vehicle.vin} appears again in record ${i + 1} (first in record ${first}); the last record wins`);
    } else {
      seen.set(vehicle.vin, i + 1);
    }
    vehicles.push(vehicle);
  });

  const summary: DocumentSummary = {
    documentType: "vehicle_inventory",
    documentNumber: bodId,
    documentDate: createdDate,
    partnerId: dealerNumber || null,
    currency: STAR_CURRENCY,
    lineCount: vehicles.length,
  };
  issues.throwIfErrors(summary);
  return {
    summary,
    document: {
      format: "star",
      dealerNumber,
      storeNumber: text(child(sender, ns, "StoreNumber"))?.trim() || null,
      areaNumber: text(child(sender, ns, "AreaNumber"))?.trim() || null,
      bodId,
      createdAt: created ?? null,
      vehicles,
    },
    warnings: issues.warnings,
  };
}

function readVehicle(rec: XmlElement, index: number, issues: IssueCollector): DealerVehicle | undefined {
  const vehicle = child(rec, rec.ns, "Vehicle");
  const vin = attr(vehicle, "Vin")?.trim().toUpperCase() ?? "";
  const at = `VehInvRec[${index}]`;
  if (vin === "") {
    issues.error(`${at}/Vehicle/@Vin`, "required", `${at}: the vehicle has no VIN`);
    return undefined;
  }
  const check = checkVin(vin);
  if (!check.ok && check.rule !== "check_digit") {
    issues.error(`${at}/Vehicle/@Vin`, check.rule, `${at}: ${check.message}`);
    return undefined;
  }
  if (!check.ok) issues.warn(`${at}/Vehicle/@Vin`, "check_digit", `${at}: ${check.message}; stored with this warning`);

  const detail = child(vehicle, rec.ns, "VehicleDetail");
  const stocking = child(rec, rec.ns, "StockingInfo");
  const priceCost = child(rec, rec.ns, "PriceCost");
  const where = `${at}[Vin=${vin}]`;

  const optional = <T>(read: () => T): T | null => {
    try {
      return read();
    } catch (e) {
      if (e instanceof FieldError) {
        issues.warn(e.field, e.rule, `${e.message}; read as empty`);
        return null;
      }
      throw e;
    }
  };
  const price = (el: XmlElement | undefined, name: string, elName: string): string | null => {
    const value = attr(el, name)?.trim();
    if (value === undefined || value === "") return null;
    return optional(() => decimalToMinor(value, STAR_CURRENCY, `${where}/${elName}/@${name}`).toString());
  };

  const yearText = attr(vehicle, "VehicleYr")?.trim();
  let year: number | null = null;
  if (yearText) {
    if (/^\d{4}$/.test(yearText)) year = Number(yearText);
    else issues.warn(`${where}/Vehicle/@VehicleYr`, "format", `${where}/Vehicle/@VehicleYr "${yearText}" is not a four-digit year; read as empty`);
  }
  const newUsed = attr(detail, "NewUsed")?.trim();
  const condition = newUsed === "N" ? "new" : newUsed === "U" ? "used" : null;
  if (newUsed && !condition) issues.warn(`${where}/VehicleDetail/@NewUsed`, "enum", `${where}/VehicleDetail/@NewUsed "${newUsed}" is neither N nor U`);
  const received = attr(stocking, "RcptDate")?.trim();

  return {
    vin,
    vinCheckDigitValid: check.ok,
    make: value(attr(vehicle, "VehicleMake")),
    makePrefix: value(attr(vehicle, "MakePfx")),
    model: value(attr(vehicle, "Carline")),
    modelDescription: value(attr(vehicle, "ModelDesc")),
    modelNumber: value(attr(vehicle, "MdlNo")),
    year,
    exteriorColor: value(attr(vehicle, "ExtClrDesc") ?? attr(vehicle, "ExtClrCode")),
    interiorColor: value(attr(vehicle, "IntClrDesc") ?? attr(vehicle, "IntClrCode")),
    stockNumber: value(attr(stocking, "Id")),
    status: { code: value(attr(stocking, "StatCode")), description: value(attr(stocking, "StatDesc")) },
    condition,
    receivedDate: received ? optional(() => usDate(received, `${where}/StockingInfo/@RcptDate`)) : null,
    odometer: value(attr(detail, "OdomReading")),
    vehicleType: value(attr(stocking, "VehicleType")),
    location: value(attr(stocking, "Loc")),
    factoryOrderNumber: value(attr(child(rec, rec.ns, "OrderInfo"), "FactOrdNo")),
    prices: {
      currency: STAR_CURRENCY,
      listPriceMinor: price(priceCost, "ListPrice", "PriceCost"),
      inventoryMinor: price(priceCost, "InvenAmt", "PriceCost"),
      invoiceMinor: price(priceCost, "InvAmt", "PriceCost"),
      salesCostMinor: price(priceCost, "SlsCost", "PriceCost"),
      floorplanMinor: price(path(rec, ["Floorplan", "FloorplanInfo"]), "FlrplnAmt", "Floorplan/FloorplanInfo"),
    },
  };
}

function value(raw: string | undefined): string | null {
  const v = raw?.trim();
  return v ? v : null;
}
