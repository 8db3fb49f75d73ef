// Browser journeys against the production build (see tests/e2e/global-setup.ts): every demo account
// signs in, reads its home page in both languages and signs out; plus the failed sign-in, the
// redirect back after sign-in and a dealer's attempt to open the audit log.
import fs from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  expectHtmlLang,
  expectText,
  expectTextContaining,
  launchBrowser,
  loginAs,
  openSession,
  pathOf,
  submitLogin,
  url,
  waitForHydration,
  type Session,
} from "./browser";

const SCREENSHOTS = path.resolve(import.meta.dirname, "screenshots");

type Account = { email: string; name: string; nav: string[]; screenshot?: string };

// Navigation each role must see (DESIGN §2): OEM admins administer and watch the integration, dealer
// principals manage their team, roles that handle vehicles and parts see stock, the rest their home.
const STOCK = ["/vehicles", "/parts", "/parts/alerts"];
const OEM_ADMIN_NAV = ["/home", ...STOCK, "/organizations", "/users", "/audit", "/integration", "/integration/partners"];
const OEM_STOCK_NAV = ["/home", ...STOCK, "/organizations"];
const OEM_STAFF_NAV = ["/home", "/organizations"];
const PRINCIPAL_NAV = ["/home", "/users", ...STOCK];
const DEALER_STOCK_NAV = ["/home", ...STOCK];
const HOME_ONLY = ["/home"];

const accounts: Account[] = [
  { email: "admin@oem.example", name: "王建国 Wang Jianguo", nav: OEM_ADMIN_NAV, screenshot: "home-oem-admin" },
  { email: "sales@oem.example", name: "李明 Li Ming", nav: OEM_STOCK_NAV },
  { email: "finance@oem.example", name: "张丽 Zhang Li", nav: OEM_STAFF_NAV },
  { email: "warranty@oem.example", name: "陈伟 Chen Wei", nav: OEM_STOCK_NAV },
  { email: "principal@d001.example", name: "刘洋 Liu Yang", nav: PRINCIPAL_NAV, screenshot: "home-d001-principal" },
  { email: "sales@d001.example", name: "赵磊 Zhao Lei", nav: DEALER_STOCK_NAV },
  { email: "service@d001.example", name: "孙强 Sun Qiang", nav: DEALER_STOCK_NAV },
  { email: "finance@d001.example", name: "周敏 Zhou Min", nav: HOME_ONLY },
  { email: "principal@d002.example", name: "吴芳 Wu Fang", nav: PRINCIPAL_NAV },
  { email: "fleet@f001.example", name: "郑浩 Zheng Hao", nav: HOME_ONLY },
];

let browser: Browser;

beforeAll(async () => {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

async function session(): Promise<Session> {
  return openSession(browser, "zh-CN");
}

async function closeSession(s: Session): Promise<void> {
  await s.context.close();
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

async function navLinks(page: Page): Promise<string[]> {
  const hrefs = await page.locator("nav a").evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
  return [...new Set(hrefs)].sort();
}

describe("every demo account: sign in, both languages, sign out", () => {
  for (const account of accounts) {
    it(account.email, async () => {
      const s = await session();
      const { page } = s;
      try {
        await page.goto(url("/login"));
        await expectHtmlLang(page, "zh-CN");
        await loginAs(page, account.email);

        expect(pathOf(page)).toBe("/home");
        await expectText(page, "[data-testid='home-title']", `欢迎，${account.name}`);
        await expectHtmlLang(page, "zh-CN");
        expect(await page.locator("[data-testid='user-menu']").textContent()).toContain(account.name);
        expect(await navLinks(page)).toEqual([...account.nav].sort());
        await waitForHydration(page);
        if (account.screenshot) await screenshot(page, `${account.screenshot}.zh-CN`);

        await page.locator("[data-testid='lang-en']").click();
        await expectText(page, "[data-testid='home-title']", `Welcome, ${account.name}`);
        await expectHtmlLang(page, "en");
        expect(pathOf(page)).toBe("/home");
        expect(await page.locator("[data-testid='lang-en']").getAttribute("aria-pressed")).toBe("true");
        if (account.screenshot) {
          await waitForHydration(page);
          await screenshot(page, `${account.screenshot}.en`);
        }

        await page.locator("[data-testid='lang-zh-CN']").click();
        await expectText(page, "[data-testid='home-title']", `欢迎，${account.name}`);
        await expectHtmlLang(page, "zh-CN");
        expect(pathOf(page)).toBe("/home");

        await waitForHydration(page);
        await page.locator("[data-testid='user-menu']").click();
        const logout = page.locator("[data-testid='logout']");
        await logout.waitFor({ state: "visible" });
        expect(await page.getByRole("menu").textContent()).toContain(account.email);
        await logout.click();
        await page.waitForURL((u) => u.pathname === "/login", { timeout: 15_000 }).catch((error: Error) => {
          const warnings = s.console.filter((line) => /form|submi/i.test(line));
          throw new Error(
            `Logging out through the user menu did not reach /login (still on ${pathOf(page)}). ` +
              `Browser console: ${warnings.join(" | ") || "nothing about the form"}. ${error.message.split("\n")[0]}`,
          );
        });
        expect(pathOf(page)).toBe("/login");
        await expectTextContaining(page, "[data-testid='toast']", "您已退出登录。");
        await expectHtmlLang(page, "zh-CN");

        // The session is really gone: the home page sends us back to the login page.
        await page.goto(url("/home"));
        expect(pathOf(page)).toBe("/login");
        expect(s.errors).toEqual([]);
      } finally {
        await closeSession(s);
      }
    });
  }
});

describe("sign-in edge cases and access", () => {
  it("shows the login page in both languages", async () => {
    const s = await session();
    const { page } = s;
    try {
      const res = await page.goto(url("/login"));
      expect(res?.status()).toBe(200);
      await expectHtmlLang(page, "zh-CN");
      await expectText(page, ".login-card h1", "登录");
      await screenshot(page, "login.zh-CN");

      await page.locator("[data-testid='lang-en']").click();
      await expectHtmlLang(page, "en");
      await expectText(page, ".login-card h1", "Sign in");
      expect(pathOf(page)).toBe("/login");
      await screenshot(page, "login.en");

      await page.locator("[data-testid='lang-zh-CN']").click();
      await expectHtmlLang(page, "zh-CN");
      await expectText(page, ".login-card h1", "登录");
      expect(s.errors).toEqual([]);
    } finally {
      await closeSession(s);
    }
  });

  it("a wrong password shows the error and stays on /login", async () => {
    const s = await session();
    const { page } = s;
    try {
      await page.goto(url("/login"));
      await submitLogin(page, "finance@d001.example", "not-the-password");
      await expectText(page, "[data-testid='login-error']", "邮箱或密码不正确。");
      expect(new URL(page.url()).pathname).toBe("/login");
      expect(await page.locator("#email").inputValue()).toBe("finance@d001.example");
      expect(await page.locator("[data-testid='home-title']").count()).toBe(0);
      expect(await page.locator("[data-testid='user-menu']").count()).toBe(0);

      // Not signed in: the home page still sends us to the login page.
      await page.goto(url("/home"));
      expect(pathOf(page)).toBe("/login");
    } finally {
      await closeSession(s);
    }
  });

  it("an anonymous visit to /users goes to the login page and comes back after sign-in", async () => {
    const s = await session();
    const { page } = s;
    try {
      await page.goto(url("/users"));
      expect(pathOf(page)).toBe("/login?redirectTo=%2Fusers");
      await expectText(page, ".login-card h1", "登录");

      await loginAs(page, "admin@oem.example");
      expect(pathOf(page)).toBe("/users");
      await page.locator("[data-testid='user-menu']").waitFor({ state: "visible" });
      expect(await page.locator("[data-testid^='error-']").count()).toBe(0);
      expect(await page.locator("h1").first().textContent()).toBeTruthy();
    } finally {
      await closeSession(s);
    }
  });

  it("a dealer user opening /audit gets the 404 page and no audit data", async () => {
    const s = await session();
    const { page } = s;
    try {
      await loginAs(page, "sales@d001.example");
      expect(pathOf(page)).toBe("/home");
      expect(await navLinks(page)).not.toContain("/audit");

      const res = await page.goto(url("/audit"));
      expect(res?.status()).toBe(404);
      await page.locator("[data-testid='error-404']").waitFor({ state: "visible" });
      await expectText(page, "[data-testid='error-404'] h1", "页面不存在");
      expect(pathOf(page)).toBe("/audit");
      expect(await page.locator("[data-testid='recent-audit']").count()).toBe(0);
      expect(await page.locator("table").count()).toBe(0);
      const body = (await page.locator("body").textContent()) ?? "";
      // Nothing from the audit trail: no action names, no other users' addresses.
      expect(body).not.toMatch(/auth\.(login|logout)/);
      expect(body).not.toContain("admin@oem.example");
      expect(body).not.toContain("@d002.example");
    } finally {
      await closeSession(s);
    }
  });
});
