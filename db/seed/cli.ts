// `npm run seed`: seeds the demo data into DATABASE_URL or the embedded database.
import { openDatabase } from "../client";
import { seedDemo } from "./demo";

const database = await openDatabase({ url: process.env.DATABASE_URL, dataDir: process.env.PGLITE_DIR });
try {
  const result = await seedDemo(database.db);
  console.log(JSON.stringify(result));
} finally {
  await database.close();
}
