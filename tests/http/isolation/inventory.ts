// Isolation cases of the inventory screens: another dealer's vehicle answers 404 and shows nothing.
import crypto from "node:crypto";
import { eq } from "drizzle-orm";
import { vehicleEvents, vehicles } from "../../../db/schema";
import { vinCheckDigit } from "../../../integration/common/vin";
import { dealerOf, sys, type IsolationCase } from "../isolation-cases";

/** A VIN with a correct check digit and a random serial. */
function randomVin(): string {
  const serial = String(crypto.randomInt(0, 1_000_000)).padStart(6, "0");
  const draft = `LHX1A2B30S7${serial}`;
  return draft.slice(0, 8) + vinCheckDigit(draft) + draft.slice(9);
}

export const inventoryCases: Record<string, IsolationCase[]> = {
  "/vehicles/:vin": [
    {
      title: "a D002 principal opens a vehicle in D001's stock",
      attacker: "principal@d002.example",
      setup: async (db) => {
        const d001 = await dealerOf(db, "D001");
        const vin = randomVin();
        const eventId = `ISO-SECRET-EVENT-${vin}`;
        await sys(db, async (tx) => {
          await tx.insert(vehicles).values({ vin, vinValid: true, organizationId: d001.id, status: "dealer_stock", make: "SECRETMAKE", model: "Hidden Model", stockNumber: "STK-SECRET-77", currency: "CNY", listPriceMinor: 123456700n });
          await tx.insert(vehicleEvents).values({ vin, eventId, stage: "shipped", sequence: 7n, occurredAt: new Date(), plant: "P100" });
        });
        return {
          path: `/vehicles/${vin}`,
          // The VIN is in the address the attacker typed; everything else about the car must stay hidden.
          secrets: ["SECRETMAKE", "Hidden Model", "STK-SECRET-77", eventId],
          snapshot: () => sys(db, (tx) => tx.select().from(vehicles).where(eq(vehicles.vin, vin))),
        };
      },
    },
    {
      title: "a D001 salesperson opens a vehicle still at the factory (the OEM's)",
      attacker: "sales@d001.example",
      setup: async (db) => {
        const vin = randomVin();
        await sys(db, (tx) => tx.insert(vehicles).values({ vin, vinValid: true, organizationId: null, status: "in_production", location: "P100-SECRET-LINE", orderReference: "0000999111" }));
        return {
          path: `/vehicles/${vin}`,
          secrets: ["P100-SECRET-LINE", "0000999111"],
          snapshot: () => sys(db, (tx) => tx.select().from(vehicles).where(eq(vehicles.vin, vin))),
        };
      },
    },
  ],
};
