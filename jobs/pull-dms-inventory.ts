// Hourly: dealer vehicle stock from the DMS (DESIGN §5: stock hourly).
import type { Job } from "./job";
import { pullInto } from "./systems";

export const job: Job = {
  name: "pull-dms-inventory",
  schedule: "15 * * * *",
  handler: (ctx) => pullInto(ctx, "dms", "vehicle-inventory", "/vehicle-inventory/all"),
};
