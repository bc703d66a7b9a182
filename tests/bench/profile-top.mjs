// Summarises a V8 .cpuprofile (node --cpu-prof) as the top frames by self time and by
// inclusive time, as a Markdown table or JSON — for docs/benchmarks.md.
//   node tests/bench/profile-top.mjs FILE.cpuprofile [--skip-ms N] [--top 10] [--json]
// --skip-ms leaves out the first N ms of the profile (process start, tsx loading), so the
// figures describe the steady state. Frames are grouped by function + file:line; paths are
// shown relative to the repository, node_modules packages by package name; the inclusive list
// shows only frames of the repository and its packages.
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: { "skip-ms": { type: "string", default: "0" }, top: { type: "string", default: "10" }, json: { type: "boolean", default: false } },
});
if (positionals.length !== 1) {
  console.error("usage: node tests/bench/profile-top.mjs FILE.cpuprofile [--skip-ms N] [--top 10] [--json]");
  process.exit(2);
}
const ROOT = path.resolve(import.meta.dirname, "../..");
const profile = JSON.parse(readFileSync(positionals[0], "utf8"));
const skipUs = Number(flags["skip-ms"]) * 1000;
const top = Number(flags.top);

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

function where(cf) {
  let url = cf.url ?? "";
  if (url.startsWith("file://")) url = url.slice(7);
  const nm = url.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const rest = url.slice(nm + 13).split("/");
    url = rest[0].startsWith("@") ? `${rest[0]}/${rest[1]}/${rest.slice(2).join("/")}` : `${rest[0]}/${rest.slice(1).join("/")}`;
  } else if (url.startsWith(ROOT)) url = path.relative(ROOT, url);
  return url ? `${url}:${cf.lineNumber + 1}` : "";
}
const label = (n) => {
  const cf = n.callFrame;
  const fn = cf.functionName || "(anonymous)";
  const w = where(cf);
  return w ? `${fn} ${w}` : fn;
};

// Sample counts per node inside the window.
const hits = new Map();
let t = profile.startTime;
let counted = 0;
let totalUs = 0;
for (let i = 0; i < profile.samples.length; i++) {
  const dt = profile.timeDeltas[i] ?? 0;
  t += dt;
  if (t - profile.startTime < skipUs) continue;
  const id = profile.samples[i];
  hits.set(id, (hits.get(id) ?? 0) + 1);
  counted++;
}
totalUs = profile.endTime - Math.max(profile.startTime, profile.startTime + skipUs);
const idle = new Set(["(idle)", "(program)", "(garbage collector)"]);
let busy = 0;
const self = new Map();
const inclusive = new Map();
for (const [id, count] of hits) {
  const n = byId.get(id);
  const name = label(n);
  if (n.callFrame.functionName !== "(idle)") busy += count;
  self.set(name, (self.get(name) ?? 0) + count);
  // Inclusive: every distinct frame label on the stack gets the sample once.
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const l = label(byId.get(cur));
    if (seen.has(l)) continue;
    seen.add(l);
    inclusive.set(l, (inclusive.get(l) ?? 0) + count);
  }
}

// Inclusive time is listed for our code and packages only: Node's own frames (event loop,
// streams) wrap everything and would fill the table.
const ours = (name) => / (src|workers|tests)\/|^[^ ]+ (@?[a-z0-9._-]+\/)/.test(name) && !/ node:/.test(name);
const rank = (m, inclusiveList) =>
  [...m.entries()]
    .filter(([name]) => name !== "(idle)" && !(inclusiveList && (name === "(root)" || idle.has(name) || !ours(name))))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, count]) => ({ frame: name, percentOfBusy: Number(((count / busy) * 100).toFixed(1)) }));

const summary = {
  file: path.basename(positionals[0]),
  windowSeconds: Number((totalUs / 1e6).toFixed(1)),
  samples: counted,
  busyPercent: Number(((busy / Math.max(1, counted)) * 100).toFixed(1)),
  gcPercentOfBusy: Number((((self.get("(garbage collector)") ?? 0) / Math.max(1, busy)) * 100).toFixed(1)),
  self: rank(self, false),
  inclusive: rank(inclusive, true),
};

if (flags.json) console.log(JSON.stringify(summary, null, 2));
else {
  console.log(`${summary.file}: ${summary.windowSeconds} s, ${summary.samples} samples, ${summary.busyPercent} % busy, GC ${summary.gcPercentOfBusy} % of busy\n`);
  for (const [title, rows] of [
    ["self time", summary.self],
    ["inclusive time", summary.inclusive],
  ]) {
    console.log(`| ${title}: frame | % of busy |\n|---|---:|`);
    for (const r of rows) console.log(`| \`${r.frame.replace(/\|/g, "\\|")}\` | ${r.percentOfBusy} |`);
    console.log("");
  }
}
