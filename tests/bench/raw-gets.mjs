// The machine's own limit for bench:checks (a): the same fresh-connection GETs a check makes
// (node:http, agent:false, body read to the end) from one Node process, with no queue, no
// database and no SSRF guard, against the same target process at the same concurrency.
// The host is the monitors' own (a name: Node's default lookup resolves it for every GET, as the
// guard does for every check). Forked by tests/bench/checks.ts: it sends {host, port, total,
// concurrency} and gets back
// {requests, seconds, perSecond, cpuMs, errors}.
import http from "node:http";
import { performance } from "node:perf_hooks";

function get(host, port) {
  return new Promise((resolve) => {
    const req = http.get({ host, port, path: "/", agent: false }, (res) => {
      res.on("data", () => {});
      res.on("end", () => resolve(res.statusCode === 200));
      res.on("error", () => resolve(false));
    });
    req.on("error", () => resolve(false));
  });
}

async function run({ host, port, total, concurrency }) {
  let started = 0;
  let errors = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const lane = async () => {
    while (started < total) {
      started++;
      if (!(await get(host, port))) errors++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { requests: total, seconds: Number(seconds.toFixed(2)), perSecond: Math.round(total / seconds), cpuMs: Math.round((cpu.user + cpu.system) / 1000), errors };
}

process.once("message", (m) => {
  run(m).then(
    (r) => process.send(r, () => process.exit(0)),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
});
