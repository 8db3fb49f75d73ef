// A real database for a test file: the shared PostgreSQL test database when TEST_DATABASE_URL is set,
// otherwise a fresh in-memory PGlite with migrations and (optionally) the demo data.
import { openDatabase, type Database } from "../../db/client";
import { seedDemo } from "../../db/seed/demo";

export const usingPostgres = Boolean(process.env.TEST_DATABASE_URL);

export async function openTestDatabase(options: { seed?: boolean } = {}): Promise<Database> {
  if (process.env.TEST_DATABASE_URL) {
    return openDatabase({ url: process.env.TEST_DATABASE_URL, migrate: false, max: 5 });
  }
  const database = await openDatabase({ dataDir: "memory://" });
  if (options.seed) await seedDemo(database.db);
  return database;
}

/**
 * A database of the test file's own, for tests that run workers over the whole queue or cut
 * connections: on PostgreSQL a fresh database created (and dropped) for the file, so that other
 * files running at the same time keep their messages and connections; on PGlite the usual in-memory one.
 */
export async function openPrivateDatabase(options: { seed?: boolean } = {}): Promise<{ database: Database; url?: string; drop: () => Promise<void> }> {
  const shared = process.env.TEST_DATABASE_URL;
  if (!shared) {
    const database = await openTestDatabase(options);
    return { database, drop: () => database.close() };
  }
  const { default: postgres } = await import("postgres");
  const admin = postgres(shared, { max: 1, onnotice: () => {} });
  const name = `dp_private_${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  await admin.unsafe(`create database ${name}`);
  const url = new URL(shared);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString(), max: 5 });
  if (options.seed) await seedDemo(database.db);
  return {
    database,
    url: url.toString(),
    drop: async () => {
      await database.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}
