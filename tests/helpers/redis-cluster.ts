import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export type LocalCluster = { ports: number[]; nodes: string; stop(): Promise<void> };

/** A port the OS says is free whose cluster-bus port (+10000) is free too. */
async function freePort(taken: Set<number>): Promise<number> {
  const probe = (port: number) =>
    new Promise<number | null>((resolve) => {
      const s = net.createServer();
      s.once("error", () => resolve(null));
      s.listen(port, "127.0.0.1", () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
  for (;;) {
    const p = await probe(0);
    if (!p || p > 55_000 || taken.has(p)) continue;
    if ((await probe(p + 10_000)) === null) continue;
    return p;
  }
}

async function cli(port: number, ...args: string[]): Promise<string> {
  return (await run("redis-cli", ["-h", "127.0.0.1", "-p", String(port), ...args], { timeout: 20_000 })).stdout;
}

/**
 * A local Redis Cluster of three primaries (no replicas) on free ports, for tests: three
 * `redis-server --cluster-enabled yes` child processes without persistence, joined by
 * `redis-cli --cluster create`. `stop()` kills them and removes their node files.
 */
export async function startRedisCluster(): Promise<LocalCluster> {
  const dir = mkdtempSync(path.join(tmpdir(), "perigee-cluster-"));
  const taken = new Set<number>();
  const ports: number[] = [];
  for (let i = 0; i < 3; i++) {
    const p = await freePort(taken);
    taken.add(p);
    ports.push(p);
  }
  const servers: ChildProcess[] = ports.map((p) =>
    spawn(
      "redis-server",
      [
        "--port",
        String(p),
        "--bind",
        "127.0.0.1",
        "--cluster-enabled",
        "yes",
        "--cluster-config-file",
        path.join(dir, `nodes-${p}.conf`),
        "--dir",
        dir,
        "--save",
        "",
        "--appendonly",
        "no",
        "--daemonize",
        "no",
      ],
      {
        stdio: ["ignore", "ignore", "inherit"],
      },
    ),
  );
  const stop = async () => {
    await Promise.all(servers.map((s) => (s.exitCode !== null || s.signalCode !== null ? null : new Promise((r) => (s.once("exit", r), s.kill("SIGKILL"))))));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const p of ports) {
      const deadline = Date.now() + 10_000;
      while ((await cli(p, "ping").catch(() => "")).trim() !== "PONG") {
        if (Date.now() > deadline) throw new Error(`redis-server on ${p} did not start`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    await run("redis-cli", ["--cluster", "create", ...ports.map((p) => `127.0.0.1:${p}`), "--cluster-replicas", "0", "--cluster-yes"], { timeout: 30_000 });
    const deadline = Date.now() + 20_000;
    for (;;) {
      const states = await Promise.all(ports.map((p) => cli(p, "cluster", "info")));
      if (states.every((s) => s.includes("cluster_state:ok"))) break;
      if (Date.now() > deadline) throw new Error("the local Redis Cluster did not reach cluster_state:ok");
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (e) {
    await stop();
    throw e;
  }
  return { ports, nodes: ports.map((p) => `127.0.0.1:${p}`).join(","), stop };
}
