// Environment, validated once at start-up: a wrong value stops the server with a message that names it.
import { z } from "zod";

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  // Unset: every address, IPv6 and IPv4 (so http://localhost works whichever the browser tries first).
  HOST: z.string().optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must start with postgres:// or postgresql://")
    .optional(),
  PGLITE_DIR: z.string().default(".data/pglite"),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  // Trust X-Forwarded-Proto / X-Forwarded-For only behind a proxy you run.
  TRUST_PROXY: z
    .enum(["true", "false", "1", "0"])
    .default("false")
    .transform((v) => v === "true" || v === "1"),
  // Public origin (https://portal.example.com) when the Host header cannot be relied on.
  APP_ORIGIN: z.string().url().optional(),
  SEED_DEMO: z
    .enum(["true", "false", "1", "0"])
    .default("true")
    .transform((v) => v === "true" || v === "1"),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  // Scheduled jobs (syncs, worker, outbox) run in the web process unless a separate `npm run worker`
  // does it (PostgreSQL only: PGlite allows one process).
  RUN_JOBS: z
    .enum(["true", "false", "1", "0"])
    .default("true")
    .transform((v) => v === "true" || v === "1"),
  // External systems. With none configured, the built-in simulator answers for all three.
  ERP_BASE_URL: z.string().url().optional(),
  DMS_BASE_URL: z.string().url().optional(),
  MES_BASE_URL: z.string().url().optional(),
  // The key our outbound calls present to the ERP.
  ERP_OUTBOUND_KEY: z.string().optional(),
  SIMULATOR: z.enum(["true", "false", "1", "0", "auto"]).default("auto"),
  INBOX_DIR: z.string().default(".data/inbox"),
});

export type Config = z.infer<typeof schema>;

/** The simulator runs when asked to, or by default when no external system is configured. */
export function simulatorEnabled(config: Config): boolean {
  if (config.SIMULATOR === "auto") return !config.ERP_BASE_URL && !config.DMS_BASE_URL && !config.MES_BASE_URL;
  return config.SIMULATOR === "true" || config.SIMULATOR === "1";
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty variable means "not set" (DATABASE_URL= npm start).
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  return parsed.data;
}
