// Browser helpers for the journeys: Debian's Chromium driven by playwright-core, and a login helper.
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { expect, inject } from "vitest";

export const DEMO_PASSWORD = "demo-password";

/** The running portal (started by tests/e2e/global-setup.ts). */
export function baseUrl(): string {
  return inject("baseUrl") ?? process.env.E2E_BASE_URL ?? "";
}

export function url(path: string): string {
  return new URL(path, baseUrl()).toString();
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
}

export type Session = {
  context: BrowserContext;
  page: Page;
  /** Uncaught exceptions and console errors seen in the page, for "the page did not break" checks. */
  errors: string[];
  /** Every console message (type: text), to explain a failure. */
  console: string[];
};

/** A fresh browser context (no cookies) that asks for Chinese first, as our users' browsers do. */
export async function openSession(browser: Browser, locale: "zh-CN" | "en" = "zh-CN"): Promise<Session> {
  const context = await browser.newContext({ locale, viewport: { width: 1366, height: 860 } });
  context.setDefaultTimeout(20_000);
  context.setDefaultNavigationTimeout(30_000);
  const page = await context.newPage();
  const errors: string[] = [];
  const messages: string[] = [];
  page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
  page.on("console", (msg) => {
    messages.push(`${msg.type()}: ${msg.text()}`);
    if (msg.type() === "error") errors.push(`console.error: ${msg.text()} (${msg.location().url})`);
  });
  return { context, page, errors, console: messages };
}

/** The path (with query) the page is on. */
export function pathOf(page: Page): string {
  const u = new URL(page.url());
  return u.pathname + u.search;
}

/**
 * Waits until React has hydrated the element (React stores its props on hydrated DOM nodes), so
 * that client-only widgets such as the Radix user menu react to clicks.
 */
export async function waitForHydration(page: Page, selector = "[data-testid='user-menu']"): Promise<void> {
  await page.waitForFunction(
    (sel) => {
      const el = document.querySelector(sel);
      return !!el && Object.keys(el).some((k) => k.startsWith("__reactProps$"));
    },
    selector,
    { timeout: 20_000 },
  );
}

async function textOf(page: Page, selector: string): Promise<string | null> {
  const el = page.locator(selector).first();
  if ((await el.count()) === 0) return null;
  return ((await el.textContent({ timeout: 1000 }).catch(() => null)) ?? "").trim();
}

/** Polls the first matching element's text until it equals the expectation. */
export async function expectText(page: Page, selector: string, text: string): Promise<void> {
  await expect.poll(() => textOf(page, selector), { timeout: 15_000, interval: 100 }).toBe(text);
}

/** Polls the first matching element's text until it contains the expectation. */
export async function expectTextContaining(page: Page, selector: string, text: string): Promise<void> {
  await expect.poll(() => textOf(page, selector), { timeout: 15_000, interval: 100 }).toContain(text);
}

export async function expectHtmlLang(page: Page, lang: string): Promise<void> {
  await expect.poll(() => page.evaluate(() => document.documentElement.lang), { timeout: 15_000 }).toBe(lang);
}

/** Fills the login form (the page must be on /login) and submits it. */
export async function submitLogin(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.locator("#email").fill(email);
  await page.locator("#password").fill(password);
  await page.locator("form:has(#email) button[type='submit']").click();
}

/**
 * Signs in through the login page and waits until the browser has left /login. Starts from /login
 * unless the page is already there (e.g. after a redirect that carries ?redirectTo=).
 */
export async function loginAs(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  if (new URL(page.url()).pathname !== "/login" || !page.url().startsWith(baseUrl())) {
    await page.goto(url("/login"));
  }
  await submitLogin(page, email, password);
  await page.waitForURL((u) => u.pathname !== "/login", { timeout: 30_000 });
}
