// The simulated ERP, DMS and MES (msw request handlers). `npm start` with no external endpoints
// configured serves these in-process so a new user watches real syncs happen; the tests use the
// same handlers with msw's onUnhandledRequest: "error", so nothing ever reaches the network.
import fs from "node:fs";
import path from "node:path";
import { http, HttpResponse } from "msw";
import { productionEventsBetween } from "./mes-generator";

export const simulatorUrls = {
  erp: "http://erp.simulator.invalid",
  dms: "http://dms.simulator.invalid",
  mes: "http://mes.simulator.invalid",
} as const;

const fixture = (name: string) => fs.readFileSync(path.resolve("fixtures", name));

/** Everything the simulated ERP received from us, newest last (for the tests and the demo log). */
export const simulatorInbox: { path: string; messageId: string | null; body: string }[] = [];

export function simulatorHandlers(options: { mesEpoch?: Date; now?: () => Date } = {}) {
  const epoch = options.mesEpoch ?? new Date(Date.UTC(2026, 0, 1));
  const now = options.now ?? (() => new Date());
  return [
    // ERP: receives our outbound messages (sales orders, confirmations) and acknowledges them.
    http.post(`${simulatorUrls.erp}/outbound/:type`, async ({ request, params }) => {
      const body = await request.text();
      const messageId = request.headers.get("x-message-id");
      simulatorInbox.push({ path: `/outbound/${String(params.type)}`, messageId, body });
      if (simulatorInbox.length > 1000) simulatorInbox.shift();
      return HttpResponse.json({ status: "received", messageId, receivedAt: now().toISOString() });
    }),
    // ERP: master data for the daily pull.
    http.get(`${simulatorUrls.erp}/dealer-master`, () =>
      new HttpResponse(fixture("erp/debmas-dealer-D031.xml"), { headers: { "content-type": "application/xml" } }),
    ),
    http.get(`${simulatorUrls.erp}/material-master`, () =>
      new HttpResponse(fixture("erp/matmas-vehicle-and-parts.xml"), { headers: { "content-type": "application/xml" } }),
    ),
    // ERP: the hourly parts-stock snapshot of a warehouse. The quantities move from hour to hour (some
    // fall below their safety stock and recover later), so alerts come and go in the demo.
    http.get(`${simulatorUrls.erp}/parts-stock/:warehouse`, ({ params }) => {
      const hour = Math.floor(now().getTime() / 3_600_000);
      const takenAt = new Date(hour * 3_600_000).toISOString().replace(".000Z", "Z");
      let index = 0;
      const xml = fixture("erp/parts-stock-WH01.xml")
        .toString("utf8")
        .replace(/snapshotId="[^"]*"/, `snapshotId="${String(params.warehouse)}-${takenAt}"`)
        .replace(/takenAt="[^"]*"/, `takenAt="${takenAt}"`)
        .replace(/ qty="(\d+)"/g, (_m, qty: string) => ` qty="${(Number(qty) + ((hour + index++ * 5) % 24)) % 40}"`);
      return new HttpResponse(xml, { headers: { "content-type": "application/xml" } });
    }),
    // DMS: dealer D002's vehicle stock (dealer number 000771230001 in the demo mapping), hourly; each
    // hour's snapshot is a new document with its own BODId and creation time.
    http.get(`${simulatorUrls.dms}/vehicle-inventory/:dealer`, () => {
      const hour = Math.floor(now().getTime() / 3_600_000);
      const created = new Date(hour * 3_600_000).toISOString().slice(0, 19);
      const xml = fixture("dms/star-vehicle-inventory-D001.xml")
        .toString("utf8")
        .replace(/<star:CreationDateTime>[^<]*</, `<star:CreationDateTime>${created}<`)
        .replace(/<star:BODId>[^<]*</, `<star:BODId>sim-dms-${hour}<`);
      return new HttpResponse(xml, { headers: { "content-type": "application/xml" } });
    }),
    // MES: production events after a point in time.
    http.get(`${simulatorUrls.mes}/production-events`, ({ request }) => {
      const url = new URL(request.url);
      const after = new Date(url.searchParams.get("after") ?? new Date(now().getTime() - 3_600_000).toISOString());
      const until = now();
      const events = productionEventsBetween(epoch, after, until);
      if (events.length === 0) return new HttpResponse(null, { status: 204 });
      return HttpResponse.json({ batchId: `SIM-P100-${after.toISOString()}-${until.toISOString()}`, events });
    }),
  ];
}
