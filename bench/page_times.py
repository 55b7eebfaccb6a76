"""Time one page (or the feed upload API) on the production server, one request at a time.

    .venv/bin/python bench/page_times.py --logins var/load.json --base http://127.0.0.1:8151 \\
        --host iom.load.test --runs 20 candidates feed_upload

One user of ``bench/load.py prepare`` signs in (password and security code), then asks
for each named target ``--runs`` times in a row, with nothing else of its own running:
the first ``--warm`` answers (which may warm what a server process keeps,
docs/adr/0020) apart, then the median, p95 and slowest of the rest, in milliseconds,
as the client saw them over loopback. With ``--base`` given twice (two servers on the
same database, e.g. two versions of the code), each request goes to both in turn, the
first of the pair alternating, so that other work on a shared machine weighs on both
alike. Targets:
``candidates`` (the first page), ``feed_upload`` (the load's five-row file through
the API), or any path to GET (``/cohorts/candidates/?policy=london@1&page=3``).
Each server gets its own user (``--user`` and the next): a security code is good once.
Standard library only, like bench/load.py.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load import Session, _multipart

PATHS = {"candidates": "/cohorts/candidates/"}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--logins", required=True)
    parser.add_argument("--base", action="append", help="the server (twice: compare two)")
    parser.add_argument("--host", default="localhost")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--warm", type=int, default=3,
                        help="answers counted as warming the server's processes")
    parser.add_argument("--user", type=int, default=0, help="which of the logins")
    parser.add_argument("targets", nargs="+", help="candidates, feed_upload or a path")
    args = parser.parse_args(argv)
    for target in args.targets:
        if target not in {*PATHS, "feed_upload"} and not target.startswith("/"):
            parser.error(f"{target!r}: give candidates, feed_upload or a path from /")
    plan = json.loads(Path(args.logins).read_text(encoding="utf-8"))
    bases = args.base or ["http://127.0.0.1:8000"]
    sessions = []
    for number, base in enumerate(bases):
        login = plan["logins"][args.user + number]
        session = Session(base, args.host)
        session.sign_in(login["username"], plan["password"], login["key"])
        sessions.append((session, login["token"]))
    figures: dict[str, dict[str, object]] = {base: {} for base in bases}
    for target in args.targets:
        times: list[list[float]] = [[] for _ in bases]
        for number in range(args.warm + args.runs):
            turn = list(range(len(bases)))
            if number % 2:
                turn.reverse()
            for which in turn:
                times[which].append(_once(*sessions[which], target, plan))
        for base, taken in zip(bases, times, strict=True):
            figures[base][target] = _summary(taken, args.warm)
    print(json.dumps(figures if len(bases) > 1 else figures[bases[0]], indent=1))


def _once(session: Session, token: str, target: str, plan: dict[str, object]) -> float:
    """One request's time in milliseconds; a wrong status stops the script."""
    if target == "feed_upload":
        api = {"Authorization": f"Bearer {token}",
               "X-Access-Reason": "Tasking meeting preparation"}
        body, kind = _multipart("load.csv", str(plan["feed"]).encode())
        method, path, headers, expect = ("POST", "/api/feeds/uploads",
                                         {**api, "Content-Type": kind}, 201)
    else:
        method, path, headers, expect, body = "GET", PATHS.get(target, target), {}, 200, None
    began = time.perf_counter()
    status, _, _ = session.request(method, path, body=body, headers=headers)
    took = (time.perf_counter() - began) * 1000
    if status != expect:
        sys.exit(f"{target}: {method} {path} answered {status}")
    return took


def _summary(times: list[float], warm: int) -> dict[str, object]:
    rest = sorted(times[warm:])
    cuts = statistics.quantiles(rest, n=100, method="inclusive") if len(rest) > 1 else []
    return {"warming_ms": [round(t) for t in times[:warm]], "runs": len(rest),
            "median_ms": round(statistics.median(rest)),
            "p95_ms": round(cuts[94]) if cuts else round(rest[0]), "max_ms": round(rest[-1])}


if __name__ == "__main__":
    main()
