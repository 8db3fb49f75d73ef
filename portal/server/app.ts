// The HTTP server: security headers, request ids and logs, cross-site refusal, the session and
// language of each request, /healthz, static files and the Remix handler. Used by `npm start`,
// `npm run dev` and the HTTP tests alike.
import crypto from "node:crypto";
import path from "node:path";
import { createRequestHandler } from "@remix-run/express";
import type { AppLoadContext, ServerBuild } from "@remix-run/node";
import compression from "compression";
import express, { type Request as ExpressRequest } from "express";
import type { Database } from "../../db/client";
import { validateSessionToken } from "../domain/auth/session.server";
import { isLocale, negotiateLocale } from "../i18n";
import { clearCookie, FLASH_COOKIE, LOCALE_COOKIE, parseCookies, serializeCookie, SESSION_COOKIE } from "../web/cookies";
import type { Config } from "./config";
import type { Flash, PortalContext } from "./load-context";
import type { Logger } from "./log";
import { isCrossSiteMutation } from "./origin-check";

export type AppOptions = {
  database: Database;
  config: Config;
  log: Logger;
  /** A built server (production, tests) or a loader of one (Vite dev server). */
  build: ServerBuild | (() => Promise<ServerBuild>);
  /** Extra middleware mounted before the Remix handler (Vite in development). */
  before?: express.RequestHandler[];
  clientDir?: string;
  now?: () => Date;
};

const requestIdPattern = /^[A-Za-z0-9._-]{8,64}$/;

export function createApp(options: AppOptions): express.Express {
  const { database, config, log } = options;
  const now = options.now ?? (() => new Date());
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", config.TRUST_PROXY);

  app.use((req, res, next) => {
    const incoming = req.get("x-request-id");
    const requestId = incoming && requestIdPattern.test(incoming) ? incoming : crypto.randomUUID();
    res.locals.requestId = requestId;
    res.setHeader("X-Request-Id", requestId);
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Referrer-Policy", "same-origin");
    res.setHeader("Content-Security-Policy", "frame-ancestors 'none'; base-uri 'self'; form-action 'self'");
    const started = process.hrtime.bigint();
    res.on("finish", () => {
      if (req.path.startsWith("/assets/") || req.path === "/favicon.ico") return;
      log.info("request", {
        requestId,
        method: req.method,
        path: req.path,
        status: res.statusCode,
        ms: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
        user: res.locals.userId ?? undefined,
      });
    });
    next();
  });

  app.use(compression());

  app.get("/healthz", async (_req, res) => {
    try {
      await withTimeout(database.query("select 1"), 2000);
      res.status(200).json({ status: "ok", db: "ok" });
    } catch (error) {
      log.warn("healthz: database did not answer", { error });
      res.status(503).json({ status: "error", db: "unavailable" });
    }
  });

  if (options.clientDir) {
    app.use("/assets", express.static(path.join(options.clientDir, "assets"), { immutable: true, maxAge: "1y" }));
    app.use(express.static(options.clientDir, { maxAge: "1h" }));
  }
  for (const mw of options.before ?? []) app.use(mw);

  // Refuse cross-site mutations before anything else runs.
  app.use((req, res, next) => {
    const expected = config.APP_ORIGIN ?? `${req.protocol}://${req.get("host")}`;
    if (isCrossSiteMutation(req.method, { origin: req.get("origin"), secFetchSite: req.get("sec-fetch-site") }, expected)) {
      log.warn("cross-site request refused", { requestId: res.locals.requestId, origin: req.get("origin"), path: req.path });
      res.status(403).type("text/plain").send("Forbidden: cross-site request refused");
      return;
    }
    next();
  });

  app.all(
    "*",
    async (req, res, next) => {
      try {
        res.locals.portal = await requestContext(req, res);
        next();
      } catch (error) {
        next(error);
      }
    },
    createRequestHandler({
      build: options.build as ServerBuild,
      mode: config.NODE_ENV === "production" ? "production" : "development",
      getLoadContext: (_req, res) => res.locals.portal as AppLoadContext,
    }),
  );

  async function requestContext(req: ExpressRequest, res: express.Response): Promise<PortalContext> {
    const secure = req.secure; // honours X-Forwarded-Proto only when TRUST_PROXY is set
    const cookies = parseCookies(req.headers.cookie);
    let actor: PortalContext["actor"] = null;
    let userLocale: string | null = null;
    const token = cookies[SESSION_COOKIE];
    if (token) {
      const session = await validateSessionToken(database.db, token, now());
      if (session) {
        actor = session.actor;
        userLocale = session.user.locale;
        res.locals.userId = session.actor.userId;
        if (session.renewed) {
          res.append("Set-Cookie", serializeCookie(SESSION_COOKIE, token, { expires: session.expiresAt, secure }));
        }
      } else {
        res.append("Set-Cookie", clearCookie(SESSION_COOKIE, secure));
      }
    }
    const cookieLocale = cookies[LOCALE_COOKIE];
    const locale = isLocale(userLocale)
      ? userLocale
      : isLocale(cookieLocale)
        ? cookieLocale
        : negotiateLocale(req.get("accept-language"));
    let flash: Flash | null = null;
    if (cookies[FLASH_COOKIE] && req.method === "GET") {
      flash = parseFlash(cookies[FLASH_COOKIE]);
      res.append("Set-Cookie", clearCookie(FLASH_COOKIE, secure));
    }
    return {
      db: database.db,
      database,
      config,
      log,
      requestId: res.locals.requestId as string,
      ip: req.ip ?? req.socket.remoteAddress ?? "unknown",
      secure,
      actor,
      locale,
      flash,
      now,
    };
  }

  app.use((error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    log.error("unhandled error", { requestId: res.locals.requestId, error });
    if (!res.headersSent) res.status(500).type("text/plain").send(`Internal error (request ${res.locals.requestId})`);
  });

  return app;
}

function parseFlash(raw: string): Flash | null {
  try {
    const value = JSON.parse(raw) as Flash;
    if (typeof value?.key === "string" && ["success", "error", "info"].includes(value.kind)) return value;
  } catch {
    /* ignore a malformed flash */
  }
  return null;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e) => (clearTimeout(timer), reject(e)),
    );
  });
}
