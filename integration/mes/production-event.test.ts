import { describe, expect, it } from "vitest";
import { MessageValidationError } from "../common/issues";
import { JsonRejectedError } from "../common/json";
import { readFixture } from "../testing/samples";
import { parseProductionEvents, PRODUCTION_STAGES, stageRank } from "./production-event";

const single = JSON.parse(readFixture("mes/production-event.json").toString("utf8")) as Record<string, unknown>;

function issuesOf(input: unknown): [string, string][] {
  try {
    parseProductionEvents(JSON.stringify(input));
  } catch (e) {
    if (e instanceof MessageValidationError) return e.issues.map((i) => [i.field, i.rule]);
    throw e;
  }
  throw new Error("expected a MessageValidationError");
}

describe("MES production events", () => {
  it("reads one event", () => {
    const { summary, document } = parseProductionEvents(readFixture("mes/production-event.json"));
    expect(summary).toEqual({
      documentType: "production_event",
      documentNumber: "MES-P100-20250305-000187",
      documentDate: "2025-03-05",
      partnerId: "P100",
      lineCount: 1,
    });
    expect(document.events).toEqual([
      {
        eventId: "MES-P100-20250305-000187",
        vin: "1HGCM82633A004352",
        stage: "paint",
        occurredAt: "2025-03-05T09:41:27.120+08:00",
        sequence: 3,
        plant: "P100",
        orderReference: "0000451207",
        extra: { line: "PAINT-2", station: "TOPCOAT-07" },
      },
    ]);
  });

  it("reads a batch", () => {
    const { summary, document } = parseProductionEvents(readFixture("mes/production-events-batch.json"));
    expect(summary).toMatchObject({ documentNumber: "MES-P100-20250305-B0042", lineCount: 4 });
    expect(document.events.map((e) => [e.vin, e.stage, e.sequence])).toEqual([
      ["1M8GDM9AXKP042788", "scheduled", 1],
      ["1M8GDM9AXKP042788", "body", 2],
      ["JH4KA7561PC008269", "quality_gate", 6],
      ["JH4KA7561PC008269", "shipped", 7],
    ]);
  });

  it("rejects a VIN with a wrong check digit: our own production must be right", () => {
    expect(issuesOf({ ...single, vin: "1HGCM82643A004352" })).toEqual([["vin", "check_digit"]]);
    expect(issuesOf({ ...single, vin: "WP0ZZZ99ZTS392124" })).toEqual([["vin", "check_digit"]]);
    expect(issuesOf({ ...single, vin: "1HGCM82633A00435" })).toEqual([["vin", "length"]]);
  });

  it.each([
    [{ stage: "painting" }, "stage", "invalid_enum_value"],
    [{ occurredAt: "2025-03-05 09:41:27" }, "occurredAt", "invalid_string"],
    [{ occurredAt: "2025-03-05T09:41:27" }, "occurredAt", "invalid_string"], // no offset: ambiguous time
    [{ sequence: 2.5 }, "sequence", "invalid_type"],
    [{ sequence: -1 }, "sequence", "too_small"],
    [{ sequence: "3" }, "sequence", "invalid_type"],
    [{ plant: "" }, "plant", "invalid_string"],
    [{ eventId: undefined }, "eventId", "invalid_type"],
    [{ orderReference: 451207 }, "orderReference", "invalid_type"],
  ])("names the field and rule of %j", (patch, fieldName, rule) => {
    expect(issuesOf({ ...single, ...patch })).toEqual([[fieldName, rule]]);
  });

  it("names the event of a batch that is wrong and refuses duplicate event ids", () => {
    const batch = JSON.parse(readFixture("mes/production-events-batch.json").toString("utf8")) as { events: Record<string, unknown>[] };
    batch.events[2]!["vin"] = "JH4KA7561PC008268";
    batch.events[3]!["eventId"] = batch.events[0]!["eventId"];
    expect(issuesOf(batch)).toEqual([
      ["events.2.vin", "check_digit"],
      ["events.3.eventId", "duplicate"],
    ]);
    expect(issuesOf({ batchId: "B1", events: [] })).toEqual([["events", "too_small"]]);
  });

  it("refuses input that is not JSON", () => {
    expect(() => parseProductionEvents("<event/>")).toThrow(JsonRejectedError);
  });

  it("orders stages as the vehicle passes them", () => {
    expect(PRODUCTION_STAGES.map(stageRank)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(stageRank("shipped")).toBeGreaterThan(stageRank("quality_gate"));
  });
});
