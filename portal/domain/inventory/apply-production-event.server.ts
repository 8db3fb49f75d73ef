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
type Timed = { event: ProductionEventInput; index: number; at: Date };

/** Whether the event is newer than the last one applied: by sequence, then by its time. */
function isNewer(state: Row, event: ProductionEventInput, at: Date): boolean {
  if (state.lastEventSequence === null) return true;
  const seq = BigInt(event.sequence);
  if (seq !== state.lastEventSequence) return seq > state.lastEventSequence;
  return state.lastEventAt !== null && at.getTime() > state.lastEventAt.getTime();
}

/** Runs the events over a state in order: the resulting state and which events were newer. */
function fold(start: Row, group: Timed[]): { state: Row; newer: boolean[] } {
  const state = { ...start };
  const newer = group.map(({ event, at }) => {
    if (!isNewer(state, event, at)) return false;
    state.lastEventSequence = BigInt(event.sequence);
    state.lastEventAt = at;
    state.orderReference = event.orderReference ?? state.orderReference;
    if (!downstream.includes(state.status)) {
      state.status = statusByStage[event.stage];
      state.location = event.plant;
    }
    return true;
  });
  return { state, newer };
}

const sameState = (a: Row, b: Row) =>
  a.status === b.status && a.location === b.location && a.orderReference === b.orderReference && a.lastEventSequence === b.lastEventSequence && a.lastEventAt?.getTime() === b.lastEventAt?.getTime();

export async function applyProductionEvents(
  ctx: Ctx,
  input: { messageId: string | null; events: ProductionEventInput[] },
): Promise<ProductionEventsResult> {
  const ordered: Timed[] = input.events
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

      // Lock the vehicle, or create it with the state its events lead to: concurrent messages for
      // one VIN apply one after the other (the insert waits for a concurrent insert of the same VIN).
      const lock = () => tx.select().from(vehicles).where(eq(vehicles.vin, vin)).for("update");
      let [before]: Row[] = await lock();
      let planned: ReturnType<typeof fold>;
      if (!before) {
        const first = group[0]!.event;
        const empty: Row = { vin, organizationId: null, status: statusByStage[first.stage], location: first.plant, orderReference: null, lastEventSequence: null, lastEventAt: null };
        planned = fold(empty, group);
        const [created] = await tx
          .insert(vehicles)
          .values({ ...planned.state, vinValid: true, updatedAt: ctx.now })
          .onConflictDoNothing({ target: vehicles.vin })
          .returning({ vin: vehicles.vin });
        if (!created) [before] = await lock();
      }
      if (before) planned = fold(before, group);

      // The timeline, once per event id.
      const recorded = new Set(
        (
          await tx
            .insert(vehicleEvents)
            .values(group.map(({ event, at }, k) => ({ vin, eventId: event.eventId, stage: event.stage, sequence: BigInt(event.sequence), occurredAt: at, plant: event.plant, messageId: input.messageId, stale: !planned!.newer[k], createdAt: ctx.now })))
            .onConflictDoNothing({ target: vehicleEvents.eventId })
            .returning({ eventId: vehicleEvents.eventId })
        ).map((r) => r.eventId),
      );
      let { state, newer } = planned!;
      if (recorded.size < group.length) {
        // Some event ids were recorded before (a resent event, normally of this same VIN, which then
        // was no newer anyway). Recompute from the events recorded now, so the state and the stale
        // flags are exact even when a sender reused an id for another VIN.
        const fresh = group.filter(({ event }) => recorded.has(event.eventId));
        const start: Row = before ?? { vin, organizationId: null, status: statusByStage[(fresh[0] ?? group[0]!).event.stage], location: (fresh[0] ?? group[0]!).event.plant, orderReference: null, lastEventSequence: null, lastEventAt: null };
        const again = fold(start, fresh);
        const exact = new Map(fresh.map((f, k) => [f.event.eventId, again.newer[k]!]));
        for (const [k, g] of group.entries()) {
          if (!recorded.has(g.event.eventId) || exact.get(g.event.eventId) === newer[k]) continue;
          await tx.update(vehicleEvents).set({ stale: !exact.get(g.event.eventId) }).where(eq(vehicleEvents.eventId, g.event.eventId));
        }
        newer = group.map((g) => exact.get(g.event.eventId) ?? false);
        if (!before && !sameState(again.state, state)) {
          await tx.update(vehicles).set({ ...again.state, updatedAt: ctx.now }).where(eq(vehicles.vin, vin));
        }
        state = again.state;
      }

      group.forEach(({ event, index }, k) => {
        const outcome: EventOutcome = !recorded.has(event.eventId) ? "already_recorded" : newer[k] ? "applied" : "stale";
        result[outcome === "applied" ? "applied" : outcome === "stale" ? "stale" : "alreadyRecorded"]++;
        result.outcomes.push({ eventId: event.eventId, vin, outcome, index });
      });
      orgs.add(state.organizationId);

      if (!before) {
        result.vehiclesCreated++;
        await writeAudit(c, { action: "vehicle.created", entityType: "vehicle", entityId: vin, organizationId: null, after: auditView(state) });
        continue;
      }
      if (sameState(before, state)) continue;
      await tx
        .update(vehicles)
        .set({ status: state.status, location: state.location, orderReference: state.orderReference, lastEventSequence: state.lastEventSequence, lastEventAt: state.lastEventAt, updatedAt: ctx.now })
        .where(eq(vehicles.vin, vin));
      // One audit row per vehicle and message, for a status change.
      if (before.status !== state.status) {
        result.statusChanges++;
        await writeAudit(c, { action: "vehicle.status_changed", entityType: "vehicle", entityId: vin, organizationId: state.organizationId, before: auditView(before), after: auditView(state) });
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
