import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import pg from "pg";
import { env } from "../env";
import * as schema from "./schema";

export type Db = NodePgDatabase<typeof schema>;
/** A transaction handle; services accept `Db | Tx` so they compose inside one transaction. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type DbOrTx = Db | Tx;

type Holder = { pool?: pg.Pool; db?: Db };
// One pool per process, also across Next.js dev hot reloads.
const holder = ((globalThis as unknown as { __perigeeDb?: Holder }).__perigeeDb ??= {});

export function pool(): pg.Pool {
  if (!holder.pool) {
    holder.pool = new pg.Pool({ connectionString: env().DATABASE_URL, max: 10 });
    holder.pool.on("error", (err) => console.error("[db] idle client error", err.message));
  }
  return holder.pool;
}

export function db(): Db {
  holder.db ??= drizzle(pool(), { schema });
  return holder.db;
}

export async function closeDb(): Promise<void> {
  const p = holder.pool;
  holder.pool = undefined;
  holder.db = undefined;
  await p?.end();
}
