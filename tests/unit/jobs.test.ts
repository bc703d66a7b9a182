import { UnrecoverableError } from "bullmq";
import { describe, expect, it } from "vitest";
import { CHECKS_QUEUE, JOBS, MAINTENANCE_QUEUE, NOTIFY_QUEUE, jobOptions, maintenanceJobs, type JobKey } from "../../src/server/jobs/catalog";
import { dispatcher } from "../../src/server/jobs/processors";

const job = (name: string, data: unknown) => ({ name, data, opts: {}, timestamp: Date.now(), attemptsMade: 0 });

describe("job catalog", () => {
  it("names every job once, on a known queue, without ':' (BullMQ's key separator)", () => {
    const defs = Object.values(JOBS);
    expect(new Set(defs.map((d) => d.name)).size).toBe(defs.length);
    for (const d of defs) {
      expect(d.name).not.toContain(":");
      expect([CHECKS_QUEUE, NOTIFY_QUEUE, MAINTENANCE_QUEUE]).toContain(d.queue);
    }
    expect(Object.keys(maintenanceJobs).sort()).toEqual(
      Object.keys(JOBS)
        .filter((k) => JOBS[k as JobKey].queue === MAINTENANCE_QUEUE && "everyMs" in JOBS[k as JobKey])
        .sort(),
    );
  });

  it("gives each job a retry policy: deliveries retry with the Retry-After aware backoff, the rest run once", () => {
    expect(jobOptions("deliver")).toMatchObject({ attempts: expect.any(Number), backoff: { type: "perigee" } });
    expect(jobOptions("deliver").attempts).toBeGreaterThan(1);
    expect(jobOptions("check")).toMatchObject({ attempts: 1, removeOnComplete: true });
    for (const key of Object.keys(maintenanceJobs) as JobKey[]) expect(jobOptions(key).attempts).toBe(1);
  });

  it("the dispatcher parses the payload where it is consumed: a malformed one fails for good, before its processor runs", async () => {
    const checks = dispatcher(CHECKS_QUEUE);
    for (const data of [
      {},
      { monitorId: "not-a-uuid", version: 1, region: "eu" },
      { monitorId: crypto.randomUUID(), version: 0, region: "eu" },
      { monitorId: crypto.randomUUID(), version: 1, region: "EU:1" },
    ]) {
      await expect(checks(job("check", data))).rejects.toThrow(UnrecoverableError);
    }
    await expect(dispatcher(NOTIFY_QUEUE)(job("deliver", { deliveryId: crypto.randomUUID(), extra: 1 }))).rejects.toThrow(/invalid deliver payload/);
    await expect(dispatcher(MAINTENANCE_QUEUE)(job("partitions", { drop: "everything" }))).rejects.toThrow(UnrecoverableError);
  });

  it("refuses a job its queue does not know, and a job on another queue than its own", async () => {
    await expect(dispatcher(MAINTENANCE_QUEUE)(job("vacuum-everything", {}))).rejects.toThrow(/unknown job "vacuum-everything"/);
    await expect(dispatcher(MAINTENANCE_QUEUE)(job("deliver", { deliveryId: crypto.randomUUID() }))).rejects.toThrow(UnrecoverableError);
  });

  it("runs a valid check only inside the worker (it needs the result batcher)", async () => {
    await expect(dispatcher(CHECKS_QUEUE)(job("check", { monitorId: crypto.randomUUID(), version: 1, region: "eu-west" }))).rejects.toThrow(/run in the worker/);
  });
});
