// English UI text of the parts screens (merged into portal/i18n/en.ts).
export const partsEn = {
  "nav.parts": "Parts stock",
  "nav.stockAlerts": "Stock alerts",
} as const;
