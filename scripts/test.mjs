// `npm test`: install if needed, then typecheck, lint, format and dead-code checks, unit + integration tests (vitest),
// build, and browser tests (Playwright in Debian's Chromium). Stops at the first failure.
import { ROOT, bin, ensureInstalled, run, say } from "./lib.mjs";
import path from "node:path";
import { existsSync } from "node:fs";

ensureInstalled();
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };

say("typecheck");
run(bin("next"), ["typegen"], { env, label: "next typegen" });
run(bin("tsc"), ["--noEmit"], { env, label: "typecheck" });

say("lint");
run(bin("eslint"), ["--max-warnings", "0", "."], { env, label: "lint" });
run(bin("prettier"), ["--check", "--log-level", "warn", "."], { env, label: "format check (fix with: npx prettier --write .)" });
run(bin("knip"), [], { env, label: "dead-code check (knip)" });

say("unit and integration tests");
run(bin("vitest"), ["run"], { env, label: "vitest" });

say("build");
run(bin("next"), ["build"], { env: { ...env, NODE_ENV: "production" }, label: "next build" });

const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!existsSync(chromium)) {
  console.error(`[perigee] Browser tests need Chromium at ${chromium} (Debian: apt-get install -y chromium), or set CHROMIUM_PATH.`);
  process.exit(1);
}
say("browser tests");
run(bin("playwright"), ["test", "--config", path.join(ROOT, "playwright.config.ts")], { env, label: "playwright" });
