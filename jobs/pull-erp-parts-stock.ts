// Hourly: the ERP's parts-stock snapshot per warehouse (DESIGN §5: stock hourly). A snapshot is a
// bulk message: stored at once, applied by the inbound worker in committed batches.
import type { Job } from "./job";
import { pullInto } from "./systems";

/** The warehouses whose stock the portal shows; the ERP's plant/storage location codes. */
export const warehouses = ["WH01"];

export const job: Job = {
  name: "pull-erp-parts-stock",
  schedule: "5 * * * *",
  async handler(ctx) {
    const results: Record<string, unknown> = {};
    for (const warehouse of warehouses) {
      const r = await pullInto(ctx, "erp", "parts-stock", `/parts-stock/${encodeURIComponent(warehouse)}`);
      results[warehouse] = r["parts-stock"];
    }
    return results;
  },
};
