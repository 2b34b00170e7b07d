"""A cold-start stampede from one process: N concurrent requests to each endpoint, all released
at once by a barrier (each on its own connection), then per endpoint the statuses and the slowest
answer counted from the release. One process with threads, so spawning the load costs little next
to what it measures (a shell loop of curls on 2 cores measured the process starts).

Usage: python3 bench/cold.py BASE N 'METHOD PATH [JSON BODY]' ...
Python's standard library only.
"""

import http.client
import sys
import threading
import time
from collections import Counter, defaultdict
from urllib.parse import urlsplit


def main() -> int:
    base, n, specs = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    host = urlsplit(base)
    endpoints = []
    for spec in specs:
        method, path, *body = spec.split(" ", 2)
        endpoints.append((method, path, body[0] if body else None))
    barrier = threading.Barrier(n * len(endpoints) + 1)
    results = defaultdict(list)
    lock = threading.Lock()
    started = [0.0]

    def fire(method: str, path: str, body: str | None) -> None:
        conn = http.client.HTTPConnection(host.hostname, host.port, timeout=120)
        headers = {"content-type": "application/json"} if body else {}
        barrier.wait()
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            status = response.status
        except OSError as e:
            status = type(e).__name__
        elapsed = time.monotonic() - started[0]
        with lock:
            results[f"{method} {path}"].append((status, elapsed))
        conn.close()

    threads = [
        threading.Thread(target=fire, args=endpoint)
        for endpoint in endpoints
        for _ in range(n)
    ]
    for t in threads:
        t.start()
    started[0] = time.monotonic()
    barrier.wait()
    for t in threads:
        t.join()
    total = time.monotonic() - started[0]

    ok = True
    for label, answers in results.items():
        statuses = Counter(s for s, _ in answers)
        slowest = max(e for _, e in answers)
        ok &= set(statuses) <= {200}
        summary = " ".join(f"{s}×{c}" for s, c in sorted(statuses.items(), key=str))
        print(f"  {label[:60]:<60} {summary:<12} slowest {slowest * 1000:7.0f} ms")
    print(
        f"cold start: {sum(map(len, results.values()))} requests "
        f"({n} per endpoint, at once) answered in {total:.2f} s; all 200: {ok}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
