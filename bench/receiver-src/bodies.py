#!/usr/bin/env python3
"""bench/receiver's load: OTLP/HTTP trace exports of 512 spans each.

  bodies.py DIR [BATCHES]

Writes BATCHES (default 64) distinct batches, each 512 spans with distinct
order.id values, in four forms: DIR/proto/N, DIR/proto.gz/N, DIR/json/N,
DIR/json.gz/N. A span is what the reference order service or an
OpenTelemetry SDK sends for one order (ids, name, kind, times, status and
six attributes), about 300 B in protobuf. Protobuf is written field by
field with the OTLP field numbers (opentelemetry-proto trace/v1), so the
receiver's decoder is not also the encoder. Prints the mean span size.
"""
import gzip
import json
import os
import random
import struct
import sys

SPANS = 512


def varint(v):
    out = bytearray()
    while True:
        b = v & 0x7F
        v >>= 7
        out.append(b | (0x80 if v else 0))
        if not v:
            return bytes(out)


def field(n, payload):
    return varint(n << 3 | 2) + varint(len(payload)) + payload


def int_field(n, v):
    return varint(n << 3) + varint(v)


def fixed64(n, v):
    return varint(n << 3 | 1) + struct.pack("<Q", v)


def attr(key, value):
    # KeyValue{key=1, value=2: AnyValue{string_value=1 | int_value=3}}
    any_value = field(1, value.encode()) if isinstance(value, str) else int_field(3, value)
    return field(1, key.encode()) + field(2, any_value)


def span_attrs(order_id, rnd):
    return [("order.id", order_id), ("http.request.method", "POST"), ("url.path", "/orders"),
            ("http.response.status_code", 201), ("server.address", "127.0.0.1"),
            ("user_agent.original", "firedrill-load/1 (order %06d)" % rnd.randrange(10**6))]


def span_proto(ids, times, attrs):
    trace_id, span_id, parent_id = ids
    start, end = times
    out = field(1, trace_id) + field(2, span_id) + field(4, parent_id) + field(5, b"POST /orders")
    out += int_field(6, 2) + fixed64(7, start) + fixed64(8, end)
    for k, v in attrs:
        out += field(9, attr(k, v))
    return out + field(15, int_field(3, 1))  # Status{code=1: OK}


def batch(index, rnd):
    spans_pb, spans_js = [], []
    for i in range(SPANS):
        order_id = "ord-%08x-%06d" % (index, i)
        ids = (rnd.randbytes(16), rnd.randbytes(8), rnd.randbytes(8))
        start = 1_700_000_000_000_000_000 + (index * SPANS + i) * 1_000_000
        times = (start, start + rnd.randrange(1_000_000, 50_000_000))
        attrs = span_attrs(order_id, rnd)
        spans_pb.append(span_proto(ids, times, attrs))
        spans_js.append({
            "traceId": ids[0].hex(), "spanId": ids[1].hex(), "parentSpanId": ids[2].hex(), "name": "POST /orders",
            "kind": 2, "startTimeUnixNano": str(times[0]), "endTimeUnixNano": str(times[1]),
            "attributes": [{"key": k, "value": {"stringValue": v} if isinstance(v, str) else {"intValue": str(v)}}
                           for k, v in attrs],
            "status": {"code": 1}})
    scope = field(1, field(1, b"firedrill-bench")) + b"".join(field(2, s) for s in spans_pb)
    resource = field(1, attr("service.name", "order-service"))
    proto = field(1, field(1, resource) + field(2, scope))
    js = json.dumps({"resourceSpans": [{
        "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "order-service"}}]},
        "scopeSpans": [{"scope": {"name": "firedrill-bench"}, "spans": spans_js}]}]}, separators=(",", ":")).encode()
    return proto, js, sum(len(s) for s in spans_pb) / SPANS


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    out, batches = sys.argv[1], int(sys.argv[2]) if len(sys.argv) == 3 else 64
    rnd = random.Random(7)
    sizes = []
    for form in ("proto", "proto.gz", "json", "json.gz"):
        os.makedirs(os.path.join(out, form), exist_ok=True)
    for b in range(batches):
        proto, js, mean = batch(b, rnd)
        sizes.append(mean)
        for form, body in (("proto", proto), ("json", js)):
            with open(os.path.join(out, form, str(b)), "wb") as f:
                f.write(body)
            with open(os.path.join(out, form + ".gz", str(b)), "wb") as f:
                f.write(gzip.compress(body, 6))
    print("%.0f" % (sum(sizes) / len(sizes)))


if __name__ == "__main__":
    main()
