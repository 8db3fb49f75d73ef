// parts 界面的中文文字（合并进 portal/i18n/zh-CN.ts）。
import type { partsEn } from "./parts.en";

export const partsZhCN: Record<keyof typeof partsEn, string> = {
  "nav.parts": "配件库存",
  "nav.stockAlerts": "库存预警",
};
