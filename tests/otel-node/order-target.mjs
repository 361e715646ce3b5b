// A real OpenTelemetry SDK as a firedrill target (issue 14, item 6).
//
// A minimal order service (SPEC §2) in Node.js whose telemetry is the npm
// OpenTelemetry JS SDK itself, unmodified: a NodeTracerProvider
// (@opentelemetry/sdk-trace-node) with a BatchSpanProcessor at its default
// settings (export every 5 s or at 512 spans), exporting OTLP/HTTP to
// $OTEL_EXPORTER_OTLP_ENDPOINT/v1/traces (the exporters read that variable
// and append /v1/traces themselves) with
//   --encoding json   @opentelemetry/exporter-trace-otlp-http   (application/json)
//   --encoding proto  @opentelemetry/exporter-trace-otlp-proto  (application/x-protobuf)
// One span per accepted order, with the attribute order.id.
//
// On SIGTERM:
//   --on-sigterm shutdown  stop accepting (/readyz and POST /orders answer
//                          503), await provider.shutdown() (which flushes the
//                          buffered spans), then exit 0: passes
//                          telemetry-delivered.
//   --on-sigterm exit      process.exit(0) at once, as many apps do: the spans
//                          still in the BatchSpanProcessor's buffer are lost
//                          (opentelemetry-js#3310), so telemetry-delivered fails.
// Both can also come from OTEL_NODE_ENCODING and OTEL_NODE_ON_SIGTERM.
//
// Only what tests/suites/otel-node.yaml checks is implemented: GET /readyz,
// GET /healthz, POST /orders (201 accepted, 503 refused while draining),
// and GET /orders/{id} from memory (not durable: the suite does not pick
// accepted-orders-durable). No payment or courier calls.
//
// Packages pinned in package-lock.json here; `.ci/install-deps` runs
// `npm ci`. Run by tests/otel-node/otel_node_test.cpp.
import http from 'node:http';
import { SpanKind } from '@opentelemetry/api';
import { NodeTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';

function option(flag, envName, allowed) {
  const i = process.argv.indexOf(flag);
  const value = i >= 0 ? process.argv[i + 1] : process.env[envName];
  if (!allowed.includes(value)) {
    console.error(`order-target: ${flag} (or ${envName}) must be one of ${allowed.join(', ')}, got ${value}`);
    process.exit(2);
  }
  return value;
}

const encoding = option('--encoding', 'OTEL_NODE_ENCODING', ['json', 'proto']);
const onSigterm = option('--on-sigterm', 'OTEL_NODE_ON_SIGTERM', ['shutdown', 'exit']);
const port = Number(process.env.PORT);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error(`order-target: PORT must be a TCP port, got ${process.env.PORT}`);
  process.exit(2);
}
if (!process.env.OTEL_EXPORTER_OTLP_ENDPOINT) {
  console.error('order-target: OTEL_EXPORTER_OTLP_ENDPOINT is not set');
  process.exit(2);
}

const exporter = encoding === 'json' ? new JsonExporter() : new ProtoExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter)] });
const tracer = provider.getTracer('firedrill-otel-node-order-target');

const orders = new Map(); // id -> the order's JSON, for GET /orders/{id}
let draining = false;

function answer(res, status, body, close = false) {
  const text = JSON.stringify(body);
  const headers = { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) };
  if (close) headers.Connection = 'close';
  res.writeHead(status, headers);
  res.end(text);
}

function validId(id) {
  return typeof id === 'string' && id.length > 0 && id.length <= 200 && !/[\x00-\x20\x7f]/.test(id);
}

function placeOrder(req, res, body) {
  if (draining) return answer(res, 503, { error: 'draining' }, true);
  let order;
  try {
    order = JSON.parse(body);
  } catch {
    return answer(res, 400, { error: 'body must be a JSON object' });
  }
  if (!order || typeof order !== 'object' || Array.isArray(order)) return answer(res, 400, { error: 'body must be a JSON object' });
  if (!validId(order.id)) return answer(res, 400, { error: 'missing or invalid id' });
  const key = req.headers['idempotency-key'];
  if (key !== undefined && key !== order.id) return answer(res, 400, { error: 'Idempotency-Key does not match body id' });
  if (!orders.has(order.id)) {
    orders.set(order.id, body);
    const span = tracer.startSpan('order.accept', { kind: SpanKind.SERVER, attributes: { 'order.id': order.id } });
    span.end();
  }
  answer(res, 201, { id: order.id, status: 'accepted' });
}

const server = http.createServer((req, res) => {
  const path = (req.url ?? '').split('?')[0];
  if (req.method === 'GET' && path === '/healthz') return answer(res, 200, { status: 'ok' });
  if (req.method === 'GET' && path === '/readyz') return answer(res, draining ? 503 : 200, { status: draining ? 'draining' : 'ready' });
  if (req.method === 'POST' && path === '/orders') {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size <= 1 << 20) chunks.push(c);
    });
    req.on('end', () => {
      if (size > 1 << 20) return answer(res, 413, { error: 'body above 1 MiB' });
      placeOrder(req, res, Buffer.concat(chunks).toString('utf8'));
    });
    return;
  }
  const m = /^\/orders\/([^/]+)$/.exec(path);
  if (req.method === 'GET' && m) {
    let id;
    try {
      id = decodeURIComponent(m[1]);
    } catch {
      return answer(res, 400, { error: 'bad order id' });
    }
    const stored = orders.get(id);
    if (stored === undefined) return answer(res, 404, { error: 'no such order' });
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(stored) });
    return res.end(stored);
  }
  answer(res, 404, { error: 'not found' });
});

process.on('SIGTERM', async () => {
  if (onSigterm === 'exit') {
    console.log(`order-target: SIGTERM, process.exit(0) at once (${orders.size} orders accepted)`);
    process.exit(0);
  }
  if (draining) return;
  draining = true;
  console.log(`order-target: SIGTERM, draining: provider.shutdown() (${orders.size} orders accepted)`);
  try {
    await provider.shutdown();
    console.log('order-target: provider.shutdown() done, exiting');
    process.exit(0);
  } catch (e) {
    console.error(`order-target: provider.shutdown() failed: ${e?.message ?? e}`);
    process.exit(1);
  }
});

server.listen(port, '127.0.0.1', () => {
  console.log(`order-target: listening on 127.0.0.1:${port} (encoding ${encoding}, on SIGTERM ${onSigterm}, ` +
    `exporting to ${process.env.OTEL_EXPORTER_OTLP_ENDPOINT}/v1/traces)`);
});
