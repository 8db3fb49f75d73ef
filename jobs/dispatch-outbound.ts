// Every minute: send the outbox to the ERP (and other systems) with retries and backoff.
import { dispatchDueOutbound } from "../integration/pipeline/outbox.server";
import type { Job } from "./job";
import { outboundEndpoint } from "./systems";

export const job: Job = {
  name: "dispatch-outbound",
  schedule: "* * * * *",
  async handler({ database, config, now }) {
    const results = await dispatchDueOutbound(database.db, outboundEndpoint(config), { now });
    return {
      sent: results.filter((r) => r.status === "processed").length,
      failed: results.filter((r) => r.status === "failed").length,
      dead: results.filter((r) => r.status === "dead").length,
    };
  },
};
