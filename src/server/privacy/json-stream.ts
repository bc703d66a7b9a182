/**
 * Building blocks for a JSON document written as it is read: objects whose values may be
 * computed late or streamed, and arrays filled batch by batch. Each yielded string is a
 * whole batch, never a row, so a million rows cost a few hundred yields; a consumer that
 * stops pulling stops the reads (backpressure).
 */
export type Chunks = AsyncGenerator<string, void, undefined>;

const STREAMED = Symbol("streamed");
type Streamed = { [STREAMED]: () => Chunks };
const LAZY = Symbol("lazy");
type Lazy = { [LAZY]: () => Promise<unknown> };

/** A value written by a generator of JSON text (an array or object of unbounded size). */
export const streamed = (fn: () => Chunks): Streamed => ({ [STREAMED]: fn });

/** A value read only when the writer reaches it, so earlier parts are already on their way. */
export const lazy = (fn: () => Promise<unknown>): Lazy => ({ [LAZY]: fn });

const isStreamed = (v: unknown): v is Streamed => typeof v === "object" && v !== null && STREAMED in v;
const isLazy = (v: unknown): v is Lazy => typeof v === "object" && v !== null && LAZY in v;

/** `{…}` from entries in order; values may be plain (JSON.stringify), lazy or streamed. */
export async function* jsonObject(entries: [string, unknown][]): Chunks {
  let sep = "{";
  for (const [k, v] of entries) {
    const head = `${sep}${JSON.stringify(k)}:`;
    sep = ",";
    if (isStreamed(v)) {
      yield head;
      yield* v[STREAMED]();
    } else yield head + JSON.stringify(isLazy(v) ? await v[LAZY]() : v);
  }
  yield sep === "{" ? "{}" : "}";
}

/** `[…]` of the items of each batch; `encode` returns one item's JSON text. */
export async function* jsonArray<T>(batches: AsyncIterable<T[]> | Iterable<T[]>, encode: (item: T) => string = JSON.stringify): Chunks {
  let first = true;
  yield "[";
  for await (const batch of batches) {
    if (!batch.length) continue;
    const text = batch.map(encode).join(",");
    yield first ? text : `,${text}`;
    first = false;
  }
  yield "]";
}

/** Streamed JSON array whose items are objects or arrays built by an async generator per item. */
export async function* jsonArrayOf<T>(items: Iterable<T>, write: (item: T) => Chunks): Chunks {
  let sep = "[";
  for (const item of items) {
    yield sep;
    sep = ",";
    yield* write(item);
  }
  yield sep === "[" ? "[]" : "]";
}

/**
 * Keyset pagination: calls `page(after)` with the last row of the previous page (null first)
 * until a page comes back shorter than `size`. Only one page is in memory at a time.
 */
export async function* keysetPages<R>(size: number, page: (after: R | null, size: number) => Promise<R[]>): AsyncGenerator<R[], void, undefined> {
  let after: R | null = null;
  for (;;) {
    const rows = await page(after, size);
    if (rows.length) yield rows;
    if (rows.length < size) return;
    after = rows[rows.length - 1]!;
  }
}

/** Joins small strings into chunks of about `bytes` characters (fewer, larger writes downstream). */
export async function* coalesce(src: Chunks, bytes = 64 * 1024): Chunks {
  let buf = "";
  for await (const s of src) {
    buf += s;
    if (buf.length >= bytes) {
      yield buf;
      buf = "";
    }
  }
  if (buf) yield buf;
}
