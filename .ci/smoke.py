"""The production units, on PostgreSQL, as docs/deploy.md sets them up: a smoke test.

Run by .ci/run after the PostgreSQL suite (``.venv/bin/python .ci/smoke.py``). On a fresh
database it:

1. makes a migration role that owns the database (not a superuser) and uses the runtime
   role of .ci/run (owning nothing); migrates and runs grant_runtime_role as the owner,
   then collectstatic, as the upgrade procedure does;
2. loads a small demo partnership as the runtime role and gives two personas an
   authenticator (TOTP) device;
3. starts gunicorn with deploy/gunicorn.conf.py and the background worker
   (``manage.py db_worker``), both IOM_ENV=production as the runtime role, with the
   secrets given as ``*_FILE``;
4. as the reverse proxy would (X-Forwarded-Proto: https), checks liveness, a
   compressed, cache-busted static file, a failed sign-in (the lock-out records the
   proxy's address, not the X-Forwarded-For a client sent), signs in with password and
   security code, reads a person, and as an administrator reads /healthz's detail (the
   worker's heartbeat among it);
5. stops both with SIGTERM, as systemd does, and checks they stopped cleanly and that
   every log line they wrote is JSON without the person's name;
6. checkpoints the access log, backs up (deploy/backup.py) and runs the restore drill
   (deploy/restore_drill.py) on that backup;
7. drops the database.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import os
import re
import signal
import struct
import subprocess
import tarfile
import tempfile
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PG = "127.0.0.1:5432"
OWNER = "iom_ci_owner"
RUNTIME = os.environ.get("IOM_SMOKE_RUNTIME_ROLE", "iom_ci_runtime")
PORT = int(os.environ.get("IOM_SMOKE_PORT", "8150"))
HOST = "iom.smoke.test"
CLIENT_CLAIMS = "203.0.113.9"  # what a client puts in X-Forwarded-For; never believed


def step(text: str) -> None:
    print(f"smoke: {text}", flush=True)


def psql(database: str, command: str, *, user: str = "postgres") -> str:
    return subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", user, "-d", database, "-v", "ON_ERROR_STOP=1",
         "-qtAc", command], check=True, capture_output=True, text=True).stdout.strip()


def totp(key_hex: str, *, at: float | None = None) -> str:
    """RFC 6238, as django-otp checks it (30 s steps, 6 digits, SHA-1)."""
    counter = int((at or time.time()) // 30)
    digest = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


class Browser:
    """Just enough of a browser: cookies (Secure ones too, as over TLS), forms, headers a
    reverse proxy adds."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict[str, str] | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
        sent = {"Host": HOST, "X-Forwarded-Proto": "https", "X-Forwarded-For": CLIENT_CLAIMS,
                **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            sent["Referer"] = f"https://{HOST}{path}"
            sent["Origin"] = f"https://{HOST}"
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        data = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                for morsel in SimpleCookie(value).values():
                    self.cookies[morsel.key] = morsel.value
        conn.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data

    def get(self, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
        return self.request("GET", path, headers=headers)

    def submit(self, path: str, fields: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        status, _, page = self.get(path)
        assert status == 200, (path, status)
        found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert found, f"no CSRF token on {path}"
        return self.request("POST", path, {**fields,
                                           "csrfmiddlewaretoken": found.group(1).decode()})

    def sign_in(self, username: str, password: str, key_hex: str) -> None:
        status, headers, _ = self.submit("/accounts/login/",
                                         {"username": username, "password": password})
        assert status == 302, f"sign-in of {username} answered {status}"
        status, headers, _ = self.get(headers["location"])
        assert status == 302 and headers["location"].startswith("/accounts/two-factor/"), \
            f"signed in without the security code: {status} {headers.get('location')}"
        status, headers, page = self.submit("/accounts/two-factor/", {"token": totp(key_hex)})
        assert status == 302, f"security code of {username} answered {status}: {page[:300]!r}"


SETUP = """
import json
from django_otp.plugins.otp_totp.models import TOTPDevice
from iom.accounts.models import User
from iom.people.demo import seed_demo
from iom.people.models import Nominal
result = seed_demo(people=12)
keys = {}
for username in ("police.om", "admin"):
    device = TOTPDevice.objects.create(user=User.objects.get(username=username),
                                       name="smoke", confirmed=True)
    keys[username] = device.key
person = Nominal.objects.exclude(pnc_id=None).order_by("pk").first()
print(json.dumps({"password": result.password, "keys": keys, "person": person.pk,
                  "surname": person.surname, "pnc_id": person.pnc_id}))
"""


def wait_until_up(process: subprocess.Popen[bytes], *, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"smoke: gunicorn stopped at start-up ({process.returncode})")
        try:
            status, _, _ = Browser().get("/healthz")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit("smoke: gunicorn did not answer /healthz in time")


def stop(process: subprocess.Popen[bytes], name: str) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        code = process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        raise SystemExit(f"smoke: {name} did not stop within 60 s of SIGTERM") from None
    assert code == 0, f"{name} exited {code} on SIGTERM"
    step(f"{name} stopped cleanly on SIGTERM")


def check_log(path: Path, secrets: list[str]) -> int:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for line in lines:
        try:
            json.loads(line)
        except ValueError:
            raise SystemExit(f"smoke: a log line of {path.name} is not JSON: {line}") from None
        for secret in secrets:
            assert secret not in line, f"{path.name} logs personal data: {line}"
    return len(lines)


def main() -> None:
    database = f"iom_smoke_{os.getpid()}"
    try:
        smoke(database)
    finally:
        psql("postgres", f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        psql("postgres", f"DROP DATABASE IF EXISTS {database}_restored WITH (FORCE)")
    step("passed")


def smoke(database: str) -> None:  # noqa: PLR0915 - one script, read top to bottom
    work = Path(tempfile.mkdtemp(prefix="iom-smoke-"))
    for role in (OWNER, RUNTIME):
        psql("postgres", f"DO $$ BEGIN CREATE ROLE {role} LOGIN NOSUPERUSER NOCREATEDB "
                         "NOCREATEROLE NOBYPASSRLS; EXCEPTION WHEN duplicate_object THEN "
                         "NULL; END $$;")
    psql("postgres", f"CREATE DATABASE {database} OWNER {OWNER}")
    # PostgreSQL 15: only the owner of the schema creates in it.
    psql(database, f"ALTER SCHEMA public OWNER TO {OWNER}")
    secrets = work / "secrets"
    secrets.mkdir(mode=0o700)
    (secrets / "django-secret-key").write_text(os.urandom(32).hex())
    (secrets / "access-log-key").write_text(os.urandom(32).hex())
    (secrets / "owner-url").write_text(f"postgres://{OWNER}@{PG}/{database}")
    (secrets / "runtime-url").write_text(f"postgres://{RUNTIME}@{PG}/{database}")
    base = {key: value for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "IOM_", "DATABASE_"))}
    env = {**base, "IOM_ENV": "production", "DJANGO_ALLOWED_HOSTS": HOST,
           "DJANGO_SECRET_KEY_FILE": str(secrets / "django-secret-key"),
           "IOM_ACCESS_LOG_KEY_FILE": str(secrets / "access-log-key"),
           "IOM_ACCESS_LOG_CHECKPOINT_DIR": str(work / "access-log"),
           "IOM_FEED_UPLOAD_DIR": str(work / "feeds"), "DJANGO_LOG_LEVEL": "INFO",
           "IOM_FIX_STORE_DIR": str(work / "fixes"),
           "GUNICORN_BIND": f"127.0.0.1:{PORT}", "GUNICORN_WORKERS": "2"}
    as_owner = {**env, "DATABASE_URL_FILE": str(secrets / "owner-url")}
    as_runtime = {**env, "DATABASE_URL_FILE": str(secrets / "runtime-url")}

    def manage(*args: str, environment: dict[str, str]) -> str:
        return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=environment,
                              check=True, capture_output=True, text=True).stdout

    web = worker = None
    try:
        manage("migrate", "--no-input", environment=as_owner)
        manage("grant_runtime_role", "--role", RUNTIME, environment=as_owner)
        manage("collectstatic", "--no-input", environment=as_owner)
        step(f"migrated as {OWNER}, granted {RUNTIME}, collected static files")
        made = json.loads(manage("shell", "-c", SETUP, environment=as_runtime)
                          .strip().splitlines()[-1])
        step(f"demo loaded as {RUNTIME}")

        web_log, worker_log = work / "web.log", work / "worker.log"
        web = subprocess.Popen([GUNICORN, "--config", str(ROOT / "deploy" / "gunicorn.conf.py")],
                               cwd=ROOT, env=as_runtime, stdout=web_log.open("w"),
                               stderr=subprocess.STDOUT)
        worker = subprocess.Popen([PYTHON, "manage.py", "db_worker", "--no-reload",
                                   "--worker-id", "smoke-worker"], cwd=ROOT, env=as_runtime,
                                  stdout=worker_log.open("w"), stderr=subprocess.STDOUT)
        wait_until_up(web)
        step(f"gunicorn answers on 127.0.0.1:{PORT}, the worker runs")

        anyone = Browser()
        status, headers, body = anyone.get("/healthz")
        assert status == 200 and json.loads(body) == {"status": "ok"}, (status, body)
        status, headers, _ = anyone.get("/accounts/login/")
        assert "strict-transport-security" in headers, "no HSTS behind the proxy"
        status, headers, _ = anyone.get("/accounts/login/", **{"X-Forwarded-Proto": "http"})
        assert status == 301 and headers["location"].startswith("https://"), status
        status, _, page = anyone.get("/accounts/login/")
        stylesheet = re.search(rb'href="(/assets/[^"]+\.[0-9a-f]{12}\.css)"', page)
        assert stylesheet, "the stylesheet's name is not content-hashed"
        status, headers, _ = anyone.get(stylesheet.group(1).decode(),
                                        **{"Accept-Encoding": "gzip, br"})
        # Brotli is in requirements.lock, so WhiteNoise has kept a .br beside each file.
        assert status == 200 and headers.get("content-encoding") == "br", headers
        assert "immutable" in headers["cache-control"], headers["cache-control"]
        step(f"static files compressed ({headers['content-encoding']}) and cache-busted "
             f"({headers['cache-control']})")

        status, _, _ = anyone.submit("/accounts/login/",
                                     {"username": "police.om", "password": "wrong-password"})
        assert status == 200, status
        recorded = psql(database, "SELECT ip_address FROM axes_accessattempt "
                                  "WHERE username = 'police.om'")
        assert recorded == "127.0.0.1", f"the lock-out recorded {recorded!r}, not the proxy"
        step("a failed sign-in is recorded against the proxy's address, not X-Forwarded-For")

        officer = Browser()
        officer.sign_in("police.om", made["password"], made["keys"]["police.om"])
        status, _, page = officer.get(f"/people/{made['person']}/")
        assert status == 200 and made["surname"].encode() in page, status
        logged = psql(database, "SELECT count(*) FROM audit_accesslogentry e JOIN "  # noqa: S608
                                "accounts_user u ON u.id = e.user_id WHERE u.username = "
                                f"'police.om' AND e.nominal_id = {made['person']}")
        assert int(logged) >= 1, "reading the person left no access-log entry"
        step("signed in with password and security code, read a person (logged)")

        admin = Browser()
        admin.sign_in("admin", made["password"], made["keys"]["admin"])
        deadline = time.monotonic() + 30
        while True:
            status, _, body = admin.get("/healthz")
            report = json.loads(body)
            if report["checks"]["worker"]["ok"] or time.monotonic() > deadline:
                break
            time.sleep(1)
        checks = report["checks"]
        assert checks["database"]["ok"] and checks["migrations"]["ok"], checks
        assert checks["worker"]["ok"], f"no heartbeat from the worker: {checks['worker']}"
        step(f"/healthz detail for the administrator: status {report['status']}, "
             f"worker heartbeat {checks['worker']['heartbeat_age_seconds']} s old")

        # The load script for a few seconds at a small size, so that it keeps working
        # (the full run is by hand: docs/benchmarks.md).
        load = str(ROOT / "bench" / "load.py")
        manage_env = {**as_runtime, "PYTHONPATH": str(ROOT)}
        subprocess.run([PYTHON, load, "prepare", "--users", "4", "--out",
                        str(work / "load.json")], cwd=ROOT, env=manage_env, check=True)
        subprocess.run([PYTHON, load, "run", "--logins", str(work / "load.json"),
                        "--base", f"http://127.0.0.1:{PORT}", "--host", HOST, "--users", "4",
                        "--seconds", "6", "--p95-ms", "10000"], cwd=ROOT, check=True)
        step("the load script ran without an error")
    finally:
        for process, name in ((web, "gunicorn"), (worker, "the worker")):
            if process is not None and process.poll() is None:
                stop(process, name)
    lines = check_log(work / "web.log", [made["surname"], made["pnc_id"]])
    check_log(work / "worker.log", [made["surname"], made["pnc_id"]])
    step(f"every log line is JSON ({lines} from gunicorn) and names nobody")

    manage("checkpoint_access_log", environment=as_runtime)
    # The smoke's demo is too small for tags, so the fix store gets one day file of its own:
    # the backup must carry every file of the store (ADR 0010).
    day_file = work / "fixes" / "1" / "2026-01-01.parquet"
    day_file.parent.mkdir(parents=True, exist_ok=True)
    day_file.write_bytes(b"PAR1 a day of fixes PAR1")
    backups = work / "backups"
    out = subprocess.run([PYTHON, str(ROOT / "deploy" / "backup.py"), "--out", str(backups),
                          "--checksums"], cwd=ROOT, env=as_owner, check=True,
                         capture_output=True, text=True).stdout
    backup = out.strip().splitlines()[-1]
    with tarfile.open(Path(backup) / "fixes.tar") as tar:
        days = [m.name for m in tar.getmembers() if m.isfile()]
        kept = tar.extractfile("1/2026-01-01.parquet")
        assert kept is not None and kept.read() == day_file.read_bytes(), days
    step(f"backed up to {backup}, the location fixes' {len(days)} day file(s) beside it")
    subprocess.run([PYTHON, str(ROOT / "deploy" / "restore_drill.py"), backup,
                    "--admin-url", f"postgres://postgres@{PG}/postgres",
                    "--target", f"{database}_restored", "--verify-as", RUNTIME],
                   cwd=ROOT, env=as_runtime, check=True)
    # The drill must fail on a backup whose checkpoints do not match its log.
    damaged = Path(backup)
    checkpoints = (damaged / "checkpoints.jsonl").read_text(encoding="utf-8")
    (damaged / "checkpoints.jsonl").write_text(re.sub(r'"mac":"[0-9a-f]', '"mac":"x',
                                                      checkpoints), encoding="utf-8")
    sums = "".join(line if not line.endswith("checkpoints.jsonl\n") else
                   f"{hashlib.sha256((damaged / 'checkpoints.jsonl').read_bytes()).hexdigest()}"
                   "  checkpoints.jsonl\n"
                   for line in (damaged / "SHA256SUMS").read_text().splitlines(keepends=True))
    (damaged / "SHA256SUMS").write_text(sums)
    failed = subprocess.run([PYTHON, str(ROOT / "deploy" / "restore_drill.py"), backup,
                             "--admin-url", f"postgres://postgres@{PG}/postgres",
                             "--target", f"{database}_restored"], cwd=ROOT, env=as_runtime,
                            check=False, capture_output=True, text=True)
    assert failed.returncode != 0 and "bad checkpoint" in failed.stderr, failed.stderr
    step("the drill fails on a backup whose checkpoints were altered")


if __name__ == "__main__":
    main()
