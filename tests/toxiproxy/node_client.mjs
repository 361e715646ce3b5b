// Toxiproxy's npm client (toxiproxy-node-client, unmodified) drives
// `firedrill proxy --api`: create a proxy, add latency and see it on a real
// socket, update the toxic, remove it, disable and re-enable the proxy,
// populate, reset, delete. Exits non-zero on the first thing that differs.
// Usage: node node_client.mjs FIREDRILL
import assert from "node:assert/strict";
import { Toxiproxy } from "toxiproxy-node-client";
import { connectError, echoServer, roundTrip, startApi } from "./start_api.mjs";

const echo = await echoServer();
const upstream = `127.0.0.1:${echo.address().port}`;
const { url } = await startApi(process.argv[2]);
const toxiproxy = new Toxiproxy(url);

assert.equal(JSON.parse(await toxiproxy.getVersion()).version, "2.12.0");

// Toxiproxy set-ups often say 0.0.0.0: bound on loopback, and reported so.
const proxy = await toxiproxy.createProxy({ name: "echo", listen: "0.0.0.0:0", upstream });
assert.match(proxy.listen, /^127\.0\.0\.1:\d+$/);
assert.equal(proxy.enabled, true);
assert.ok((await roundTrip(proxy.listen)) < 250, "no toxic: no delay");

const toxic = await proxy.addToxic({
  name: "lag", type: "latency", stream: "downstream", toxicity: 1, attributes: { latency: 300, jitter: 0 },
});
assert.deepEqual(toxic.attributes, { latency: 300, jitter: 0 });
assert.ok((await roundTrip(proxy.listen)) >= 280, "latency 300 ms holds the echo");

const updated = await toxic.update({ attributes: { latency: 20, jitter: 0 }, toxicity: 1 });
assert.equal(updated.attributes.latency, 20);
assert.equal((await proxy.getToxic("lag")).attributes.latency, 20);
assert.ok((await roundTrip(proxy.listen)) < 250, "updated to 20 ms");

await updated.remove();
await assert.rejects(proxy.getToxic("lag"), /status code 404/);

const disabled = await proxy.update({ enabled: false });
assert.equal(disabled.enabled, false);
assert.equal(await connectError(proxy.listen), "ECONNREFUSED");
const enabled = await disabled.update({ enabled: true });
assert.equal(enabled.listen, proxy.listen, "re-enabled on the same port");
assert.ok((await roundTrip(enabled.listen)) < 250);

const populated = await toxiproxy.populate([
  { name: "a", listen: "127.0.0.1:0", upstream },
  { name: "b", listen: "localhost:0", upstream, enabled: false },
]);
assert.deepEqual(Object.keys(populated).sort(), ["a", "b"]);
assert.equal(populated.b.enabled, false);
assert.deepEqual(Object.keys(await toxiproxy.getAll()).sort(), ["a", "b", "echo"]);

await populated.a.addToxic({ name: "cut", type: "limit_data", stream: "upstream", toxicity: 1, attributes: { bytes: 1 } });
await toxiproxy.reset();
const all = await toxiproxy.getAll();
assert.equal(all.b.enabled, true, "reset enables every proxy");
const a = await (await fetch(`${url}/proxies/a`)).json();
assert.deepEqual(a.toxics, [], "reset removes every toxic");
assert.ok((await roundTrip(all.a.listen)) < 250);

await enabled.remove();
await assert.rejects(toxiproxy.get("echo"), /status code 404/);
assert.equal(await connectError(proxy.listen), "ECONNREFUSED");
assert.deepEqual(Object.keys(await toxiproxy.getAll()).sort(), ["a", "b"]);

echo.close();
console.log("toxiproxy-node-client: all steps passed");
process.exit(0);
