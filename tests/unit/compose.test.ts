import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

// The Compose deployment is checked by shape here (the docker client is not part of the test
// machine): backups with WAL archiving, encryption and 30-day retention, and log rotation on
// every service. docs/operations.md describes the same files.
const ROOT = path.resolve(import.meta.dirname, "../..");
const read = (file: string) => readFileSync(path.join(ROOT, file), "utf8");
type Service = {
  build?: string;
  image?: string;
  command?: string[];
  user?: string;
  environment?: Record<string, string>;
  volumes?: string[];
  logging?: { driver: string; options?: Record<string, string> };
  healthcheck?: { test: string[] };
};
const load = (file: string) => parse(read(file), { merge: true }) as { services: Record<string, Service> };
const compose = load("docker-compose.yml");
const services = compose.services;
const pgbackrestConf = read("deploy/backup/pgbackrest.conf");
const confValue = (key: string) => pgbackrestConf.match(new RegExp(`^${key}=(.*)$`, "m"))?.[1];
/** `-c name=value` pairs of the postgres command line. */
const pgSettings = Object.fromEntries((services.postgres?.command ?? []).flatMap((arg, i, all) => (all[i - 1] === "-c" ? [[arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]] : [])));
const days = (span: string) => {
  const m = /^(\d+)day$/.exec(span);
  if (!m) throw new Error(`not a span in days: ${span}`);
  return Number(m[1]);
};

describe("docker-compose.yml: backups", () => {
  it("postgres archives every WAL segment with pgBackRest, at least once a minute under writes", () => {
    expect(services.postgres?.build).toBe("deploy/backup");
    expect(pgSettings).toMatchObject({ wal_level: "replica", archive_mode: "on", archive_command: "pgbackrest --stanza=perigee archive-push %p" });
    // RPO target 5 minutes: a segment is closed and archived at least every archive_timeout.
    expect(Number(pgSettings.archive_timeout)).toBeGreaterThan(0);
    expect(Number(pgSettings.archive_timeout)).toBeLessThanOrEqual(300);
    expect(services.postgres?.volumes).toEqual(expect.arrayContaining(["pgdata:/var/lib/postgresql/data", "pgbackrest:/var/lib/pgbackrest", "pgsocket:/var/run/postgresql"]));
  });

  it("a backup service from the same image reads the data directory and shares repository and socket", () => {
    const backup = services.backup!;
    expect(backup.build).toBe(services.postgres?.build);
    expect(backup.user).toBe("postgres");
    expect(backup.command).toEqual(["perigee-backup"]);
    expect(backup.volumes).toEqual(expect.arrayContaining(["pgdata:/var/lib/postgresql/data:ro", "pgbackrest:/var/lib/pgbackrest", "pgsocket:/var/run/postgresql"]));
    expect(backup.healthcheck?.test.join(" ")).toContain("/tmp/pgbackrest/last-success");
    expect(read("deploy/backup/run.sh")).toContain('touch "$MARKER"');
  });

  it("the repository cipher pass is required from .env and reaches both services, never a file", () => {
    for (const name of ["postgres", "backup"]) {
      expect(services[name]?.environment?.PGBACKREST_REPO1_CIPHER_PASS).toMatch(/^\$\{BACKUP_CIPHER_PASS:\?.+\}$/);
    }
    expect(confValue("repo1-cipher-type")).toBe("aes-256-cbc");
    expect(pgbackrestConf).not.toMatch(/^repo1-cipher-pass/m);
    expect(read(".env.example")).toMatch(/^BACKUP_CIPHER_PASS=$/m);
  });

  it("full backups and their WAL are kept 30 days; the stanza points at the data volume and socket", () => {
    expect(confValue("repo1-retention-full-type")).toBe("time");
    expect(confValue("repo1-retention-full")).toBe("30");
    expect(pgbackrestConf).toMatch(/^\[perigee\]$/m);
    expect(confValue("pg1-path")).toBe("/var/lib/postgresql/data");
    expect(confValue("pg1-socket-path")).toBe("/var/run/postgresql");
    expect(confValue("repo1-path")).toBe("/var/lib/pgbackrest");
  });

  it("the image is Debian PostgreSQL 15 with a pinned pgBackRest", () => {
    const dockerfile = read("deploy/backup/Dockerfile");
    expect(dockerfile).toMatch(/^FROM postgres:15-bookworm$/m);
    expect(dockerfile).toMatch(/^ARG PGBACKREST_VERSION=\d+\.\d+-\d+$/m);
    expect(dockerfile).toContain('"pgbackrest=${PGBACKREST_VERSION}"');
  });

  it("the S3 option sets the repository of both services from BACKUP_S3_* in .env", () => {
    const s3 = load("deploy/backup/compose.s3.yml").services;
    expect(Object.keys(s3).sort()).toEqual(["backup", "postgres"]);
    const example = read(".env.example");
    for (const name of ["postgres", "backup"]) {
      const env = s3[name]!.environment!;
      expect(env.PGBACKREST_REPO1_TYPE).toBe("s3");
      for (const value of Object.values(env).filter((v) => v.startsWith("${"))) {
        const variable = /^\$\{(BACKUP_S3_[A-Z_]+)[:}]/.exec(value)?.[1];
        expect(variable, value).toBeDefined();
        expect(example).toContain(`# ${variable}=`);
      }
    }
  });
});

describe("docker-compose.yml: server logs", () => {
  it("every service rotates its log by size", () => {
    for (const [name, service] of Object.entries(services)) {
      expect(service.logging?.driver, name).toBe("json-file");
      expect(service.logging?.options, name).toMatchObject({ "max-size": expect.stringMatching(/^\$\{LOG_MAX_SIZE:-\d+m\}$/), "max-file": expect.stringMatching(/^\$\{LOG_MAX_FILE:-\d+\}$/) });
    }
    expect(read(".env.example")).toMatch(/^LOG_MAX_SIZE=\d+m$/m);
  });

  it("the journald override covers every service and its retention keeps no line past 90 days", () => {
    const journald = load("deploy/compose.journald.yml").services;
    expect(Object.keys(journald).sort()).toEqual(Object.keys(services).sort());
    for (const service of Object.values(journald)) expect(service.logging?.driver).toBe("journald");
    const conf = read("deploy/journald-perigee.conf");
    const setting = (key: string) => conf.match(new RegExp(`^${key}=(.*)$`, "m"))?.[1] ?? "";
    // Files are deleted whole: a line can outlive MaxRetentionSec by up to one file's span.
    expect(days(setting("MaxRetentionSec")) + days(setting("MaxFileSec"))).toBeLessThanOrEqual(90);
    expect(setting("Storage")).toBe("persistent");
  });
});
