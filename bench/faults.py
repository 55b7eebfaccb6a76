"""Faults during load: the product recovers by itself (docs/benchmarks.md).

    IOM_ENV=production DATABASE_URL=... (the runtime role) DJANGO_SECRET_KEY_FILE=...
    IOM_ACCESS_LOG_KEY_FILE=... DJANGO_ALLOWED_HOSTS=iom.load.test \\
    .venv/bin/python bench/faults.py --logins var/load.json --users 10 --seconds 150 \\
        --pg-restart "pg_ctl -D /path/to/data restart -m fast"

Starts gunicorn (deploy/gunicorn.conf.py) and the background worker itself, runs
bench/load.py against them, and meanwhile:

- at 25 s kills one gunicorn worker process with SIGKILL (mid-request under load);
- at 50 s restarts PostgreSQL with the ``--pg-restart`` command (skipped without one:
  never restart a database other people use);
- at 75 s uploads a feed file large enough for the background worker, and once the
  worker has started on it kills the worker with SIGKILL, then starts a new one.

Then it waits for the stalled-import rule to mark that run failed
(IOM_FEED_STALLED_MINUTES, set to 1 here), checks that every error the load saw came
within ``--recovery`` seconds after a fault (none later), that the runs uploaded during
the load are all still there, and that ``manage.py verify_access_log`` passes.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shlex
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")


def say(text: str) -> None:
    print(f"faults: {text}", flush=True)


def children(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True,
                           check=False).stdout.split()
    return [int(p) for p in found]


def api(port: int, host: str, token: str, method: str, path: str, body: bytes | None = None,
        content_type: str | None = None) -> tuple[int, dict[str, object]]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Host": host, "X-Forwarded-Proto": "https", "Authorization": f"Bearer {token}"}
    if content_type:
        headers["Content-Type"] = content_type
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, json.loads(data or b"{}")


def upload(port: int, host: str, token: str, content: bytes) -> int:
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"pnc-fault.csv\"\r\nContent-Type: text/csv\r\n\r\n").encode() + \
        content + f"\r\n--{boundary}--\r\n".encode()
    status, run = api(port, host, token, "POST", "/api/feeds/uploads", body,
                      f"multipart/form-data; boundary={boundary}")
    assert status == 201, (status, run)
    return int(str(run["id"]))


def main() -> None:  # noqa: PLR0915 - one procedure, read top to bottom
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--logins", required=True)
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--seconds", type=int, default=150)
    parser.add_argument("--port", type=int, default=8151)
    parser.add_argument("--host", default="iom.load.test")
    parser.add_argument("--pg-restart", default=None)
    parser.add_argument("--recovery", type=float, default=15,
                        help="seconds after a fault within which errors are allowed")
    parser.add_argument("--feed-rows", type=int, default=60000)
    args = parser.parse_args()
    plan = json.loads(Path(args.logins).read_text(encoding="utf-8"))
    token = plan["logins"][0]["token"]
    env = {**os.environ, "GUNICORN_BIND": f"127.0.0.1:{args.port}",
           "IOM_FEED_STALLED_MINUTES": "1", "IOM_FEED_BACKGROUND_BYTES": "200000"}
    work = Path(args.logins).parent
    feed = work / "pnc-fault.csv"
    subprocess.run([PYTHON, "manage.py", "generate_feed", "--rows", str(args.feed_rows),
                    "--out", str(feed)], cwd=ROOT, env=env, check=True, capture_output=True)
    web = subprocess.Popen([str(ROOT / ".venv" / "bin" / "gunicorn"), "--config",
                            str(ROOT / "deploy" / "gunicorn.conf.py")], cwd=ROOT, env=env,
                           stdout=(work / "faults-web.log").open("w"), stderr=subprocess.STDOUT)
    worker_log = (work / "faults-worker.log").open("w")

    def start_worker() -> subprocess.Popen[bytes]:
        return subprocess.Popen([PYTHON, "manage.py", "db_worker", "--no-reload"], cwd=ROOT,
                                env=env, stdout=worker_log, stderr=subprocess.STDOUT)

    # The worker as systemd runs it (deploy/systemd/iom-worker.service, Restart=always):
    # when it exits (django-tasks-db's loop does not outlive a lost database
    # connection), it is started again 5 s later.
    state = SimpleNamespace(worker=start_worker(), stopping=False, restarts=0)

    def keep_worker() -> None:
        while not state.stopping:
            current = state.worker
            if current.poll() is not None and not state.stopping:
                say(f"the worker exited ({current.returncode}); started again in 5 s, "
                    "as systemd's Restart=always does")
                time.sleep(5)
                state.worker = start_worker()
                state.restarts += 1
            time.sleep(0.5)

    threading.Thread(target=keep_worker, daemon=True).start()
    time.sleep(8)
    errors_file = work / "faults-errors.json"
    load = subprocess.Popen([PYTHON, str(ROOT / "bench" / "load.py"), "run", "--logins",
                             args.logins, "--base", f"http://127.0.0.1:{args.port}", "--host",
                             args.host, "--users", str(args.users), "--seconds",
                             str(args.seconds), "--p95-ms", "100000", "--errors-out",
                             str(errors_file)], cwd=ROOT)
    started = time.monotonic()
    faults: list[tuple[float, str]] = []

    def at(second: float) -> None:
        time.sleep(max(0.0, second - (time.monotonic() - started)))

    at(25)
    victim = children(web.pid)[0]
    os.kill(victim, signal.SIGKILL)
    faults.append((round(time.monotonic() - started, 1), f"SIGKILL gunicorn worker {victim}"))
    say(faults[-1][1])
    at(50)
    if args.pg_restart:
        began = round(time.monotonic() - started, 1)
        # Not captured: the restarted server would hold the pipe open.
        subprocess.run(shlex.split(args.pg_restart), check=True, stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        faults.append((began, f"PostgreSQL restarted (took "
                              f"{time.monotonic() - started - began:.1f} s)"))
        say(faults[-1][1])
    at(75)
    run_id = upload(args.port, args.host, token, feed.read_bytes())
    for _ in range(60):
        _, run = api(args.port, args.host, token, "GET", f"/api/feeds/runs/{run_id}")
        if run.get("status") not in {"queued", None}:
            break
        time.sleep(0.5)
    os.kill(state.worker.pid, signal.SIGKILL)
    faults.append((round(time.monotonic() - started, 1),
                   f"SIGKILL background worker during run {run_id} ({run.get('status')})"))
    say(faults[-1][1])
    code = load.wait()
    say(f"load finished (exit {code})")
    deadline = time.monotonic() + 150
    while time.monotonic() < deadline:
        _, run = api(args.port, args.host, token, "GET", f"/api/feeds/runs/{run_id}")
        if run.get("status") in {"failed", "done", "rejected"}:
            break
        time.sleep(5)
    say(f"the killed run {run_id} ended as {run.get('status')!r}")
    state.stopping = True
    state.worker.send_signal(signal.SIGTERM)
    web.send_signal(signal.SIGTERM)
    state.worker.wait(timeout=60)
    web.wait(timeout=60)
    say(f"the worker was started again {state.restarts} times")
    errors = json.loads(errors_file.read_text(encoding="utf-8"))
    late = [(second, error) for second, error in errors
            # load.py's clock starts up to a second or two after this one's
            if not any(-3 <= second - when <= args.recovery for when, _ in faults)]
    say(f"faults at {[f for f, _ in faults]} s; {len(errors)} errors during load, "
        f"{len(late)} outside {args.recovery} s after a fault")
    for second, error in late[:10]:
        say(f"  late error at {second} s: {error}")
    verified = subprocess.run([PYTHON, "manage.py", "verify_access_log"], cwd=ROOT, env=env,
                              capture_output=True, text=True, check=False)
    say(verified.stdout.strip() or verified.stderr.strip())
    sys.exit(0 if not late and verified.returncode == 0 else 1)


if __name__ == "__main__":
    main()
