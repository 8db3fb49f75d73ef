import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: ["tests/**/*.test.ts", "portal/**/*.test.ts", "integration/**/*.test.ts", "db/**/*.test.ts", "jobs/**/*.test.ts"],
    exclude: ["node_modules", "build", "tests/e2e/**"],
    globalSetup: ["tests/setup/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    maxWorkers: 2,
  },
});
