import type { Chunks } from "@/server/privacy/json-stream";

/** Whether the client takes a gzip body (Accept-Encoding: gzip, not refused with q=0). */
export function acceptsGzip(h: Headers): boolean {
  return (h.get("accept-encoding") ?? "").split(",").some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(";");
    return coding === "gzip" && !params.some((p) => /^\s*q=0(\.0*)?\s*$/.test(p));
  });
}

/**
 * A JSON attachment streamed from `chunks`: each pull reads the next chunk, so a slow client
 * slows the reads (bounded memory), and a client that goes away cancels them.
 * `gzip: "encoding"` sends Content-Encoding: gzip (for API clients that asked for it, e.g.
 * `curl --compressed`, which store plain JSON); `"file"` sends a `.json.gz` file as such —
 * browsers save downloads still encoded, so the dashboard names the file for what it is.
 */
export function jsonDownload(chunks: Chunks, opts: { filename: string; gzip: "encoding" | "file" | false; headers?: Record<string, string> }): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await chunks.return();
    },
  });
  const file = opts.gzip === "file";
  return new Response(opts.gzip ? body.pipeThrough(new CompressionStream("gzip") as ReadableWritablePair<Uint8Array, Uint8Array>) : body, {
    status: 200,
    headers: {
      "content-type": file ? "application/gzip" : "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="${opts.filename}${file ? ".gz" : ""}"`,
      "cache-control": "no-store",
      ...(file ? {} : { vary: "accept-encoding" }),
      ...(opts.gzip === "encoding" ? { "content-encoding": "gzip" } : {}),
      ...opts.headers,
    },
  });
}
