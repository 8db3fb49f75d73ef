// Remix plugin options, kept apart from vite.config.ts so that tools (and tests) can read the app
// layout without loading Vite. The app directory is `portal/` (DESIGN §4).
import type { VitePluginConfig } from "@remix-run/dev";

export const remixOptions: VitePluginConfig = {
  appDirectory: "portal",
  buildDirectory: "build",
  // Route modules are files in portal/routes; helpers next to them must not become routes.
  ignoredRouteFiles: ["**/*.test.*", "**/.*"],
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
    v3_singleFetch: true,
  },
};

export default remixOptions;
