import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import path from "node:path";
import pg from "pg";

export const MIGRATIONS_FOLDER = path.join(process.cwd(), "db", "migrations");

/** Applies committed drizzle-kit migrations; safe to run on every start. */
export async function runMigrations(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // Serialise concurrent starters (web + worker, several replicas) with a transaction-level
    // lock, so it also holds through a pooler in transaction mode (a session lock would stay on
    // whichever server connection took it). Drizzle's own BEGIN inside is a no-op warning; its
    // COMMIT (or ROLLBACK) ends this transaction and releases the lock.
    await client.query("begin");
    await client.query("select pg_advisory_xact_lock(727274)");
    await migrate(drizzle(client), { migrationsFolder: MIGRATIONS_FOLDER });
  } finally {
    await client.query("rollback").catch(() => {});
    await client.end();
  }
}
