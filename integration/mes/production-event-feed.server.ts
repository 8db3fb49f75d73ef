// MES production events feed (JSON REST, one event or a batch; issue 3 §7) → vehicles and their
// production timeline through applyProductionEvents. The VIN check digit is an error here (our own
// production always carries it), checked by the parser.
//
// expectedEveryMinutes = 60: events are pushed in real time, but only while a plant works. A running
// plant reports every few minutes; an hour without any event during production means the interface
// is down. A shorter limit would turn every shift change and break red; a longer one would hide a
// dead interface for a morning. (Nights and weekends show "late" — the monitor's red is a prompt to
// look, not an alarm page.)
import { applyProductionEvents } from "../../portal/domain/inventory/apply-production-event.server";
import type { FieldIssue } from "../common/issues";
import type { Feed } from "../pipeline/feed";
import { parseProductionEvents, type ProductionEventDocument } from "./production-event";

/** A batch may hold 10,000 events of about 300 bytes each. */
const maxBytes = 5 * 1024 * 1024;
/** Stale events are listed one by one up to this many, then counted. */
const maxListedWarnings = 50;

export const productionEventFeed: Feed<ProductionEventDocument> = {
  system: "mes",
  type: "production-event",
  maxBytes,
  expectedEveryMinutes: 60,
  parse: (body) => parseProductionEvents(body, { maxBytes }),
  // The MES's own ids: the batch id, or the event id of a single event.
  messageIdOf: (doc) => doc.batchId ?? (doc.events.length === 1 ? doc.events[0]!.eventId : null),
  businessKeyOf: (doc) => doc.batchId ?? doc.events[0]?.eventId ?? null,
  async apply(ctx, doc, message) {
    const result = await applyProductionEvents(ctx, { messageId: message.id, events: doc.events });
    const warnings: FieldIssue[] = [];
    const notable = result.outcomes.filter((o) => o.outcome !== "applied");
    for (const o of notable.slice(0, maxListedWarnings)) {
      const event = doc.events[o.index]!;
      const field = doc.batchId === null ? "sequence" : `events.${o.index}.sequence`;
      warnings.push(
        o.outcome === "stale"
          ? { field, rule: "stale", message: `event ${event.eventId} (sequence ${event.sequence}) of VIN ${event.vin} is not newer than the vehicle's last applied event; recorded, status unchanged` }
          : { field: field.replace(/sequence$/, "eventId"), rule: "already_recorded", message: `event ${event.eventId} of VIN ${event.vin} was already recorded by an earlier message; no effect` },
      );
    }
    if (notable.length > maxListedWarnings) {
      warnings.push({ field: "events", rule: "more", message: `${notable.length - maxListedWarnings} more events were stale or already recorded` });
    }
    return {
      // Nothing newer applied and at least one event older than the state: the message is stale.
      stale: result.applied === 0 && result.stale > 0,
      warnings,
      organizationId: result.organizationId,
      detail: {
        applied: result.applied,
        stale: result.stale,
        alreadyRecorded: result.alreadyRecorded,
        vehiclesCreated: result.vehiclesCreated,
        statusChanges: result.statusChanges,
      },
    };
  },
};
