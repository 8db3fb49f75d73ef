// Daily: the ERP's customer (dealer) master and material master (DESIGN §5: master data daily).
import type { Job } from "./job";
import { pullInto } from "./systems";

export const job: Job = {
  name: "pull-erp-master-data",
  schedule: "0 2 * * *",
  async handler(ctx) {
    return {
      ...(await pullInto(ctx, "erp", "dealer-master", "/dealer-master")),
      ...(await pullInto(ctx, "erp", "material-master", "/material-master")),
    };
  },
};
