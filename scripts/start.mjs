// `npm start`: install if needed, prepare secrets, check services, migrate, build if needed,
// then run web and worker together. Ctrl-C stops both.
import path from "node:path";
import { ROOT, bin, ensureInstalled, ensureLocalSecrets, loadEnvFile, needsBuild, run, say, spawnChild } from "./lib.mjs";

loadEnvFile(path.join(ROOT, ".env"));
ensureInstalled();
ensureLocalSecrets();

// Validates the environment, checks Postgres and Redis, creates the database if missing, migrates.
run(bin("tsx"), ["scripts/preflight.ts"], { label: "preflight" });

if (needsBuild()) {
  say("Building the web app (next build)… this takes a minute the first time.");
  run(bin("next"), ["build"], { env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" }, label: "next build" });
}

// A larger young generation: the worker allocates per check, and the default 16 MB semi-space
// made the garbage collector ~9 % of its CPU under load (docs/benchmarks.md, issue 14).
const WORKER_NODE_FLAGS = ["--max-semi-space-size=64"];
const childEnv = { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", PERIGEE_USER_NODE_ENV: process.env.NODE_ENV ?? "" };
const children = [
  // In-process TypeScript loader (not the tsx CLI wrapper), so signals reach our own handlers.
  spawnChild("web", process.execPath, ["--import", "tsx", "workers/web.ts"], childEnv),
  spawnChild("worker", process.execPath, [...WORKER_NODE_FLAGS, "--import", "tsx", "workers/worker.ts"], childEnv),
];
// An empty value counts as unset, as everywhere else.
const port = process.env.PORT || "3000";
say(`Starting web and worker. Open ${process.env.APP_URL || `http://localhost:${port}`} — Ctrl-C stops both.`);

let stopping = false;
function stop(signal) {
  if (stopping) return;
  stopping = true;
  say(`${signal}: stopping web and worker…`);
  for (const c of children) if (c.exitCode === null) c.kill("SIGTERM");
  setTimeout(() => {
    for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
    process.exit(1);
  }, 10_000).unref();
}
process.on("SIGINT", () => stop("SIGINT"));
process.on("SIGTERM", () => stop("SIGTERM"));

let exited = 0;
for (const c of children) {
  c.on("exit", (code) => {
    exited++;
    if (!stopping) {
      console.error(`[perigee] a process exited (code ${code}); stopping the other.`);
      stop("exit");
    }
    if (exited === children.length) process.exit(stopping && code === 0 ? 0 : (code ?? 1));
  });
}
