// Starts the real HTTP server (express + the built Remix app) on a free port over a test database,
// so tests exercise cookies, redirects, Origin checks and status codes exactly as a browser would.
import fs from "node:fs";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import type { Database } from "../../db/client";
import { createApp } from "../../portal/server/app";
import { loadConfig } from "../../portal/server/config";
import { createLogger } from "../../portal/server/log";

const buildPath = path.resolve("build/server/index.js");

export type TestServer = {
  url: string;
  build: ServerBuild;
  close(): Promise<void>;
  /** fetch with redirects left to the caller, like a test of a browser's view of the server. */
  request(pathname: string, init?: RequestInit & { cookie?: string }): Promise<Response>;
  login(email: string, password?: string): Promise<string>;
  /** POST a form as the same-origin browser would (Origin header of this server). */
  post(pathname: string, fields: Record<string, string>, cookie?: string): Promise<Response>;
};

export async function startTestServer(
  database: Database,
  options: { now?: () => Date; env?: Record<string, string> } = {},
): Promise<TestServer> {
  if (!fs.existsSync(buildPath)) {
    throw new Error("build/server/index.js is missing: run `npm run build` first (npm test does this)");
  }
  const build = (await import(pathToFileURL(buildPath).href)) as ServerBuild;
  const config = loadConfig({ NODE_ENV: "production", LOG_LEVEL: "silent", ...options.env });
  const app = createApp({ database, config, log: createLogger(config.LOG_LEVEL), build, now: options.now });
  const server = app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const request: TestServer["request"] = (pathname, init = {}) => {
    const headers = new Headers(init.headers);
    if (init.cookie) headers.set("cookie", init.cookie);
    return fetch(url + pathname, { ...init, headers, redirect: "manual" });
  };
  const post: TestServer["post"] = (pathname, fields, cookie) =>
    request(pathname, {
      method: "POST",
      body: new URLSearchParams(fields),
      headers: { origin: url, "content-type": "application/x-www-form-urlencoded" },
      cookie,
    });
  const login: TestServer["login"] = async (email, password = "demo-password") => {
    const res = await post("/login", { email, password });
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("dp_session="));
    if (res.status !== 302 || !cookie) throw new Error(`login of ${email} failed with ${res.status}`);
    return cookie.split(";")[0]!;
  };
  return {
    url,
    build,
    request,
    post,
    login,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
