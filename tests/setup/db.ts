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
