// Walks the built route manifest and proves, for every route that takes an id, that a user of
// another organisation gets 404 and none of the object's data, for GET and for POST.
import type { ServerBuild } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { openTestDatabase } from "../setup/db";
import { startTestServer, type TestServer } from "../setup/http";
import { exemptRoutes, isolationCases } from "./isolation-cases";

let database: Database;
let server: TestServer;

beforeAll(async () => {
  database = await openTestDatabase({ seed: true });
  server = await startTestServer(database);
});
afterAll(async () => {
  await server?.close();
  await database?.close();
});

/** Full URL patterns of all routes, composed through their parents (pathless layouts add nothing). */
export function routePatterns(build: ServerBuild) {
  const routes = build.routes;
  const full = (id: string): string => {
    const r = routes[id]!;
    const parent = r.parentId ? full(r.parentId) : "";
    const own = r.path ?? "";
    return own ? `${parent.replace(/\/$/, "")}/${own}` : parent || "/";
  };
  return Object.values(routes).map((r) => ({ id: r.id, pattern: full(r.id), hasAction: Boolean(r.module.action), hasLoader: Boolean(r.module.loader) }));
}

describe("organisation isolation harness", () => {
  it("has a case (or a written exemption) for every route that takes an id", () => {
    const dynamic = routePatterns(server.build).filter((r) => /[:*]/.test(r.pattern));
    expect(dynamic.length).toBeGreaterThan(0);
    const missing = dynamic.filter((r) => !isolationCases[r.pattern]?.length && !exemptRoutes[r.pattern]).map((r) => `${r.pattern} (${r.id})`);
    expect(missing, `routes with ids but no case in tests/http/isolation-cases.ts: ${missing.join(", ")}`).toEqual([]);
  });

  const cases = Object.entries(isolationCases).flatMap(([pattern, list]) => list.map((c) => ({ pattern, ...c })));
  it.each(cases)("$pattern: $title → 404, nothing shown, nothing changed", async (c) => {
    const route = routePatterns(server.build).find((r) => r.pattern === c.pattern);
    expect(route, `${c.pattern} is no longer a route: remove its case`).toBeTruthy();
    const target = await c.setup(database);
    const cookie = await server.login(c.attacker);

    const page = await server.request(target.path, { cookie });
    expect(page.status).toBe(404);
    const html = await page.text();
    for (const secret of target.secrets) expect(html).not.toContain(secret);

    // The single-fetch data endpoint must not leak either.
    const data = await server.request(`${target.path}.data`, { cookie });
    expect(data.status).toBe(404);
    const dataText = await data.text();
    for (const secret of target.secrets) expect(dataText).not.toContain(secret);

    if (route!.hasAction && target.form) {
      const before = await target.snapshot();
      const res = await server.post(target.path, target.form, cookie);
      expect(res.status).toBe(404);
      expect(await target.snapshot()).toEqual(before);
    }
  });
});
