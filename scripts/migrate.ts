import { env } from "../src/server/env";
import { runMigrations } from "../src/server/db/migrate";

runMigrations(env().DATABASE_URL).then(
  () => console.log("migrations applied"),
  (e) => {
    console.error(`migration failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
