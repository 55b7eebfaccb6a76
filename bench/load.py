"""Load on the production server: concurrent signed-in users mixing the main pages.

    # 1. users for the load (as the runtime role, against the server's database): N
    #    coordinators of the demo partnership's police, each with an authenticator and
    #    an API token; written to a JSON file the run reads
    IOM_ENV=production ... .venv/bin/python bench/load.py prepare --users 50 --out var/load.json
    # 2. the load itself, headless, against the server (through the proxy or straight
    #    at gunicorn with the headers the proxy adds)
    .venv/bin/python bench/load.py run --logins var/load.json --base http://127.0.0.1:8000 \
        --host iom.example.org --users 50 --seconds 600

``prepare --synthetic 100000`` first COPYs that many synthetic people (with their
offending, custody and a scoring run) into the partnership, as the issue's full run
asks; ``run --think 1-5`` has each user wait 1 to 5 s between requests, as people do.

Each user signs in (password and security code), then loops for the duration picking,
by weight, one of: a search by a person's surname, a profile, the cohort dashboard, the
candidates page, a meeting page, the alerts page, a small feed upload through the API
(1 in 50) and API reads (search, profile). It prints p50/p95/p99 per page, throughput
and errors, and exits non-zero on any error or a p95 over ``--p95-ms``. Afterwards, run
``manage.py verify_access_log`` (docs/benchmarks.md).

Standard library only on the client side, so it needs nothing installed; the threads
wait on sockets, not on Python, so one process drives 50 users.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import http.client
import json
import random
import re
import statistics
import struct
import sys
import threading
import time
import uuid
from collections import defaultdict
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

WEIGHTS = {"search": 15, "profile": 30, "dashboard": 8, "candidates": 6, "meeting": 8,
           "alerts": 8, "api_search": 10, "api_profile": 13, "feed_upload": 2}


def totp(key_hex: str, *, at: float | None = None) -> str:
    counter = int((at or time.time()) // 30)
    digest = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


class Session:
    def __init__(self, base: str, host: str) -> None:
        parts = urlsplit(base)
        self.address = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.host = host
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection(*self.address, timeout=60)

    def request(self, method: str, path: str, *, body: bytes | str | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        sent = {"Host": self.host, "X-Forwarded-Proto": "https", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=sent)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = http.client.HTTPConnection(*self.address, timeout=60)
                if attempt == 2:
                    raise
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                for morsel in SimpleCookie(value).values():
                    self.cookies[morsel.key] = morsel.value
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data

    def submit(self, path: str, fields: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        _, _, page = self.request("GET", path)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if token is None:
            raise RuntimeError(f"no form on {path}")
        return self.request("POST", path, body=urlencode(
            {**fields, "csrfmiddlewaretoken": token.group(1).decode()}), headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"https://{self.host}{path}", "Origin": f"https://{self.host}"})

    def sign_in(self, username: str, password: str, key_hex: str) -> None:
        status, _, _ = self.submit("/accounts/login/", {"username": username,
                                                        "password": password})
        if status != 302:
            raise RuntimeError(f"sign-in of {username} answered {status}")
        status, _, _ = self.submit("/accounts/two-factor/", {"token": totp(key_hex)})
        if status != 302:
            raise RuntimeError(f"security code of {username} answered {status}")


class Results:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, list[str]] = defaultdict(list)
        self.started = time.monotonic()
        self.error_times: list[tuple[float, str]] = []

    def add(self, page: str, seconds: float, error: str | None) -> None:
        with self.lock:
            self.times[page].append(seconds)
            if error:
                self.errors[page].append(error)
                self.error_times.append((round(time.monotonic() - self.started, 1), error))


def _multipart(name: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"{name}\"\r\nContent-Type: text/csv\r\n\r\n").encode() + content + \
        f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def _target(page: str, person: dict[str, Any], plan: dict[str, Any], rng: random.Random,
            api: dict[str, str]) -> tuple[str, str, bytes | None, dict[str, str], set[int]]:
    """The request for one pick: method, path, body, headers and the statuses expected."""
    meetings = plan["meetings"]
    simple = {
        "search": "/people/?" + urlencode({"q": person["surname"]}),
        "profile": f"/people/{person['id']}/",
        "dashboard": "/cohorts/",
        "candidates": "/cohorts/candidates/",
        "meeting": f"/meetings/{rng.choice(meetings)}/" if meetings else "/meetings/",
        "alerts": "/feeds/alerts/",
    }
    if page in simple:
        return "GET", simple[page], None, {}, {200}
    if page == "api_search":
        return "GET", "/api/people?" + urlencode({"q": person["surname"]}), None, api, {200}
    if page == "api_profile":
        return "GET", f"/api/people/{person['id']}", None, api, {200}
    body, kind = _multipart("load.csv", plan["feed"].encode())
    return "POST", "/api/feeds/uploads", body, {**api, "Content-Type": kind}, {201}


def user_loop(login: dict[str, str], plan: dict[str, Any], args: argparse.Namespace,
              results: Results, stop_at: float, seed: int) -> None:
    rng = random.Random(seed)
    session = Session(args.base, args.host)
    try:
        session.sign_in(login["username"], plan["password"], login["key"])
    except (RuntimeError, OSError) as exc:
        results.add("sign_in", 0.0, str(exc))
        return
    api = {"Authorization": f"Bearer {login['token']}",
           "X-Access-Reason": "Tasking meeting preparation"}
    names, weights = list(WEIGHTS), list(WEIGHTS.values())
    while time.monotonic() < stop_at:
        page = rng.choices(names, weights)[0]
        person = rng.choice(plan["people"])
        method, path, body, headers, expect = _target(page, person, plan, rng, api)
        started = time.perf_counter()
        try:
            status, answer, _ = session.request(method, path, body=body, headers=headers)
            if status == 302 and "/reason/" in answer.get("location", ""):
                # Not on the user's caseload: state the reason, as a user does, and go on.
                session.submit(f"/people/{person['id']}/reason/",
                               {"purpose": "Tasking or panel meeting preparation"})
                status, _, _ = session.request(method, path, headers=headers)
            error = None if status in expect else f"{method} {path} answered {status}"
        except (OSError, RuntimeError) as exc:
            error = f"{method} {path}: {exc}"
        results.add(page, time.perf_counter() - started, error)
        low, high = args.think
        if high:
            time.sleep(min(rng.uniform(low, high), max(0.0, stop_at - time.monotonic())))


def report(results: Results, seconds: float, p95_ms: float) -> bool:
    ok = True
    total = sum(len(t) for t in results.times.values())
    print(f"{'page':<12} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>6}")
    for page in sorted(results.times):
        times = sorted(results.times[page])
        if len(times) >= 2:
            cuts = statistics.quantiles(times, n=100, method="inclusive")
            p50, p95, p99 = cuts[49] * 1000, cuts[94] * 1000, cuts[98] * 1000
        else:
            p50 = p95 = p99 = times[0] * 1000
        errors = len(results.errors.get(page, []))
        print(f"{page:<12} {len(times):>8} {p50:>8.0f} {p95:>8.0f} {p99:>8.0f} {errors:>6}")
        ok = ok and errors == 0 and (page == "sign_in" or p95 <= p95_ms)
    print(f"throughput: {total / seconds:.1f} requests/s over {seconds:.0f} s")
    for page, failures in results.errors.items():
        for error in failures[:5]:
            print(f"ERROR {page}: {error}", file=sys.stderr)
    return ok


def run(args: argparse.Namespace) -> None:
    plan = json.loads(Path(args.logins).read_text(encoding="utf-8"))
    logins = plan["logins"][:args.users]
    if len(logins) < args.users:
        sys.exit(f"load: {args.logins} has {len(logins)} users, not {args.users}")
    results = Results()
    stop_at = time.monotonic() + args.seconds
    started = time.monotonic()
    threads = [threading.Thread(target=user_loop, args=(login, plan, args, results, stop_at, i))
               for i, login in enumerate(logins)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if args.errors_out:
        Path(args.errors_out).write_text(json.dumps(results.error_times), encoding="utf-8")
    if not report(results, time.monotonic() - started, args.p95_ms):
        sys.exit(1)


def prepare(args: argparse.Namespace) -> None:
    import io
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    django.setup()
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from iom.accounts.models import ApiToken, Organisation, Role, User
    from iom.meetings.models import Meeting
    from iom.people.models import Nominal

    police = Organisation.objects.get(partnership__name=args.partnership, kind="police")
    if args.synthetic:
        from django.utils import timezone

        from bench.candidates import copy_synthetic

        began = time.perf_counter()
        from iom.cohorts.candidates.snapshot import build

        copy_synthetic(args.synthetic, timezone.localdate(), partnership=police.partnership_id,
                       organisation=police.pk)
        build(timezone.localdate())  # the day's selection facts, as the nightly job leaves
        print(f"load: {args.synthetic:,} synthetic people, their offending, custody, a "
              f"scoring run and the day's selection facts in "
              f"{time.perf_counter() - began:.0f} s")
    password = f"Load-{uuid.uuid4().hex[:12]}"
    logins = []
    for number in range(1, args.users + 1):
        username = f"load.user{number}"
        user, _ = User.objects.update_or_create(username=username, defaults={
            "organisation": police, "role": Role.COORDINATOR, "first_name": "Load",
            "last_name": f"User {number}"})
        user.set_password(password)
        user.save()
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(user=user, name="load", confirmed=True)
        key = ApiToken.new_key()
        ApiToken.objects.create(user=user, issued_by=user, name="load",
                                key_hash=ApiToken.hash_key(key), prefix=key[:8])
        logins.append({"username": username, "key": device.key, "token": key})
    people = list(Nominal.objects.filter(partnership=police.partnership)
                  .order_by("?").values("id", "surname")[:500])
    meetings = list(Meeting.objects.order_by("-pk").values_list("pk", flat=True)[:20])
    pnc = Nominal.objects.exclude(pnc_id=None).values_list("pnc_id", flat=True).first()
    feed = Path(args.feed).read_text(encoding="utf-8") if args.feed else None
    if feed is None:
        from django.core.management import call_command

        out = Path(args.out).with_suffix(".feed.csv")
        call_command("generate_feed", rows=5, out=str(out), stdout=io.StringIO())
        feed = out.read_text(encoding="utf-8")
    Path(args.out).write_text(json.dumps({
        "password": password, "logins": logins, "people": people,
        "meetings": meetings, "feed": feed, "sample_pnc": pnc}), encoding="utf-8")
    Path(args.out).chmod(0o600)
    print(f"load: {len(logins)} users, {len(people)} people, {len(meetings)} meetings "
          f"written to {args.out}")


def _think(text: str) -> tuple[float, float]:
    low, _, high = text.partition("-")
    try:
        pair = float(low), float(high or low)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--think {text!r}: give seconds as MIN-MAX, "
                                         "e.g. 1-5") from None
    if not 0 <= pair[0] <= pair[1]:
        raise argparse.ArgumentTypeError(f"--think {text!r}: MIN must be 0 or more and "
                                         "no more than MAX")
    return pair


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    ready = commands.add_parser("prepare")
    ready.add_argument("--users", type=int, default=50)
    ready.add_argument("--out", required=True)
    ready.add_argument("--partnership", default="Northshire")
    ready.add_argument("--feed", default=None, help="a small feed file to upload")
    ready.add_argument("--synthetic", type=int, default=0, metavar="N",
                       help="first COPY N synthetic people into the partnership "
                            "(PostgreSQL only; bench/candidates.py copy_synthetic)")
    go = commands.add_parser("run")
    go.add_argument("--logins", required=True)
    go.add_argument("--base", default="http://127.0.0.1:8000")
    go.add_argument("--host", default="localhost")
    go.add_argument("--users", type=int, default=50)
    go.add_argument("--seconds", type=float, default=600)
    go.add_argument("--p95-ms", type=float, default=300)
    go.add_argument("--think", type=_think, default=(0.0, 0.0), metavar="MIN-MAX",
                    help="seconds each user waits between requests, drawn evenly from "
                         "MIN to MAX (default 0: back to back)")
    go.add_argument("--errors-out", default=None,
                    help="write each error with its second from the start (bench/faults.py)")
    args = parser.parse_args()
    if args.command == "prepare":
        prepare(args)
    else:
        run(args)


if __name__ == "__main__":
    main()
