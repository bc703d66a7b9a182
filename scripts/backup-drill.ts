/**
 * `npm run backup:drill` — the restore drill for point-in-time recovery (docs/operations.md).
 *
 * On a scratch PostgreSQL cluster of its own (initdb into a temp dir, Unix socket only, on a free
 * port) it turns on WAL archiving, takes a base backup, writes rows in batches, records a target
 * time, writes more rows, forces a WAL switch and "fails" the primary (immediate stop). It then
 * restores into a new data directory to the target time and checks that the restored rows are
 * exactly those committed before the target. Prints the RPO and the restore time it measured.
 *
 * Uses pgBackRest (the tool the Compose `backup` service runs, repository encrypted with
 * aes-256-cbc) when `pgbackrest` is installed, else pg_basebackup plus an archive_command copying
 * WAL into a directory; `--tool` forces one. Everything lives in one temp dir, removed at the end,
 * failure included. As root the cluster runs as the `postgres` OS user (initdb refuses root).
 *
 * Flags: --tool auto|pgbackrest|basebackup  --batches N (per phase, default 5)  --rows N (per batch, default 2000)
 *        --seed N (rows written before the base backup, so the restore copies data too; default 0)
 *        --archive-timeout SECONDS (default 60)  --keep (leave the temp dir for inspection)
 */
import { execFileSync, type ExecFileSyncOptions } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";

const { values: flags } = parseArgs({
  options: {
    tool: { type: "string", default: "auto" },
    batches: { type: "string", default: "5" },
    rows: { type: "string", default: "2000" },
    seed: { type: "string", default: "0" },
    "archive-timeout": { type: "string", default: "60" },
    keep: { type: "boolean", default: false },
  },
});
const BATCHES = Number(flags.batches);
const ROWS = Number(flags.rows);
const SEED = Number(flags.seed);
const ARCHIVE_TIMEOUT = Number(flags["archive-timeout"]);
const STANZA = "drill";

const say = (m: string) => process.stdout.write(`[drill] ${m}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function fail(message: string): never {
  throw new Error(message);
}

/** Runs a command, returning stdout; on failure the error carries the command's stderr. */
function run(cmd: string, args: string[], opts: ExecFileSyncOptions = {}): string {
  try {
    return execFileSync(cmd, args, { stdio: ["ignore", "pipe", "pipe"], encoding: "utf8", ...opts }) as string;
  } catch (e) {
    const err = e as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${path.basename(cmd)} ${args.join(" ")} failed: ${(err.stderr || err.stdout || err.message).trim()}`);
  }
}

function which(name: string): string | null {
  try {
    return execFileSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim() || null;
  } catch {
    return null;
  }
}

/** The newest server install's bin directory (Debian layout), else wherever initdb is on PATH. */
function pgBinDir(): string {
  const root = "/usr/lib/postgresql";
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, "bin/initdb"))) : [];
  versions.sort((a, b) => Number(b) - Number(a));
  if (versions[0]) return path.join(root, versions[0], "bin");
  const initdb = which("initdb");
  if (!initdb) fail("PostgreSQL server binaries not found: install the server package (Debian: apt-get install postgresql) so initdb and pg_ctl exist.");
  return path.dirname(fs.realpathSync(initdb));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function main() {
  if (!Number.isInteger(BATCHES) || BATCHES < 1 || !Number.isInteger(ROWS) || ROWS < 1) fail("--batches and --rows must be positive integers.");
  if (!Number.isInteger(SEED) || SEED < 0) fail("--seed must be a whole number of rows.");
  if (!Number.isFinite(ARCHIVE_TIMEOUT) || ARCHIVE_TIMEOUT < 1) fail("--archive-timeout must be a number of seconds ≥ 1.");
  const bin = pgBinDir();
  const pgbackrest = which("pgbackrest");
  const tool = flags.tool === "auto" ? (pgbackrest ? "pgbackrest" : "basebackup") : flags.tool;
  if (tool !== "pgbackrest" && tool !== "basebackup") fail(`--tool must be auto, pgbackrest or basebackup (got "${flags.tool}").`);
  if (tool === "pgbackrest" && !pgbackrest) fail("--tool pgbackrest: pgbackrest is not installed (Debian: apt-get install pgbackrest).");

  // initdb and the server refuse to run as root: run them as the postgres OS user.
  const asRoot = process.getuid?.() === 0;
  let owner: { uid: number; gid: number } | null = null;
  if (asRoot) {
    const ids = (() => {
      try {
        return run("id", ["-u", "postgres"]).trim() + ":" + run("id", ["-g", "postgres"]).trim();
      } catch {
        return fail("Running as root, and PostgreSQL will not run as root: create a `postgres` OS user (the server package does) or run the drill as an ordinary user.");
      }
    })();
    const [uid, gid] = ids.split(":").map(Number);
    owner = { uid: uid!, gid: gid! };
  }
  const pgRun = (cmd: string, args: string[]) => (asRoot ? run("runuser", ["-u", "postgres", "--", cmd, ...args]) : run(cmd, args));

  const version = run(path.join(bin, "postgres"), ["--version"]).trim();
  say(
    `path: ${tool === "pgbackrest" ? `pgBackRest (${run(pgbackrest!, ["version"]).trim()}), encrypted repository (aes-256-cbc)` : "pg_basebackup + archive_command copying WAL (pgbackrest not installed)"}`,
  );
  say(`server: ${version}, ${os.cpus().length} CPU, ${os.hostname()}, ${new Date().toISOString()}`);

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "perigee-drill-"));
  const dir = (p: string) => path.join(tmp, p);
  const started: string[] = [];
  let client: pg.Client | null = null;

  const stopCluster = (data: string, mode: "fast" | "immediate") => {
    if (!fs.existsSync(path.join(data, "postmaster.pid"))) return;
    pgRun(path.join(bin, "pg_ctl"), ["-D", data, "-m", mode, "-w", "stop"]);
  };

  // Ctrl-C or a kill mid-drill still stops the clusters and removes the temp dir.
  const onSignal = (sig: NodeJS.Signals) => {
    say(`${sig}: cleaning up`);
    cleanup();
    process.exit(130);
  };
  const cleanup = () => {
    for (const data of started.splice(0).reverse()) {
      try {
        stopCluster(data, "immediate");
      } catch (e) {
        say(`could not stop the cluster in ${data}: ${(e as Error).message}`);
      }
    }
    if (flags.keep) say(`kept ${tmp}`);
    else fs.rmSync(tmp, { recursive: true, force: true });
  };
  process.once("SIGINT", onSignal).once("SIGTERM", onSignal);

  try {
    for (const d of ["primary", "socket", "archive", "repo", "log", "lock", "spool"]) fs.mkdirSync(dir(d), { mode: 0o700 });
    const port = await freePort();
    const conf = dir("pgbackrest.conf");
    if (tool === "pgbackrest") {
      // The cipher pass is random and only ever in this scratch file (0600), deleted with the rest.
      const lines = [
        "[global]",
        `repo1-path=${dir("repo")}`,
        "repo1-cipher-type=aes-256-cbc",
        `repo1-cipher-pass=${randomBytes(32).toString("base64")}`,
        "repo1-retention-full=1",
        `log-path=${dir("log")}`,
        `lock-path=${dir("lock")}`,
        `spool-path=${dir("spool")}`,
        "log-level-console=warn",
        "log-level-file=info",
        "start-fast=y",
        // As deploy/backup/pgbackrest.conf: WAL pushed (and fetched on restore) in parallel.
        "archive-async=y",
        "process-max=2",
        "",
        `[${STANZA}]`,
        `pg1-path=${dir("primary")}`,
        `pg1-port=${port}`,
        `pg1-socket-path=${dir("socket")}`,
        "",
      ];
      fs.writeFileSync(conf, lines.join("\n"), { mode: 0o600 });
    }
    if (owner) run("chown", ["-R", `${owner.uid}:${owner.gid}`, tmp]);

    const archiveCommand = tool === "pgbackrest" ? `${pgbackrest} --config=${conf} --stanza=${STANZA} archive-push %p` : `test ! -f ${dir("archive")}/%f && cp %p ${dir("archive")}/%f`;
    const restoreCommand = tool === "pgbackrest" ? null : `cp ${dir("archive")}/%f %p`;

    pgRun(path.join(bin, "initdb"), ["-D", dir("primary"), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
    // Unix socket only, in a 0700 dir: trust auth reaches no one but this drill.
    fs.appendFileSync(
      path.join(dir("primary"), "postgresql.conf"),
      [
        "",
        "# backup drill",
        `port = ${port}`,
        "listen_addresses = ''",
        `unix_socket_directories = '${dir("socket")}'`,
        "wal_level = replica",
        "archive_mode = on",
        `archive_command = '${archiveCommand}'`,
        `archive_timeout = ${ARCHIVE_TIMEOUT}`,
        "max_wal_senders = 4",
        "",
      ].join("\n"),
    );
    pgRun(path.join(bin, "pg_ctl"), ["-D", dir("primary"), "-l", dir("log/primary.log"), "-w", "start"]);
    started.push(dir("primary"));
    say(`primary up on port ${port} (socket ${dir("socket")}), archive_timeout=${ARCHIVE_TIMEOUT}s`);

    const connect = async () => {
      const c = new pg.Client({ host: dir("socket"), port, user: "postgres", database: "postgres" });
      await c.connect();
      return c;
    };
    client = await connect();
    await client.query("create table drill (id bigserial primary key, phase text not null, batch int not null, written_at timestamptz not null default clock_timestamp())");
    if (SEED > 0) {
      await client.query("insert into drill (phase, batch) select 'seed', 0 from generate_series(1, $1)", [SEED]);
      const size = (await client.query<{ s: string }>("select pg_size_pretty(pg_database_size('postgres')) as s")).rows[0]!.s;
      say(`seeded ${SEED} rows before the base backup (database ${size})`);
    }

    // Base backup.
    let t0 = Date.now();
    if (tool === "pgbackrest") {
      pgRun(pgbackrest!, [`--config=${conf}`, `--stanza=${STANZA}`, "stanza-create"]);
      pgRun(pgbackrest!, [`--config=${conf}`, `--stanza=${STANZA}`, "check"]);
      pgRun(pgbackrest!, [`--config=${conf}`, `--stanza=${STANZA}`, "--type=full", "backup"]);
    } else {
      pgRun(path.join(bin, "pg_basebackup"), ["-h", dir("socket"), "-p", String(port), "-U", "postgres", "-D", dir("base"), "-X", "fetch", "-c", "fast"]);
    }
    say(`base backup taken in ${secs(Date.now() - t0)}`);

    const writeBatches = async (phase: string) => {
      for (let b = 1; b <= BATCHES; b++) {
        await client!.query("insert into drill (phase, batch) select $1, $2 from generate_series(1, $3)", [phase, b, ROWS]);
        await sleep(100);
      }
    };
    await writeBatches("before");
    // Commit timestamps must fall clearly on one side of the target: leave a gap on both sides.
    await sleep(1000);
    const target = (await client.query<{ t: string; n: string }>("select clock_timestamp()::text as t, (select count(*) from drill)::text as n")).rows[0]!;
    const expected = Number(target.n);
    await sleep(1000);
    await writeBatches("after");
    const total = Number((await client.query<{ n: string }>("select count(*)::text as n from drill")).rows[0]!.n);
    say(`wrote ${expected} rows before the target ${target.t} and ${total - expected} after it`);

    // Force the current segment out and wait until the archiver has it.
    const switchedAt = Date.now();
    const seg = (await client.query<{ f: string }>("select pg_walfile_name(pg_switch_wal()) as f")).rows[0]!.f;
    let archived: { wal: string; at: Date } | null = null;
    for (const deadline = Date.now() + 120_000; Date.now() < deadline; await sleep(50)) {
      const r = (await client.query<{ last_archived_wal: string | null; last_archived_time: Date | null; failed_count: string; last_failed_wal: string | null }>("select * from pg_stat_archiver"))
        .rows[0]!;
      if (r.last_archived_wal && r.last_archived_time && r.last_archived_wal.slice(0, 24) >= seg) {
        archived = { wal: r.last_archived_wal, at: r.last_archived_time };
        break;
      }
    }
    if (!archived) fail(`segment ${seg} was not archived within 120 s: see ${dir("log/primary.log")} (archive_command failing?)`);
    const archiveLatency = archived.at.getTime() - switchedAt;
    await client.end();
    client = null;

    // The failure: the primary dies at once, nothing flushed or archived on the way out.
    const failedAt = Date.now();
    stopCluster(dir("primary"), "immediate");
    started.splice(started.indexOf(dir("primary")), 1);
    const rpo = Math.max(0, failedAt - archived.at.getTime());
    say(`WAL ${seg} archived ${archiveLatency} ms after the switch; primary stopped (immediate) ${rpo} ms after the last archive`);

    // Restore into a new data directory, to the target time.
    const restored = dir("restore");
    t0 = Date.now();
    if (tool === "pgbackrest") {
      fs.mkdirSync(restored, { mode: 0o700 });
      if (owner) fs.chownSync(restored, owner.uid, owner.gid);
      pgRun(pgbackrest!, [`--config=${conf}`, `--stanza=${STANZA}`, `--pg1-path=${restored}`, "--type=time", `--target=${target.t}`, "--target-action=promote", "--archive-mode=off", "restore"]);
    } else {
      pgRun("cp", ["-a", dir("base"), restored]);
      fs.appendFileSync(
        path.join(restored, "postgresql.auto.conf"),
        [`restore_command = '${restoreCommand}'`, `recovery_target_time = '${target.t}'`, "recovery_target_action = 'promote'", "archive_mode = off", ""].join("\n"),
      );
      fs.writeFileSync(path.join(restored, "recovery.signal"), "");
      if (owner) run("chown", ["-R", `${owner.uid}:${owner.gid}`, restored]);
    }
    pgRun(path.join(bin, "pg_ctl"), ["-D", restored, "-l", dir("log/restore.log"), "-t", "600", "-w", "start"]);
    started.push(restored);
    client = await connect();
    for (const deadline = Date.now() + 600_000; ; await sleep(100)) {
      if (!(await client.query<{ r: boolean }>("select pg_is_in_recovery() as r")).rows[0]!.r) break;
      if (Date.now() > deadline) fail(`the restored cluster is still in recovery after 600 s: see ${dir("log/restore.log")}`);
    }
    const restoreMs = Date.now() - t0;

    const got = (
      await client.query<{ n: string; after: string; batches: string; size: string }>(
        "select count(*)::text as n, count(*) filter (where phase = 'after')::text as after, count(distinct batch) filter (where phase = 'before')::text as batches, pg_size_pretty(pg_database_size('postgres')) as size from drill",
      )
    ).rows[0]!;
    const ok = Number(got.n) === expected && Number(got.after) === 0 && Number(got.batches) === BATCHES;
    say(`restored to ${target.t} in ${secs(restoreMs)}: ${got.n} rows (expected ${expected}), ${got.after} rows from after the target`);

    const summary = {
      ok,
      path: tool,
      server: version,
      target: target.t,
      rows: { expected, restored: Number(got.n), writtenTotal: total },
      restoredDatabase: got.size,
      baseBackupTool: tool === "pgbackrest" ? "pgbackrest backup --type=full (aes-256-cbc)" : "pg_basebackup -X fetch",
      archiveLatencyMs: archiveLatency,
      rpoMs: rpo,
      rpoBoundSeconds: ARCHIVE_TIMEOUT,
      restoreSeconds: Number((restoreMs / 1000).toFixed(2)),
    };
    say(`RPO measured: ${rpo} ms between the last archived WAL and the failure (bound without the forced switch: archive_timeout ${ARCHIVE_TIMEOUT} s + archive latency ${archiveLatency} ms)`);
    say(`restore time (RTO for this size): ${secs(restoreMs)}`);
    process.stdout.write(JSON.stringify(summary) + "\n");
    if (!ok) fail(`restore verification failed: ${got.n} rows restored, expected exactly ${expected} (${got.after} from after the target)`);
  } finally {
    await client?.end().catch(() => undefined);
    cleanup();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`[drill] FAILED: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
