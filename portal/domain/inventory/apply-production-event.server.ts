// Applies MES production events (issue 3 §7): each event creates or updates its vehicle and is kept
// in the vehicle's production timeline (vehicle_events), once per event id.
//
// Rules:
// - Status by stage: scheduled → scheduled; body, paint, assembly → in_production; end_of_line,
//   quality_gate → built; shipped → in_transit. The MES "shipped" event is the factory gate-out: from
//   then on the vehicle is on its way to a dealer, which is what stock screens and the days'-supply
//   input "in transit" (DESIGN §3, allocation) count. `shipped` stays free for the order life cycle.
// - Out-of-order safety (DESIGN §5): the MES numbers a VIN's events (`sequence`). An event not newer
//   than the last applied one — by sequence, then by its time — is recorded with stale = true and
//   changes nothing else.
// - Once a dealer holds the vehicle (dealer_stock or sold, from the DMS), factory events complete
//   the timeline but no longer move its status or its organisation: a late "shipped" must not pull
//   a car out of a dealer's stock.
// - The events of one message are applied sorted by (VIN, sequence): the order inside one delivery
//   does not matter, and concurrent batches lock vehicles in the same order (no deadlocks).
import { eq } from "drizzle-orm";
import { vehicleEvents, vehicles, type Vehicle, type VehicleStatus } from "../../../db/schema";
import { writeAudit } from "../audit/write-audit.server";
import type { Ctx } from "../context";
import { inScope } from "../context";

export const productionStages = ["scheduled", "body", "paint", "assembly", "end_of_line", "quality_gate", "shipped"] as const;
export type ProductionStageName = (typeof productionStages)[number];

export const statusByStage: Record<ProductionStageName, VehicleStatus> = {
  scheduled: "scheduled",
  body: "in_production",
  paint: "in_production",
  assembly: "in_production",
  end_of_line: "built",
  quality_gate: "built",
  shipped: "in_transit",
};

/** Statuses a dealer feed owns; MES events no longer change them. */
const downstream: readonly VehicleStatus[] = ["dealer_stock", "sold"];

export type ProductionEventInput = {
  eventId: string;
  /** Already validated by the feed (17 characters, check digit). */
  vin: string;
  stage: ProductionStageName;
  /** ISO 8601 with an offset. */
  occurredAt: string;
  sequence: number;
  plant: string;
  orderReference: string | null;
};

export type EventOutcome = "applied" | "stale" | "already_recorded";

export type ProductionEventsResult = {
  applied: number;
  stale: number;
  alreadyRecorded: number;
  vehiclesCreated: number;
  statusChanges: number;
  /** Per event, in the order of the input. */
  outcomes: { eventId: string; vin: string; outcome: EventOutcome; index: number }[];
  /** Organisation holding the vehicle when all events concern one vehicle (for the message view). */
  organizationId: string | null;
};

type Row = Pick<Vehicle, "vin" | "organizationId" | "status" | "location" | "orderReference" | "lastEventSequence" | "lastEventAt">;

export async function applyProductionEvents(
  ctx: Ctx,
  input: { messageId: string | null; events: ProductionEventInput[] },
): Promise<ProductionEventsResult> {
  const ordered = input.events
    .map((event, index) => ({ event, index, at: new Date(event.occurredAt) }))
    .sort((a, b) => (a.event.vin < b.event.vin ? -1 : a.event.vin > b.event.vin ? 1 : a.event.sequence - b.event.sequence || a.at.getTime() - b.at.getTime() || a.index - b.index));
  const result: ProductionEventsResult = { applied: 0, stale: 0, alreadyRecorded: 0, vehiclesCreated: 0, statusChanges: 0, outcomes: [], organizationId: null };

  return inScope(ctx, async (tx, c) => {
    const orgs = new Set<string | null>();
    for (let i = 0; i < ordered.length; ) {
      const vin = ordered[i]!.event.vin;
      let j = i;
      while (j < ordered.length && ordered[j]!.event.vin === vin) j++;
      const group = ordered.slice(i, j);
      i = j;

      const first = group[0]!.event;
      // Create the vehicle or lock it: concurrent messages for one VIN apply one after the other.
      const [created] = await tx
        .insert(vehicles)
        .values({ vin, vinValid: true, organizationId: null, status: statusByStage[first.stage], location: first.plant, updatedAt: ctx.now })
        .onConflictDoNothing({ target: vehicles.vin })
        .returning();
      let before: Row | null = null;
      let current: Row;
      if (created) {
        current = { ...created };
        result.vehiclesCreated++;
      } else {
        const [locked] = await tx.select().from(vehicles).where(eq(vehicles.vin, vin)).for("update");
        before = { ...locked! };
        current = { ...locked! };
      }

      let changed = Boolean(created);
      for (const { event, index, at } of group) {
        const newer =
          current.lastEventSequence === null ||
          BigInt(event.sequence) > current.lastEventSequence ||
          (BigInt(event.sequence) === current.lastEventSequence && current.lastEventAt !== null && at.getTime() > current.lastEventAt.getTime());
        const [recorded] = await tx
          .insert(vehicleEvents)
          .values({ vin, eventId: event.eventId, stage: event.stage, sequence: BigInt(event.sequence), occurredAt: at, plant: event.plant, messageId: input.messageId, stale: !newer, createdAt: ctx.now })
          .onConflictDoNothing({ target: vehicleEvents.eventId })
          .returning({ id: vehicleEvents.id });
        let outcome: EventOutcome;
        if (!recorded) {
          outcome = "already_recorded";
          result.alreadyRecorded++;
        } else if (!newer) {
          outcome = "stale";
          result.stale++;
        } else {
          outcome = "applied";
          result.applied++;
          changed = true;
          current.lastEventSequence = BigInt(event.sequence);
          current.lastEventAt = at;
          current.orderReference = event.orderReference ?? current.orderReference;
          if (!downstream.includes(current.status)) {
            current.status = statusByStage[event.stage];
            current.location = event.plant;
          }
        }
        result.outcomes.push({ eventId: event.eventId, vin, outcome, index });
      }
      orgs.add(current.organizationId);

      if (!changed) continue;
      const [after] = await tx
        .update(vehicles)
        .set({
          status: current.status,
          location: current.location,
          orderReference: current.orderReference,
          lastEventSequence: current.lastEventSequence,
          lastEventAt: current.lastEventAt,
          updatedAt: ctx.now,
        })
        .where(eq(vehicles.vin, vin))
        .returning();
      // One audit row per vehicle and message, for a new vehicle or a status change.
      if (!before) {
        await writeAudit(c, { action: "vehicle.created", entityType: "vehicle", entityId: vin, organizationId: after!.organizationId, after: auditView(after!) });
      } else if (before.status !== after!.status) {
        result.statusChanges++;
        await writeAudit(c, {
          action: "vehicle.status_changed",
          entityType: "vehicle",
          entityId: vin,
          organizationId: after!.organizationId,
          before: auditView(before),
          after: auditView(after!),
        });
      }
    }
    result.outcomes.sort((a, b) => a.index - b.index);
    result.organizationId = orgs.size === 1 ? [...orgs][0]! : null;
    return result;
  });
}

function auditView(v: Row) {
  return { status: v.status, organizationId: v.organizationId, location: v.location, lastEventSequence: v.lastEventSequence, lastEventAt: v.lastEventAt };
}
