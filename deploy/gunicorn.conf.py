"""Gunicorn settings for CPIMS (`gunicorn -c deploy/gunicorn.conf.py cpims.wsgi`).

Every value can be overridden from the environment, so one file serves every node size:
GUNICORN_BIND, GUNICORN_WORKERS, GUNICORN_THREADS, GUNICORN_TIMEOUT, GUNICORN_MAX_REQUESTS.
Synchronous workers with a few threads: the app is database-bound and short requests dominate
(see docs/deployment.md for sizing and docs/benchmarks.md for measured figures).
"""

import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", str(multiprocessing.cpu_count() * 2 + 1)))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
worker_class = "gthread" if threads > 1 else "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))  # exports run as jobs, not requests
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak never takes a node down.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# nginx terminates TLS on the same host or a trusted one and sends X-Forwarded-Proto.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
proxy_allow_ips = forwarded_allow_ips
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Default access log plus request time in microseconds (%(D)s), for latency checks.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(D)sus'
# Load the app in the master, so workers start fast and share read-only memory.
preload_app = True


def pre_fork(server, worker):
    """Freeze what the master preloaded before forking a worker: the garbage collector then
    never walks those objects again (a full collection in a worker paused a request for
    ~100 ms) and never writes to their pages (they stay shared between the workers)."""
    gc.collect()
    gc.freeze()


# Worker heartbeat files; in containers point this at a memory file system (/dev/shm).
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR") or None
