// Every minute: apply received messages and retry failed ones that are due (the worker).
import { processDueMessages } from "../integration/pipeline/process.server";
import type { Job } from "./job";

export const job: Job = {
  name: "process-inbound",
  schedule: "* * * * *",
  async handler({ database, now }) {
    let processed = 0;
    // Drain in rounds of 100 so a backlog clears within the slot.
    for (let round = 0; round < 50; round++) {
      const acks = await processDueMessages(database.db, now, 100);
      processed += acks.length;
      if (acks.length < 100) break;
    }
    return { processed };
  },
};
