// Browser journeys: a production build served by a real server process (tests/e2e/global-setup.ts)
// and driven by Chromium through playwright-core. Run with `npx vitest run --config vitest.e2e.config.ts`
// after `npm run build`; CHROMIUM_PATH points at the browser (default /usr/bin/chromium).
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/e2e/**/*.e2e.ts"],
    globalSetup: ["tests/e2e/global-setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
    fileParallelism: false,
    pool: "forks",
  },
});
