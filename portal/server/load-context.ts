// What every loader and action receives from the server (Remix AppLoadContext).
import type { Database, Db } from "../../db/client";
import type { Locale } from "../../db/schema";
import type { UserActor } from "../domain/context";
import type { Config } from "./config";
import type { Logger } from "./log";

export type Flash = { kind: "success" | "error" | "info"; key: string; params?: Record<string, string> };

export interface PortalContext {
  db: Db;
  database: Database;
  config: Config;
  log: Logger;
  requestId: string;
  ip: string;
  /** Served over HTTPS (directly, or behind a trusted proxy): decides the cookies' Secure flag. */
  secure: boolean;
  actor: UserActor | null;
  locale: Locale;
  flash: Flash | null;
  now: () => Date;
}

declare module "@remix-run/server-runtime" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AppLoadContext extends PortalContext {}
}
