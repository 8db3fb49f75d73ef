import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";
import { remixOptions } from "./remix.config";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  plugins: [remix(remixOptions), tsconfigPaths()],
  publicDir: "portal/public",
  server: { hmr: { port: 24679 } },
  build: { target: "es2022" },
  ssr: {
    // Native and WASM database drivers stay outside the server bundle.
    external: ["@electric-sql/pglite", "postgres", "@node-rs/argon2", "pdfmake"],
  },
});
