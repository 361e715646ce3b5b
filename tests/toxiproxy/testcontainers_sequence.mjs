// What testcontainers' Toxiproxy module does against the server, step by
// step (the module itself starts a container image, which this machine
// cannot run): wait until GET /version answers 200, list GET /proxies,
// create a proxy on 0.0.0.0, then toggle it with a POST update carrying
// `enabled` (proxy.disable()/enable() of the Java client it ships with),
// and cut the connection as its older ContainerProxy.setConnectionCut
// does: bandwidth 0 both ways, then both removed.
// Usage: node testcontainers_sequence.mjs FIREDRILL
import assert from "node:assert/strict";
import net from "node:net";
import { connectError, echoServer, roundTrip, startApi } from "./start_api.mjs";

const echo = await echoServer();
const { url } = await startApi(process.argv[2]);

// The wait strategy: HTTP 200 on /version, polled.
let version;
for (let i = 0; i < 100 && !version; ++i) {
  try {
    const r = await fetch(`${url}/version`);
    if (r.status === 200) version = await r.text();
  } catch {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
assert.ok(version, "GET /version never answered 200");
assert.equal(JSON.parse(version).version, "2.12.0");

let r = await fetch(`${url}/proxies`);
assert.equal(r.status, 200);
assert.deepEqual(await r.json(), {});

r = await fetch(`${url}/proxies`, {
  method: "POST",
  body: JSON.stringify({ name: "redis", listen: "0.0.0.0:0", upstream: `localhost:${echo.address().port}` }),
});
assert.equal(r.status, 201);
const proxy = await r.json();
assert.ok((await roundTrip(proxy.listen)) < 1000);

for (const enabled of [false, true]) {
  r = await fetch(`${url}/proxies/redis`, { method: "POST", body: JSON.stringify({ enabled }) });
  assert.equal(r.status, 200);
  assert.equal((await r.json()).enabled, enabled);
  assert.equal(await connectError(proxy.listen), enabled ? "" : "ECONNREFUSED");
}
// setConnectionCut(true): nothing passes; (false): what was held arrives.
const toxics = `${url}/proxies/redis/toxics`;
for (const [name, stream] of [["CUT_CONNECTION_DOWNSTREAM", "downstream"], ["CUT_CONNECTION_UPSTREAM", "upstream"]]) {
  r = await fetch(toxics, {
    method: "POST",
    body: JSON.stringify({ name, type: "bandwidth", stream, toxicity: 1.0, attributes: { rate: 0 } }),
  });
  assert.equal(r.status, 200);
}
const port = Number(proxy.listen.split(":")[1]);
const socket = net.connect(port, "127.0.0.1");
let echoed = "";
socket.on("data", (d) => (echoed += d));
await new Promise((resolve) => socket.on("connect", resolve));
socket.write("PING");
await new Promise((resolve) => setTimeout(resolve, 500));
assert.equal(echoed, "", "a cut connection passes nothing");
for (const name of ["CUT_CONNECTION_DOWNSTREAM", "CUT_CONNECTION_UPSTREAM"]) {
  r = await fetch(`${toxics}/${name}`, { method: "DELETE" });
  assert.equal(r.status, 204);
}
for (let i = 0; i < 100 && echoed !== "PING"; ++i) await new Promise((resolve) => setTimeout(resolve, 50));
assert.equal(echoed, "PING", "removing the cut lets the held bytes go");
socket.destroy();

echo.close();
console.log("testcontainers sequence: all steps passed");
process.exit(0);
