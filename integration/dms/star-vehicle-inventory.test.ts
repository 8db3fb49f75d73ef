import { describe, expect, it } from "vitest";
import { MessageValidationError } from "../common/issues";
import { hasSamples, readFixture, readSample, samplesNote } from "../testing/samples";
import { parseStarVehicleInventory } from "./star-vehicle-inventory";

const fixture = readFixture("dms/star-vehicle-inventory-D001.xml").toString("utf8");

describe("STAR vehicle inventory: our fixture", () => {
  it("reads dealer number, vehicles and prices in USD minor units, whatever the prefix", () => {
    const { summary, document, warnings } = parseStarVehicleInventory(readFixture("dms/star-vehicle-inventory-D001.xml"));
    expect(summary).toEqual({
      documentType: "vehicle_inventory",
      documentNumber: "6f1d2c3a-0d1e-4a51-9d1f-5b7f1e9a0001",
      documentDate: "2025-03-05",
      partnerId: "000771230001",
      currency: "USD",
      lineCount: 3,
    });
    expect(document.dealerNumber).toBe("000771230001"); // leading zeros kept
    expect(document.vehicles[0]).toEqual({
      vin: "1HGCM82633A004352",
      vinCheckDigitValid: true,
      make: "HONDA",
      makePrefix: "HO",
      model: "ACCORD",
      modelDescription: "4DR SDN EX",
      modelNumber: null,
      year: 2003,
      exteriorColor: "SILVER",
      interiorColor: "GRAY",
      stockNumber: "U1001",
      status: { code: "1", description: "IN-STOCK" },
      condition: "used",
      receivedDate: "2025-02-14",
      odometer: "148210",
      vehicleType: "P",
      location: "LOT A",
      factoryOrderNumber: null,
      prices: { currency: "USD", listPriceMinor: "499500", inventoryMinor: "350000", invoiceMinor: null, salesCostMinor: "361050", floorplanMinor: null },
    });
    expect(document.vehicles[1]).toMatchObject({
      vin: "1M8GDM9AXKP042788",
      condition: "new",
      factoryOrderNumber: "0004471",
      prices: { listPriceMinor: "58900000", floorplanMinor: "51200000", invoiceMinor: "51200000" },
    });
    // The European VIN has no check digit: stored, with a warning naming it.
    expect(document.vehicles[2]).toMatchObject({ vin: "WP0ZZZ99ZTS392124", vinCheckDigitValid: false, status: { code: "2", description: "DEMO" } });
    expect(warnings).toEqual([
      expect.objectContaining({ field: "VehInvRec[3]/Vehicle/@Vin", rule: "check_digit", message: expect.stringContaining("WP0ZZZ99ZTS392124") }),
    ]);
  });

  it("refuses records without a usable VIN and a feed without a dealer number, naming the field", () => {
    const broken = fixture
      .replace("<star:DealerNumber>000771230001</star:DealerNumber>", "")
      .replace('Vin="1M8GDM9AXKP042788"', 'Vin="1M8GDM9AXKP04278"')
      .replace('Vin="WP0ZZZ99ZTS392124"', "");
    try {
      parseStarVehicleInventory(broken);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(MessageValidationError);
      const issues = (e as MessageValidationError).issues;
      expect(issues.map((i) => [i.field, i.rule])).toEqual([
        ["ApplicationArea/Sender/DealerNumber", "required"],
        ["VehInvRec[2]/Vehicle/@Vin", "length"],
        ["VehInvRec[3]/Vehicle/@Vin", "required"],
      ]);
    }
  });

  it("turns an unreadable price or date into a warning and an empty value", () => {
    const { document, warnings } = parseStarVehicleInventory(
      fixture.replace('ListPrice="4995.00"', 'ListPrice="4,995.00"').replace('RcptDate="02/14/2025"', 'RcptDate="2025-02-14"'),
    );
    expect(document.vehicles[0]!.prices.listPriceMinor).toBeNull();
    expect(document.vehicles[0]!.receivedDate).toBeNull();
    expect(warnings.map((w) => [w.field, w.rule])).toEqual([
      ["VehInvRec[1][Vin=1HGCM82633A004352]/StockingInfo/@RcptDate", "date"],
      ["VehInvRec[1][Vin=1HGCM82633A004352]/PriceCost/@ListPrice", "amount"],
      ["VehInvRec[3]/Vehicle/@Vin", "check_digit"],
    ]);
  });

  it("warns about a VIN listed twice", () => {
    const doubled = fixture.replace('Vin="1M8GDM9AXKP042788"', 'Vin="1HGCM82633A004352"');
    expect(parseStarVehicleInventory(doubled).warnings[0]).toMatchObject({ field: "VehInvRec[2]/Vehicle/@Vin", rule: "duplicate" });
  });
});

describe.skipIf(!hasSamples)(`STAR vehicle inventory: shared Reynolds sample, byte for byte${samplesNote}`, () => {
  const file = "star-dms/sample_vehicle_inventory_anonymized.xml";
  let parsed: ReturnType<typeof parseStarVehicleInventory> | undefined;
  const sample = () => (parsed ??= parseStarVehicleInventory(readSample(file)));

  it("reads all 394 vehicles of dealer 542951325614443", () => {
    const { summary, document } = sample();
    expect(summary).toEqual({
      documentType: "vehicle_inventory",
      documentNumber: "ddd70a46-c37c-4ccb-af4b-f1b119039910",
      documentDate: "2022-01-25",
      partnerId: "542951325614443",
      currency: "USD",
      lineCount: 394,
    });
    expect(document).toMatchObject({ dealerNumber: "542951325614443", storeNumber: "01", areaNumber: "01", createdAt: "2022-01-25T09:25:18" });
    expect(document.vehicles.filter((v) => v.condition === "new")).toHaveLength(322);
    expect(document.vehicles.filter((v) => v.condition === "used")).toHaveLength(72);
    expect(document.vehicles.filter((v) => v.make === "HONDA")).toHaveLength(363);
    expect(document.vehicles.filter((v) => v.prices.floorplanMinor !== null)).toHaveLength(320);
  });

  it("maps the first, second and last records exactly", () => {
    const { document } = sample();
    expect(document.vehicles[0]).toMatchObject({
      vin: "1FAKE4XT3MEYPK0CH",
      make: "CHEVROLET",
      model: "EXPRESS 1500",
      modelDescription: "VAN",
      year: 2002,
      stockNumber: "22B7160B",
      status: { code: "9", description: "CO VEH" },
      condition: "used",
      receivedDate: "2003-03-04",
      location: "PARTS DLY",
      prices: { listPriceMinor: "0", inventoryMinor: "1100000", salesCostMinor: "1310791", invoiceMinor: null },
    });
    expect(document.vehicles[1]).toMatchObject({
      vin: "1FAKECV9DHPU6E39R",
      model: "CIVIC SEDAN",
      year: 2018,
      stockNumber: "22F6544",
      receivedDate: "2020-07-02",
      prices: { listPriceMinor: "1706600", inventoryMinor: "1350000", salesCostMinor: "1607612" },
    });
    expect(document.vehicles.at(-1)).toMatchObject({ vin: "1FAKEWEMM9FBB1CPU", make: "HONDA", model: "INSIGHT", year: 2019, stockNumber: "22C1423C" });
    expect(document.vehicles.find((v) => v.vin === "1FAKE6JBF89HU10GL")!.prices.listPriceMinor).toBeNull(); // the one record without ListPrice
    expect(document.vehicles.find((v) => v.vin === "1FAKEE1NL3D09NYUA")!.factoryOrderNumber).toBe("4112779");
  });

  it("sums prices exactly in cents", () => {
    const { document } = sample();
    const sum = (pick: (v: (typeof document.vehicles)[number]) => string | null) => document.vehicles.reduce((s, v) => s + BigInt(pick(v) ?? "0"), 0n);
    expect(sum((v) => v.prices.inventoryMinor)).toBe(1009852210n);
    expect(sum((v) => v.prices.listPriceMinor)).toBe(1095068400n);
  });

  it("stores the anonymised VINs, each failing check digit as a warning naming the VIN", () => {
    const { document, warnings } = sample();
    expect(warnings.every((w) => w.rule === "check_digit")).toBe(true);
    expect(warnings).toHaveLength(384); // 10 of the 394 fake VINs pass the check digit by chance
    expect(document.vehicles.filter((v) => v.vinCheckDigitValid)).toHaveLength(10);
    expect(warnings[0]!.message).toContain("1FAKE4XT3MEYPK0CH");
  });
});
