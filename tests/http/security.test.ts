// The hostile cases of the foundation, through the real HTTP server: cookies, cross-site requests,
// sessions after logout/deactivation/forgery, open redirects, oversized fields, SQL-looking search
// text, and dealers knocking on OEM pages.
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { auditLog, sessions, users } from "../../db/schema";
import { createUser } from "../../db/factories";
import { inScope, systemCtx } from "../../portal/domain/context";
import { openTestDatabase } from "../setup/db";
import { startTestServer, type TestServer } from "../setup/http";

let database: Database;
let server: TestServer;
let d001: string;

beforeAll(async () => {
  database = await openTestDatabase({ seed: true });
  server = await startTestServer(database);
  d001 = (await orgId("D001"))!;
});
afterAll(async () => {
  await server?.close();
  await database?.close();
});

const sys = <T>(fn: Parameters<typeof inScope<T>>[1]) => inScope(systemCtx(database.db, "test"), fn);
async function orgId(code: string) {
  const rows = await database.query<{ id: string }>("select id from organizations where code = $1", [code]).catch(() => []);
  if (rows.length) return rows[0]!.id;
  return sys(async (tx) => {
    const r = await tx.execute(sql`select id from organizations where code = ${code}`);
    const list = (Array.isArray(r) ? r : (r as unknown as { rows: { id: string }[] }).rows) as { id: string }[];
    return list[0]?.id;
  });
}
async function freshDealerUser(role: "dealer_sales" | "dealer_principal" = "dealer_sales") {
  return createUser(database.db, { organizationId: d001, role });
}

describe("operational endpoints", () => {
  it("GET /healthz reports the database", async () => {
    const res = await server.request("/healthz");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", db: "ok" });
  });

  it("sends a request id and security headers", async () => {
    const res = await server.request("/login");
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("answers an unknown path with a 404 page in the reader's language", async () => {
    const zh = await server.request("/no/such/page", { headers: { "accept-language": "zh-CN" } });
    expect(zh.status).toBe(404);
    expect(await zh.text()).toContain("页面不存在");
    const en = await server.request("/no/such/page", { headers: { "accept-language": "en-US" } });
    expect(await en.text()).toContain("Page not found");
  });
});

describe("login and cookies", () => {
  it("sets an HttpOnly, SameSite=Lax session cookie, without Secure over plain HTTP", async () => {
    const res = await server.post("/login", { email: "admin@oem.example", password: "demo-password" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/home");
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("dp_session="))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);
  });

  it("ignores X-Forwarded-Proto unless the proxy is trusted, and marks cookies Secure when it is", async () => {
    const untrusted = await server.request("/login", {
      method: "POST",
      body: new URLSearchParams({ email: "admin@oem.example", password: "demo-password" }),
      headers: { origin: server.url, "x-forwarded-proto": "https", "content-type": "application/x-www-form-urlencoded" },
    });
    expect(untrusted.headers.getSetCookie().join()).not.toMatch(/Secure/);
    const proxied = await startTestServer(database, { env: { TRUST_PROXY: "true" } });
    try {
      const res = await proxied.request("/login", {
        method: "POST",
        body: new URLSearchParams({ email: "admin@oem.example", password: "demo-password" }),
        headers: { origin: proxied.url.replace("http:", "https:"), "x-forwarded-proto": "https", "content-type": "application/x-www-form-urlencoded" },
      });
      expect(res.status).toBe(302);
      expect(res.headers.getSetCookie().find((c) => c.startsWith("dp_session="))).toMatch(/; Secure/);
    } finally {
      await proxied.close();
    }
  });

  it("shows the same message for an unknown user and a wrong password", async () => {
    const wrong = await server.post("/login", { email: "admin@oem.example", password: "wrong-password" });
    const unknown = await server.post("/login", { email: "ghost@oem.example", password: "wrong-password" });
    expect(wrong.status).toBe(400);
    expect(unknown.status).toBe(400);
    const a = (await wrong.text()).match(/data-testid="login-error"[^>]*>([^<]+)</)?.[1];
    const b = (await unknown.text()).match(/data-testid="login-error"[^>]*>([^<]+)</)?.[1];
    expect(a).toBeTruthy();
    expect(a).toBe(b);
  });

  it("throttles a password-guessing loop with 429 and Retry-After", async () => {
    const victim = await freshDealerUser();
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await server.post("/login", { email: victim.email, password: `guess-${i}-xyz` })).status);
    expect(statuses.slice(0, 5)).toEqual([400, 400, 400, 400, 400]);
    expect(statuses[5]).toBe(429);
    const locked = await server.post("/login", { email: victim.email, password: "demo-password" });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it.each(["//evil.example/", "/\\evil.example", "https://evil.example", "javascript:alert(1)", "/%2F%2Fevil.example"])(
    "never redirects off-site after login (redirectTo=%s)",
    async (target) => {
      const res = await server.post("/login", { email: "sales@oem.example", password: "demo-password", redirectTo: target });
      expect(res.status).toBe(302);
      const location = res.headers.get("location")!;
      expect(location.startsWith("/")).toBe(true);
      expect(location.startsWith("//")).toBe(false);
      expect(new URL(location, server.url).origin).toBe(server.url);
    },
  );

  it("returns to the page that asked for login", async () => {
    const bounce = await server.request("/users?page=2");
    expect(bounce.headers.get("location")).toBe("/login?redirectTo=%2Fusers%3Fpage%3D2");
    const res = await server.post("/login", { email: "admin@oem.example", password: "demo-password", redirectTo: "/users?page=2" });
    expect(res.headers.get("location")).toBe("/users?page=2");
  });
});

describe("sessions", () => {
  it("rejects the cookie after logout", async () => {
    const cookie = await server.login("finance@oem.example");
    expect((await server.request("/home", { cookie })).status).toBe(200);
    const out = await server.request("/logout", { method: "POST", cookie, headers: { origin: server.url } });
    expect(out.status).toBe(302);
    expect(out.headers.getSetCookie().join()).toMatch(/dp_session=;/);
    const after = await server.request("/home", { cookie });
    expect(after.status).toBe(302);
    expect(after.headers.get("location")).toMatch(/^\/login/);
  });

  it("rejects the cookie of a user deactivated by an admin, at once", async () => {
    const victim = await freshDealerUser();
    const cookie = await server.login(victim.email);
    const admin = await server.login("admin@oem.example");
    const page = await server.request(`/users/${victim.id}`, { cookie: admin });
    const updatedAt = (await page.text()).match(/name="expectedUpdatedAt" value="([^"]+)"/)?.[1];
    expect(updatedAt).toBeTruthy();
    const res = await server.post(`/users/${victim.id}`, { name: victim.name, role: "dealer_sales", status: "inactive", password: "", expectedUpdatedAt: updatedAt! }, admin);
    expect(res.status).toBe(302);
    expect((await server.request("/home", { cookie })).status).toBe(302);
    const left = await sys((tx) => tx.select().from(sessions).where(eq(sessions.userId, victim.id)));
    expect(left).toHaveLength(0);
    const audit = await sys((tx) => tx.select().from(auditLog).where(eq(auditLog.entityId, victim.id)));
    expect(audit.map((a) => a.action)).toContain("user.deactivated");
  });

  it("treats a forged cookie as no session and clears it", async () => {
    for (const forged of ["dp_session=abcdefghijklmnopqrstuvwxyz234567", "dp_session=' or '1'='1", `dp_session=${"a".repeat(5000)}`]) {
      const res = await server.request("/home", { cookie: forged });
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toMatch(/^\/login/);
    }
  });
});

describe("cross-site requests", () => {
  it("refuses a cross-site login POST and records nothing", async () => {
    const before = await sys((tx) => tx.select({ n: sql<number>`count(*)::int` }).from(sessions));
    const res = await server.request("/login", {
      method: "POST",
      body: new URLSearchParams({ email: "admin@oem.example", password: "demo-password" }),
      headers: { origin: "https://evil.example", "content-type": "application/x-www-form-urlencoded" },
    });
    expect(res.status).toBe(403);
    expect(res.headers.getSetCookie()).toEqual([]);
    const after = await sys((tx) => tx.select({ n: sql<number>`count(*)::int` }).from(sessions));
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it("refuses a cross-site user creation by a signed-in admin (Origin and Sec-Fetch-Site)", async () => {
    const admin = await server.login("admin@oem.example");
    const email = `csrf-${Date.now()}@test.example`;
    const fields = new URLSearchParams({ name: "CSRF", email, organizationId: d001, role: "dealer_sales", password: "long-enough-password" });
    const viaOrigin = await server.request("/users/new", {
      method: "POST",
      body: fields,
      cookie: admin,
      headers: { origin: "https://evil.example", "content-type": "application/x-www-form-urlencoded" },
    });
    const viaFetchSite = await server.request("/users/new", {
      method: "POST",
      body: fields,
      cookie: admin,
      headers: { "sec-fetch-site": "cross-site", "content-type": "application/x-www-form-urlencoded" },
    });
    const nullOrigin = await server.request("/logout", { method: "POST", cookie: admin, headers: { origin: "null" } });
    expect([viaOrigin.status, viaFetchSite.status, nullOrigin.status]).toEqual([403, 403, 403]);
    const created = await sys((tx) => tx.select().from(users).where(eq(users.email, email)));
    expect(created).toHaveLength(0);
    expect((await server.request("/home", { cookie: admin })).status).toBe(200); // still signed in
  });
});

describe("authorisation", () => {
  it.each(["/audit", "/organizations", "/organizations/new", "/users", "/users/new"])("gives a dealer salesperson 404 at %s", async (path) => {
    const cookie = await server.login("sales@d001.example");
    const res = await server.request(path, { cookie });
    expect(res.status).toBe(404);
    const body = await res.text();
    expect(body).not.toContain("auth.login");
    expect(body).not.toContain("admin@oem.example");
  });

  it("lets a dealer principal manage only its own team", async () => {
    const cookie = await server.login("principal@d001.example");
    const list = await (await server.request("/users?size=100", { cookie })).text();
    expect(list).toContain("sales@d001.example");
    expect(list).not.toContain("principal@d002.example");
    expect(list).not.toContain("admin@oem.example");
    const d002 = (await orgId("D002"))!;
    const res = await server.post("/users/new", { name: "Sneaky", email: `sneaky-${Date.now()}@test.example`, organizationId: d002, role: "dealer_sales", password: "long-enough-password" }, cookie);
    expect(res.status).toBe(404);
    const oemRole = await server.post("/users/new", { name: "Escalate", email: `esc-${Date.now()}@test.example`, organizationId: d001, role: "oem_admin", password: "long-enough-password" }, cookie);
    expect(oemRole.status).toBe(400);
    expect(await oemRole.text()).toContain("role");
  });
});

describe("bad input", () => {
  it("names the field and the rule of an oversized field and changes nothing", async () => {
    const admin = await server.login("admin@oem.example");
    const email = `big-${Date.now()}@test.example`;
    const res = await server.post("/users/new", { name: "x".repeat(5000), email, organizationId: d001, role: "dealer_sales", password: "long-enough-password" }, admin);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain("最多 100 个字符");
    expect(await sys((tx) => tx.select().from(users).where(eq(users.email, email)))).toHaveLength(0);
  });

  it("refuses a form body over 64 KiB with 413", async () => {
    const admin = await server.login("admin@oem.example");
    const res = await server.post("/users/new", { name: "x".repeat(70_000), email: "huge@test.example", organizationId: d001, role: "dealer_sales", password: "p".repeat(12) }, admin);
    expect(res.status).toBe(413);
  });

  it.each(["' OR 1=1 --", "%'; drop table users; --", "\\", "_%", "经销商' union select password_hash from users --"])(
    "treats %j in every search box as text",
    async (q) => {
      const admin = await server.login("admin@oem.example");
      for (const path of ["/users", "/organizations", "/audit"]) {
        const res = await server.request(`${path}?q=${encodeURIComponent(q)}`, { cookie: admin });
        expect(res.status).toBe(200);
        const html = await res.text();
        expect(html).not.toContain("$argon2id$");
        expect(html).toMatch(/没有符合条件的记录|Nothing matches/);
      }
      const still = await sys((tx) => tx.select({ n: sql<number>`count(*)::int` }).from(users));
      expect(still[0]!.n).toBeGreaterThan(10);
    },
  );
});

describe("language", () => {
  it("remembers the switch per user across sessions", async () => {
    const user = await freshDealerUser();
    const cookie = await server.login(user.email);
    expect(await (await server.request("/home", { cookie, headers: { "accept-language": "zh-CN" } })).text()).toContain('lang="zh-CN"');
    const res = await server.post("/settings/language", { locale: "en", redirectTo: "/home" }, cookie);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/home");
    const again = await server.login(user.email);
    const html = await (await server.request("/home", { cookie: again, headers: { "accept-language": "zh-CN" } })).text();
    expect(html).toContain('lang="en"');
    expect(html).toContain("Welcome,");
  });

  it("refuses an unknown language with a message naming the field", async () => {
    const res = await server.post("/settings/language", { locale: "fr" });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("locale");
  });
});

describe("lists", () => {
  it("exports exactly the filtered rows as CSV with a BOM", async () => {
    const cookie = await server.login("principal@d001.example");
    const res = await server.request("/users.csv?sort=email", { cookie, headers: { "accept-language": "en" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/csv/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 BOM for Excel
    const text = new TextDecoder().decode(bytes);
    const lines = text.trim().split("\r\n");
    expect(lines[0]).toContain("Email");
    expect(lines.some((l) => l.includes("sales@d001.example"))).toBe(true);
    expect(lines.some((l) => l.includes("d002.example"))).toBe(false);
  });

  it("sorts and paginates on the server", async () => {
    const admin = await server.login("admin@oem.example");
    // The 30 demo dealers by name (other test files add dealers to a shared database).
    const demo = `q=${encodeURIComponent("华夏汽车销售服务")}`;
    const page1 = await (await server.request(`/organizations?type=dealer&${demo}&sort=code&dir=desc&size=10`, { cookie: admin })).text();
    const page2 = await (await server.request(`/organizations?type=dealer&${demo}&sort=code&dir=desc&size=10&page=2`, { cookie: admin })).text();
    expect(page1).toContain(">D030<");
    expect(page1).not.toContain(">D001<");
    expect(page2).toContain(">D020<");
    expect(page2).not.toContain(">D030<");
  });
});

describe("toasts", () => {
  it("shows a one-time message after an action", async () => {
    const admin = await server.login("admin@oem.example");
    const res = await server.post("/users/new", { name: "Toast Test", email: `toast-${Date.now()}@test.example`, organizationId: d001, role: "dealer_sales", password: "long-enough-password", locale: "" }, admin);
    expect(res.status).toBe(302);
    const flash = res.headers.getSetCookie().find((c) => c.startsWith("dp_flash="))!.split(";")[0]!;
    const page = await server.request(res.headers.get("location")!, { cookie: `${admin}; ${flash}`, headers: { "accept-language": "zh-CN" } });
    // The toast itself is drawn in the browser (see the journeys); the page carries its message key.
    expect(await page.text()).toContain("toast.created");
    expect(page.headers.getSetCookie().join()).toMatch(/dp_flash=;/);
  });
});
