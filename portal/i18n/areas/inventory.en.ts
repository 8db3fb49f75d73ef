// English UI text of the inventory screens (merged into portal/i18n/en.ts).
export const inventoryEn = {
  "nav.vehicles": "Vehicles & stock",
} as const;
