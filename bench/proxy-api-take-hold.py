#!/usr/bin/env python3
"""How soon a toxic added through firedrill's Toxiproxy API takes hold.

Usage: proxy-api-take-hold.py API_PORT PROXY_NAME PROXY_PORT [TRIES]

On one live keep-alive HTTP connection through the proxy: per try, add a
100 ms upstream latency toxic (POST /proxies/NAME/toxics on a keep-alive
API connection), then at once send a request on the live connection. If
the toxic holds the first byte sent after the API's answer, the response
comes 100 ms plus one round trip later. take-hold = (response - request
sent - 100 ms - base round trip) + (request sent - API answer): the time
from the answer to the moment the byte is held. A byte that was not held
(response well under 100 ms) is counted as a miss. Then the toxic is
removed and the next try starts. Prints the p50/p99/max take-hold in ms
and the misses. For scale it also prints the same figure for a toxic that
was added 50 ms before the request (already in place): what a 100 ms hold
costs beyond 100 ms on this machine (the timer, and waking a loop that
slept 100 ms), which the take-hold figure includes too. The client polls
its sockets without sleeping while it measures (it runs alone on its
core), so neither its wake-up after a 100 ms wait nor after the API's
answer is counted as the proxy's.
"""
import json
import socket
import statistics
import sys
import time

LATENCY_MS = 100


def recv_some(sock, busy: bool) -> bytes:
    """One recv; busy: poll without sleeping, so the time measured is the
    proxy's and not this client's wake-up after a 100 ms sleep (this
    process runs alone on its core while it measures)."""
    while busy:
        try:
            return sock.recv(65536, socket.MSG_DONTWAIT)
        except BlockingIOError:
            continue
    return sock.recv(65536)


def http_exchange(sock, request: bytes, busy: bool = False) -> bytes:
    """Sends one request and reads one response with Content-Length."""
    sock.sendall(request)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = recv_some(sock, busy)
        if not chunk:
            raise RuntimeError("connection closed")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    while len(body) < length:
        chunk = recv_some(sock, busy)
        if not chunk:
            raise RuntimeError("connection closed")
        body += chunk
    return head.split(b"\r\n")[0] + b" " + body


def api_call(api, method, path, body=None):
    payload = b"" if body is None else json.dumps(body).encode()
    req = (f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {len(payload)}\r\n\r\n").encode() + payload
    return http_exchange(api, req, busy=True)  # the answer's time, not this client's wake-up


def main():
    api_port, name, proxy_port = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    tries = int(sys.argv[4]) if len(sys.argv) > 4 else 200
    api = socket.create_connection(("127.0.0.1", api_port))
    live = socket.create_connection(("127.0.0.1", proxy_port))
    for s in (api, live):
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    get = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    base = []
    for _ in range(50):
        t0 = time.perf_counter()
        http_exchange(live, get, busy=True)
        base.append(time.perf_counter() - t0)
    base_rtt = statistics.median(base)
    toxic = {"name": "hold", "type": "latency", "stream": "upstream", "attributes": {"latency": LATENCY_MS}}
    in_place = []
    for _ in range(min(tries, 50)):
        api_call(api, "POST", f"/proxies/{name}/toxics", toxic)
        time.sleep(0.05)
        t_send = time.perf_counter()
        http_exchange(live, get, busy=True)
        in_place.append(max(0.0, time.perf_counter() - t_send - LATENCY_MS / 1000 - base_rtt))
        api_call(api, "DELETE", f"/proxies/{name}/toxics/hold")
    in_place.sort()
    take_hold, misses = [], 0
    for _ in range(tries):
        answer = api_call(api, "POST", f"/proxies/{name}/toxics", toxic)
        t_answer = time.perf_counter()
        if not answer.startswith(b"HTTP/1.1 200"):
            raise RuntimeError(answer[:200])
        t_send = time.perf_counter()
        http_exchange(live, get, busy=True)
        t_recv = time.perf_counter()
        held = t_recv - t_send
        if held < LATENCY_MS / 1000 * 0.9:
            misses += 1
        else:
            take_hold.append(max(0.0, (held - LATENCY_MS / 1000 - base_rtt) + (t_send - t_answer)))
        api_call(api, "DELETE", f"/proxies/{name}/toxics/hold")
    take_hold.sort()
    # Without a timer in the way: a reset_peer toxic (timeout 0) acts on the
    # first byte it meets, so the time from the API's answer to the RST is
    # the take-hold plus one trip through the proxy.
    resets, reset_misses = [], 0
    for _ in range(tries):
        conn = socket.create_connection(("127.0.0.1", proxy_port))
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        http_exchange(conn, get)  # live and idle, as a keep-alive pool's connection
        api_call(api, "POST", f"/proxies/{name}/toxics",
                 {"name": "rst", "type": "reset_peer", "stream": "upstream", "attributes": {"timeout": 0}})
        t_answer = time.perf_counter()
        try:
            http_exchange(conn, get)
            reset_misses += 1
        except (ConnectionResetError, RuntimeError):
            resets.append(time.perf_counter() - t_answer)
        conn.close()
        api_call(api, "DELETE", f"/proxies/{name}/toxics/rst")
    resets.sort()
    # For scale: how late this machine wakes a process that slept 100 ms,
    # with no proxy at all (the latency probe above pays this on its hold).
    sleeps = []
    for _ in range(min(tries, 30)):
        t0 = time.perf_counter()
        time.sleep(LATENCY_MS / 1000)
        sleeps.append(time.perf_counter() - t0 - LATENCY_MS / 1000)
    sleeps.sort()
    ms = lambda v: v * 1000
    p99 = take_hold[min(len(take_hold) - 1, int(len(take_hold) * 0.99))] if take_hold else float("nan")
    q = lambda v, f: v[min(len(v) - 1, int(len(v) * f))]
    print(f"latency toxic take-hold (an upper bound: includes the 100 ms hold timer's lateness) over {tries} tries: p50 {ms(statistics.median(take_hold)):.3f} ms, "
          f"p99 {ms(p99):.3f} ms, max {ms(take_hold[-1]):.3f} ms, "
          f"{misses} not held; base round trip {ms(base_rtt):.3f} ms")
    print(f"reset_peer take-hold + one trip (no timer: API answer to the RST) over {tries} tries: p50 {ms(statistics.median(resets)):.3f} ms, "
          f"p99 {ms(q(resets, 0.99)):.3f} ms, max {ms(resets[-1]):.3f} ms, {reset_misses} not reset")
    print(f"for scale, a toxic already in place ({len(in_place)} tries): p50 {ms(statistics.median(in_place)):.3f} ms, "
          f"p99 {ms(q(in_place, 0.99)):.3f} ms beyond its 100 ms")
    print(f"for scale, a 100 ms sleep with no proxy ({len(sleeps)} tries): p50 {ms(statistics.median(sleeps)):.3f} ms, "
          f"max {ms(sleeps[-1]):.3f} ms late")


if __name__ == "__main__":
    main()
