import { log } from "../log";
import { recordResults, type ResultInput } from "./record-results";

/**
 * Groups results from concurrent checks into one transaction every `maxWaitMs` or
 * `maxSize` results. Each caller's promise settles when its result is committed, so a
 * BullMQ job completes only after its result is durable (a worker killed before that
 * leaves the job to be retried, and the unique key makes the retry store nothing twice).
 */
export class ResultBatcher {
  private pending: { input: ResultInput; resolve: () => void; reject: (e: unknown) => void }[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly opts: { maxSize: number; maxWaitMs: number; record?: typeof recordResults } = { maxSize: 500, maxWaitMs: 50 }) {}

  add(input: ResultInput): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ input, resolve, reject });
      if (this.pending.length >= this.opts.maxSize) void this.flush();
      else this.timer ??= setTimeout(() => void this.flush(), this.opts.maxWaitMs);
    });
  }

  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return this.flushing;
    // One transaction at a time per process keeps lock order simple and the pool free.
    this.flushing = this.flushing.then(async () => {
      try {
        await (this.opts.record ?? recordResults)(batch.map((b) => b.input));
        batch.forEach((b) => b.resolve());
      } catch (e) {
        log.error("storing check results failed", { count: batch.length, err: e });
        batch.forEach((b) => b.reject(e));
      }
    });
    return this.flushing;
  }
}
