// integration 界面的中文文字（合并进 portal/i18n/zh-CN.ts）。
import type { integrationEn } from "./integration.en";

export const integrationZhCN: Record<keyof typeof integrationEn, string> = {
  "nav.integration": "集成监控",
  "nav.partners": "伙伴映射",
};
