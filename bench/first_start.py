#!/usr/bin/env python3
"""From `make run` to every page and endpoint working, on an empty database.

Runs COMMAND (default: `make run`) with DATABASE_URL pointing at a fresh SQLite file, then polls
http://127.0.0.1:3000 every 2 s and prints, as seconds since the command started:
  - when the server first answers /healthz (the build and the tool installs are done),
  - when each page renders with its model (HTTP 200 and no "still training" note) and each of the
    six seed endpoints answers 200,
  - when all of them do ("every page and endpoint working"),
  - with --full, when every job queued by the first start has ended (the full trainings), and
    each job's own duration from GET /api/admin/jobs.
The command is stopped at the end (its whole process group).

Usage: DATA_DIR=../shared/data python3 bench/first_start.py [--full] [--port 3000] [-- COMMAND...]
"""

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

TOKEN = "first-start-bench"

PAGES = [
    "/",
    "/crypto",
    "/crypto/BTC",
    "/crypto/models",
    "/crypto/clusters",
    "/experiments",
    "/jobs",
    "/nutrition",
    "/nutrition/models",
    "/recipes",
    "/meals",
    "/meals/plan",
    "/recommend",
    "/recommend/results",
    "/sentiment",
]

ENDPOINTS = [
    ("POST", "/api/predict", {"symbol": "BTC"}),
    ("POST", "/api/recommend", {"holdings": [{"symbol": "BTC"}, {"symbol": "ETH"}], "k": 5}),
    ("GET", "/api/sentiment?symbol=ETH&date=2019-04-01", None),
    ("POST", "/api/recommend-meal", {"goal": "maintenance", "calories": 2000, "k": 5}),
    (
        "POST",
        "/api/analyze-recipe",
        {"ingredients": ["2 cups flour", "3 large eggs", "1 cup milk"], "servings": 4},
    ),
    ("GET", "/api/meal-plan?days=7&goal=maintenance&calories=2200", None),
]


def request(base, method, path, body=None, headers=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method, headers=headers or {})
    if data is not None:
        req.add_header("content-type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, resp.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None, ""


def page_ready(base, path):
    status, body = request(base, "GET", path)
    return status == 200 and 'data-testid="untrained"' not in body


def endpoint_ready(base, method, path, body):
    status, _ = request(base, method, path, body)
    return status == 200


def main():
    args = sys.argv[1:]
    full = "--full" in args
    port = 3000
    if "--port" in args:
        port = int(args[args.index("--port") + 1])
    command = args[args.index("--") + 1 :] if "--" in args else ["make", "run"]
    base = f"http://127.0.0.1:{port}"

    work = tempfile.mkdtemp(prefix="mmi-first-start.")
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"sqlite://{work}/mmi.db",
        ADMIN_TOKEN=TOKEN,
        RUST_LOG=env.get("RUST_LOG", "info"),
    )
    log = open(f"{work}/run.log", "w")
    print(f"command: {' '.join(command)} (log {work}/run.log, database {work}/mmi.db)", flush=True)
    start = time.monotonic()
    proc = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)

    def elapsed():
        return time.monotonic() - start

    def stop(code):
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        proc.wait()
        sys.exit(code)

    while request(base, "GET", "/healthz")[0] != 200:
        if proc.poll() is not None:
            print(f"the command ended with {proc.returncode} before serving", flush=True)
            sys.exit(1)
        time.sleep(1)
    print(f"{elapsed():8.1f} s  serving (/healthz 200)", flush=True)

    waiting = {p: ("page", p) for p in PAGES}
    waiting.update({f"{m} {p}": ("endpoint", (m, p, b)) for m, p, b in ENDPOINTS})
    while waiting:
        if proc.poll() is not None:
            print(f"the command ended with {proc.returncode}; still waiting for {sorted(waiting)}")
            sys.exit(1)
        for name, (kind, what) in list(waiting.items()):
            ok = page_ready(base, what) if kind == "page" else endpoint_ready(base, *what)
            if ok:
                print(f"{elapsed():8.1f} s  {name}", flush=True)
                del waiting[name]
        if waiting:
            time.sleep(2)
    print(f"{elapsed():8.1f} s  every page and endpoint working", flush=True)

    if full:
        while True:
            status, body = request(base, "GET", "/api/admin/jobs",
                                   headers={"authorization": f"Bearer {TOKEN}"})
            jobs = json.loads(body)["jobs"] if status == 200 else []
            if jobs and all(j["state"] in ("succeeded", "failed") for j in jobs):
                break
            time.sleep(5)
        print(f"{elapsed():8.1f} s  every first-start job ended", flush=True)
        for j in sorted(jobs, key=lambda j: j["id"]):
            label = j["kind"] + (f" {j['domain']}" if j["domain"] else "") + (" --quick" if j["quick"] else "")
            print(f"    job {j['id']:3d} {label:28s} {j['state']:9s} {j['started_at']} → {j['finished_at']}"
                  + (f"  {j['error']}" if j.get("error") else ""), flush=True)
    stop(0)


if __name__ == "__main__":
    main()
