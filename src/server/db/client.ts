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
    // A connection terminated while checked out (pg_terminate_backend, a failover) emits 'error'
    // on its client; with no listener that kills the process. The query in flight still rejects,
    // and pg discards the broken client when it is released (npm run chaos, phase C).
    holder.pool.on("connect", (client) => client.on("error", (err) => console.error("[db] connection lost", err.message)));
    if (env().DATABASE_POOLER === "pgbouncer-transaction") holder.pool.on("connect", unnamedStatements);
  }
  return holder.pool;
}

/**
 * Behind a pooler in transaction mode each transaction may get another server connection, and
 * PgBouncer before 1.21 does not carry named prepared statements across them: a statement
 * prepared on one server is missing on the next ("prepared statement … does not exist"). So
 * every query of this client goes out unnamed (parsed each time; still parameterised). Named
 * statements stay the default for a direct connection, where they save the parse (ADR 14).
 */
function unnamedStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const unnamed = (config: unknown, ...rest: unknown[]) =>
    query(config && typeof config === "object" && "name" in config && typeof (config as { submit?: unknown }).submit !== "function" ? { ...config, name: undefined } : config, ...rest);
  (client as unknown as { query: typeof unnamed }).query = unnamed;
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
