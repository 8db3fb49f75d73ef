// The database handle. One drizzle schema serves two engines (docs/decisions/001-embedded-database.md):
// a PostgreSQL server through postgres.js when DATABASE_URL is set, embedded PGlite otherwise.
// Migrations run at open; afterwards every statement runs as role dealer_portal_app, so the
// row-level security policies and the append-only audit log apply to the application itself.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import * as schema from "./schema";

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Either the database or an open transaction: domain operations accept both. */
export type DbOrTx = Db | Tx;

export interface Database {
  db: Db;
  kind: "postgres" | "pglite";
  close(): Promise<void>;
  /** Raw rows of a query, whatever the driver. */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
}

export const APP_ROLE = "dealer_portal_app";
const here = path.dirname(fileURLToPath(import.meta.url));
export const migrationsFolder = path.resolve(here, "migrations");

export interface OpenOptions {
  /** postgres://… ; when absent, embedded PGlite is used. */
  url?: string;
  /** PGlite data folder; "memory://" for a throwaway in-memory database. */
  dataDir?: string;
  /** Connection pool size for PostgreSQL. */
  max?: number;
  migrate?: boolean;
}

export async function openDatabase(options: OpenOptions = {}): Promise<Database> {
  const migrate = options.migrate ?? true;
  if (options.url) return openPostgres(options.url, migrate, options.max ?? 10);
  return openPglite(options.dataDir ?? path.resolve(".data/pglite"), migrate);
}

async function openPostgres(url: string, runMigrations: boolean, max: number): Promise<Database> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  if (runMigrations) {
    const { migrate } = await import("drizzle-orm/postgres-js/migrator");
    const owner = postgres(url, { max: 1, onnotice: () => {} });
    try {
      // Two instances starting together must not both migrate.
      await owner`select pg_advisory_lock(7201001)`;
      await migrate(drizzle(owner), { migrationsFolder });
      await owner`select pg_advisory_unlock(7201001)`;
    } finally {
      await owner.end({ timeout: 5 });
    }
  }
  const client = postgres(url, {
    max,
    onnotice: () => {},
    connection: { role: APP_ROLE, application_name: "dealer-portal" },
    // Bigints come back as strings from postgres.js; drizzle maps bigint columns itself.
  });
  const db = drizzle(client, { schema }) as unknown as Db;
  return {
    db,
    kind: "postgres",
    close: () => client.end({ timeout: 5 }),
    query: async <T,>(text: string, params: unknown[] = []) =>
      (await client.unsafe(text, params as never[])) as unknown as T[],
  };
}

async function openPglite(dataDir: string, runMigrations: boolean): Promise<Database> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const inMemory = dataDir.startsWith("memory://");
  let releaseLock = () => {};
  if (!inMemory) {
    fs.mkdirSync(dataDir, { recursive: true });
    releaseLock = acquireDataDirLock(dataDir);
  }
  let client: InstanceType<typeof PGlite>;
  try {
    client = new PGlite(inMemory ? undefined : dataDir);
    await client.waitReady;
    if (runMigrations) {
      const { migrate } = await import("drizzle-orm/pglite/migrator");
      await migrate(drizzle(client), { migrationsFolder });
    }
    await client.exec(`SET ROLE ${APP_ROLE}`);
  } catch (error) {
    releaseLock();
    throw error;
  }
  const db = drizzle(client, { schema }) as unknown as Db;
  return {
    db,
    kind: "pglite",
    close: async () => {
      try {
        await client.close();
      } finally {
        releaseLock();
      }
    },
    query: async <T,>(text: string, params: unknown[] = []) => (await client.query<T>(text, params)).rows,
  };
}

/** PGlite allows one process per data folder; a second one gets a clear error instead of corruption. */
function acquireDataDirLock(dataDir: string): () => void {
  const lockPath = path.join(path.dirname(dataDir), `${path.basename(dataDir)}.lock`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: "wx" });
      return () => {
        try {
          if (fs.readFileSync(lockPath, "utf8") === String(process.pid)) fs.unlinkSync(lockPath);
        } catch {
          /* already gone */
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number(fs.readFileSync(lockPath, "utf8"));
      // Our own pid means this process has the folder open already: a second PGlite would corrupt it.
      if (holder && (holder === process.pid || isAlive(holder))) {
        throw new DatabaseLockedError(dataDir, holder);
      }
      fs.unlinkSync(lockPath); // stale lock of a process that died
    }
  }
  throw new DatabaseLockedError(dataDir, 0);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export class DatabaseLockedError extends Error {
  constructor(dataDir: string, pid: number) {
    super(
      `The embedded database at ${dataDir} is in use by another process (pid ${pid}). ` +
        `PGlite allows one process per data folder: stop that process, or set DATABASE_URL to use a PostgreSQL server.`,
    );
    this.name = "DatabaseLockedError";
  }
}
