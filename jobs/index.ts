// Every scheduled job. Schedules register once, in the job runner (never in a hot-reloaded module).
import { job as cleanupSessions } from "./cleanup-sessions";
import { job as dispatchOutbound } from "./dispatch-outbound";
import type { Job } from "./job";
import { job as pollFileDrops } from "./poll-file-drops";
import { job as processInbound } from "./process-inbound";
import { job as pullDmsInventory } from "./pull-dms-inventory";
import { job as pullErpMasterData } from "./pull-erp-master-data";
import { job as pullErpPartsStock } from "./pull-erp-parts-stock";
import { job as pullMesEvents } from "./pull-mes-events";

export const jobs: Job[] = [processInbound, dispatchOutbound, pollFileDrops, pullErpMasterData, pullErpPartsStock, pullDmsInventory, pullMesEvents, cleanupSessions];
