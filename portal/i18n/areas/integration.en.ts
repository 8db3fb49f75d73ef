// English UI text of the integration screens (merged into portal/i18n/en.ts).
export const integrationEn = {
  "nav.integration": "Integration monitor",
  "nav.partners": "Partner mappings",
} as const;
