import { freePort } from "./worker-process";
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir, userInfo } from "node:os";
import path from "node:path";

export const PGBOUNCER = "/usr/sbin/pgbouncer";

export type LocalPgBouncer = { port: number; urlFor(databaseUrl: string): string; stop(): Promise<void> };

/**
 * A private PgBouncer in transaction mode on a free port, in front of the test Postgres
 * (127.0.0.1:5432, trust), with a small server pool so statements of different clients share
 * server connections. PgBouncer refuses to run as root: as root it is started with `-u postgres`
 * (its files are made readable for that user). `stop()` kills it and removes its files.
 */
export async function startPgBouncer(opts: { poolSize?: number; upstream?: string } = {}): Promise<LocalPgBouncer> {
  const dir = mkdtempSync(path.join(tmpdir(), "perigee-pgbouncer-"));
  chmodSync(dir, 0o755);
  const port = await freePort();
  const upstream = new URL(opts.upstream ?? "postgres://postgres@127.0.0.1:5432/postgres");
  const ini = path.join(dir, "pgbouncer.ini");
  writeFileSync(path.join(dir, "userlist.txt"), `"${upstream.username || "postgres"}" ""\n`);
  writeFileSync(
    ini,
    [
      "[databases]",
      `* = host=${upstream.hostname} port=${upstream.port || 5432}`,
      "[pgbouncer]",
      "listen_addr = 127.0.0.1",
      `listen_port = ${port}`,
      "unix_socket_dir =",
      "auth_type = trust",
      `auth_file = ${path.join(dir, "userlist.txt")}`,
      "pool_mode = transaction",
      `default_pool_size = ${opts.poolSize ?? 2}`,
      "min_pool_size = 0",
      "reserve_pool_size = 0",
      "max_client_conn = 500",
      "ignore_startup_parameters = extra_float_digits,options",
      "",
    ].join("\n"),
  );
  const asRoot = userInfo().uid === 0;
  const child: ChildProcess = spawn(PGBOUNCER, [...(asRoot ? ["-u", "postgres"] : []), ini], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) await new Promise((r) => (child.once("exit", r), child.kill("SIGKILL")));
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    const up = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, "127.0.0.1", () => (s.destroy(), resolve(true)));
      s.once("error", () => resolve(false));
    });
    if (up) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`pgbouncer did not start: ${stderr.trim().slice(-500)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    urlFor(databaseUrl) {
      const u = new URL(databaseUrl);
      u.hostname = "127.0.0.1";
      u.port = String(port);
      return u.toString();
    },
    stop,
  };
}
