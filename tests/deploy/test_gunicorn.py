"""The shipped gunicorn config serves the app: start it on loopback with 2 workers against the
test database, fetch /healthz and the sign-in page, stop it. Bounded: 60 s at most."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connections

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
CONFIG = ROOT / "deploy" / "gunicorn.conf.py"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url() -> str:
    db = connections["default"].settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback)
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@pytest.fixture
def server(transactional_db, tmp_path):
    if not GUNICORN.exists():
        pytest.skip("gunicorn is not installed (pip install -e .)")
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cpims.settings",
        "DEBUG": "0",
        "SECRET_KEY": "gunicorn-test-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1",
        "CPIMS_SSL_REDIRECT": "0",
        "CPIMS_STATIC_MANIFEST": "0",
        "CPIMS_VAR_DIR": str(tmp_path),
        "DATABASE_URL": _database_url(),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_ACCESS_LOG": str(tmp_path / "access.log"),
    }
    log = (tmp_path / "gunicorn.log").open("wb")
    process = subprocess.Popen(
        [str(GUNICORN), "-c", str(CONFIG), "cpims.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 40
    try:
        while True:
            if process.poll() is not None:
                pytest.fail("gunicorn exited: " + (tmp_path / "gunicorn.log").read_text()[-2000:])
            try:
                if _get(base + "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("gunicorn did not answer within 40 s")
            time.sleep(0.3)
        yield base, process, tmp_path
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        log.close()


def test_gunicorn_serves_health_and_sign_in_with_two_workers(server):
    base, process, tmp_path = server
    status, body = _get(base + "/healthz")
    assert status == 200 and b'"ok"' in body
    status, body = _get(base + "/accounts/login/")
    assert status == 200
    assert b"csrfmiddlewaretoken" in body
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    if children.exists():  # Linux
        assert len(children.read_text().split()) == 2, "GUNICORN_WORKERS=2 from the config"
    assert "/healthz" in (tmp_path / "access.log").read_text(), "access log with timings"
