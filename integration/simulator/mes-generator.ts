// Generates a realistic stream of MES production events: vehicles enter the plan and move through
// the stages minute by minute, each VIN with a valid check digit and its own increasing sequence.
import { PRODUCTION_STAGES } from "../mes/production-event";
import { vinCheckDigit } from "../common/vin";

// World manufacturer identifier and vehicle descriptor of our demo plant (Huaxia, plant P100).
const WMI = "LHX";
const VDS = "A1B2C";
const plant = "P100";

export function demoVin(serial: number, modelYearCode = "R"): string {
  const withoutCheck = `${WMI}${VDS}0${modelYearCode}A${String(serial).padStart(6, "0")}`;
  return withoutCheck.slice(0, 8) + vinCheckDigit(withoutCheck) + withoutCheck.slice(9);
}

/**
 * Events due in the window (after, until]: vehicle n enters the plan at minute n × 3 after `epoch`
 * and reaches the next stage every 10 minutes. Deterministic, so a repeated pull gives the same ids.
 */
export type SimulatedEvent = {
  eventId: string;
  vin: string;
  stage: (typeof PRODUCTION_STAGES)[number];
  occurredAt: string;
  sequence: number;
  plant: string;
  orderReference?: string;
};

export function productionEventsBetween(epoch: Date, after: Date, until: Date, maxEvents = 500): SimulatedEvent[] {
  const events: SimulatedEvent[] = [];
  const stageMinutes = 10;
  const firstVehicle = Math.max(0, Math.floor((after.getTime() - epoch.getTime()) / 60_000 / 3) - PRODUCTION_STAGES.length * 4);
  for (let n = firstVehicle; events.length < maxEvents; n++) {
    const start = epoch.getTime() + n * 3 * 60_000;
    if (start > until.getTime()) break;
    PRODUCTION_STAGES.forEach((stage, i) => {
      const at = start + i * stageMinutes * 60_000;
      if (at > after.getTime() && at <= until.getTime() && events.length < maxEvents) {
        const vin = demoVin(100_000 + n);
        events.push({
          eventId: `SIM-${plant}-${vin}-${i + 1}`,
          vin,
          stage,
          occurredAt: new Date(at).toISOString(),
          sequence: i + 1,
          plant,
          ...(i === 0 ? { orderReference: String(4_513_000 + n).padStart(10, "0") } : {}),
        });
      }
    });
  }
  return events.sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
}
