import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db, pool } from "../../src/server/db/client";

describe("a database connection terminated under the app", () => {
  it("does not take the process down when the connection is checked out and idle, and the pool recovers", async () => {
    const client = await pool().connect();
    const { rows } = await client.query<{ pid: number }>("select pg_backend_pid() as pid");
    const errors: unknown[] = [];
    const onError = (e: unknown) => errors.push(e);
    process.on("uncaughtException", onError);
    try {
      // Another connection kills this one while it is checked out with no query running:
      // pg then emits 'error' on the client, which must not reach the process unhandled.
      await db().execute(sql`select pg_terminate_backend(${rows[0]!.pid})`);
      await new Promise((r) => setTimeout(r, 300));
      await expect(client.query("select 1")).rejects.toThrow();
      client.release(true);
      const after = await db().execute<{ one: number }>(sql`select 1 as one`);
      expect(after.rows[0]!.one).toBe(1);
      expect(errors).toEqual([]);
    } finally {
      process.off("uncaughtException", onError);
    }
  });
});
