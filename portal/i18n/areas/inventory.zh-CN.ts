// inventory 界面的中文文字（合并进 portal/i18n/zh-CN.ts）。
import type { inventoryEn } from "./inventory.en";

export const inventoryZhCN: Record<keyof typeof inventoryEn, string> = {
  "nav.vehicles": "车辆与库存",
};
