// Runs once before the suite. With TEST_DATABASE_URL (a fresh PostgreSQL database made by
// tests/run-all.mjs or CI) it migrates and seeds the demo network once; test files then share it and
// create their own uniquely named data. Without it every test file opens its own in-memory PGlite.
import { openDatabase } from "../../db/client";
import { seedDemo } from "../../db/seed/demo";

export default async function setup() {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return;
  const database = await openDatabase({ url, max: 2 });
  try {
    await seedDemo(database.db);
  } finally {
    await database.close();
  }
}
