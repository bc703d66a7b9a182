import { sql } from "drizzle-orm";
import { db } from "../db/client";
import { Invalid } from "../errors";

// Region names are few and never renamed; cache their small ids per process.
const cache = new Map<string, number>();

export async function regionId(name: string): Promise<number> {
  const hit = cache.get(name);
  if (hit !== undefined) return hit;
  for (let attempt = 0; attempt < 5; attempt++) {
    const found = await db().execute<{ id: number }>(sql`select id from regions where name = ${name}`);
    if (found.rows[0]) {
      cache.set(name, found.rows[0].id);
      return found.rows[0].id;
    }
    // Concurrent creators may pick the same id; the loser retries and reads the winner's row.
    await db()
      .execute(sql`insert into regions (id, name) select coalesce(max(id), 0) + 1, ${name} from regions on conflict do nothing`)
      .catch(() => undefined);
  }
  throw new Error(`could not register region ${name}`);
}

export async function regionNames(): Promise<Map<number, string>> {
  const r = await db().execute<{ id: number; name: string }>(sql`select id, name from regions`);
  return new Map(r.rows.map((x) => [x.id, x.name]));
}

/** Regions a monitor may use: "default" (the worker) and any region a probe was registered for. */
export async function assertRegionsExist(names: string[]): Promise<void> {
  const known = new Set([...(await regionNames()).values(), "default"]);
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length) {
    const msg = `Unknown region${unknown.length > 1 ? "s" : ""}: ${unknown.join(", ")}. Start a probe for it first (npm run probe -- --region ${unknown[0]}).`;
    throw new Invalid(msg, { regions: [msg] });
  }
}
