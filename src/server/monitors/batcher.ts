import { log } from "../log";
import { recordResults, type ResultInput } from "./record-results";

/** Transactions in flight per process: enough to hide round trips, few enough to leave the pool (10) to the rest. */
const PARALLEL = 3;

type Entry = { input: ResultInput; resolve: () => void; reject: (e: unknown) => void };

/**
 * Groups results from concurrent checks into one transaction every `maxWaitMs` or
 * `maxSize` results. Each caller's promise settles when its result is committed, so a
 * BullMQ job completes only after its result is durable (a worker killed before that
 * leaves the job to be retried, and the unique key makes the retry store nothing twice).
 *
 * Up to `parallel` (default 3) transactions are in flight at once: a batch is mostly waiting on round trips
 * to Postgres, and one at a time capped a worker at (batch size ÷ commit time). A monitor's
 * result never joins a batch while another batch holding a result of the same monitor is in
 * flight, so every monitor's results are still applied in order; the transactions lock their
 * monitors' rows in id order, so they cannot deadlock.
 */
export class ResultBatcher {
  private pending: Entry[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly inFlight = new Set<Promise<void>>();
  /** Monitors with a result in a batch in flight, and how many such batches. */
  private readonly busy = new Map<string, number>();
  /** Pending results were due but had to wait for a batch in flight to finish. */
  private due = false;

  constructor(private readonly opts: { maxSize: number; maxWaitMs: number; parallel?: number; record?: typeof recordResults } = { maxSize: 500, maxWaitMs: 50 }) {}

  add(input: ResultInput): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ input, resolve, reject });
      if (this.pending.length >= this.opts.maxSize) this.start();
      else
        this.timer ??= setTimeout(() => {
          this.timer = null;
          this.start();
        }, this.opts.maxWaitMs);
    });
  }

  /** Commits everything pending now; resolves when nothing is pending or in flight. */
  async flush(): Promise<void> {
    for (;;) {
      this.start();
      if (this.inFlight.size === 0) return;
      await Promise.all([...this.inFlight]);
    }
  }

  /** Starts batches from the pending results, as far as the parallel limit allows. */
  private start(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.due = false;
    while (this.pending.length && this.inFlight.size < (this.opts.parallel ?? PARALLEL)) if (!this.startBatch()) break;
    if (this.pending.length) this.due = true;
  }

  private startBatch(): boolean {
    const batch: Entry[] = [];
    const rest: Entry[] = [];
    for (const e of this.pending) (batch.length < this.opts.maxSize && !this.busy.has(e.input.monitorId) ? batch : rest).push(e);
    if (batch.length === 0) return false;
    this.pending = rest;
    const ids = [...new Set(batch.map((e) => e.input.monitorId))];
    for (const id of ids) this.busy.set(id, (this.busy.get(id) ?? 0) + 1);
    const run: Promise<void> = (async () => {
      await null; // `run` is assigned before anything below can settle
      try {
        await (this.opts.record ?? recordResults)(batch.map((b) => b.input));
        batch.forEach((b) => b.resolve());
      } catch (e) {
        log.error("storing check results failed", { count: batch.length, err: e });
        batch.forEach((b) => b.reject(e));
      } finally {
        for (const id of ids) {
          const n = this.busy.get(id)! - 1;
          if (n) this.busy.set(id, n);
          else this.busy.delete(id);
        }
        this.inFlight.delete(run!);
        if (this.due) this.start();
      }
    })();
    this.inFlight.add(run);
    return true;
  }
}
