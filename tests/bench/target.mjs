// Bench target in its own process: answers 200 "ok" on every path; /flaky answers 503 after
// the parent sends "down" and 200 again after "up".
import http from "node:http";

let flakyDown = false;
const server = http.createServer((req, res) => {
  if (req.url === "/flaky" && flakyDown) {
    res.writeHead(503, { "content-type": "text/plain" });
    res.end("down");
    return;
  }
  res.writeHead(200, { "content-type": "text/plain", connection: "close" });
  res.end("ok");
});
server.keepAliveTimeout = 1;
server.listen(0, "127.0.0.1", () => process.send?.({ port: server.address().port }));
process.on("message", (m) => {
  if (m === "down") flakyDown = true;
  if (m === "up") flakyDown = false;
  if (m === "exit") server.close(() => process.exit(0));
});
