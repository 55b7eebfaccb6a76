"""gunicorn for the IOM web application on a 2-core machine (docs/deploy.md).

Every value can be changed without editing this file, through the GUNICORN_* variables
in the service's environment file (deploy/iom.env.example).

Sizing: the pages are CPU-bound Python and PostgreSQL runs on the same two cores, so
three worker processes (one more than the cores, for the time each waits on the
database) with two threads each: six requests in hand at once, memory about 3 x 200 MB.
A page that takes longer than ``timeout`` seconds (the largest are PDF exports and a
whole partnership's candidate list) has its worker killed and restarted; the client
gets 502 from the proxy and nothing half-written is committed (each write is one
transaction).
"""

from __future__ import annotations

import os

# Loopback only: the reverse proxy (deploy/nginx.conf) is the only client, so REMOTE_ADDR
# is always the proxy's and X-Forwarded-Proto can only have come from it.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
wsgi_app = "config.wsgi:application"

worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# On SIGTERM or SIGHUP (systemctl stop / reload), requests in hand get this long to finish.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# Each worker is replaced after about this many requests, so that no slow growth of memory
# outlives a day.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# Not preloaded: `systemctl reload iom-web` (SIGHUP) starts new workers on the new code
# while the old ones finish their requests.
preload_app = False
# The workers' heartbeat files in memory, not on a disk that may stall.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108

# Only the proxy may say the request came over HTTPS (gunicorn's own wsgi.url_scheme;
# Django reads SECURE_PROXY_SSL_HEADER). No header ever sets the client's address.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# No access log: the application writes one JSON line per request (iom/operations/logs.py)
# with its route and without the query string, which a search fills with a person's name.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "iom.operations.logs.JsonLinesFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json",
                             "stream": "ext://sys.stderr"}},
    "loggers": {"gunicorn.error": {"handlers": ["console"], "level": loglevel.upper(),
                                   "propagate": False},
                "gunicorn.access": {"handlers": [], "propagate": False}},
}
proc_name = "iom-web"
