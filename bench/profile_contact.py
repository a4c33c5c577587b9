"""Profile contact creation through the real WSGI application, in one process.

Where does a POST's server CPU go? This drives ``cpims.wsgi.application`` directly (the same
middleware, DRF, services and database as gunicorn, without sockets) for ``--requests``
POSTs of one kind and prints cProfile's top functions, the CPU per request and the
statements per request.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cpims_prof \\
        .venv/bin/python bench/profile_contact.py --kind quick --requests 300

The database needs a counsellor (``generate_demo`` makes ``gen-counsellor-0``); the contacts
written stay in it.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--kind", choices=["quick", "data"], default="quick")
    p.add_argument("--requests", type=int, default=300)
    p.add_argument("--top", type=int, default=40, help="functions to print")
    p.add_argument("--sort", default="tottime", help="pstats sort key (tottime, cumulative)")
    p.add_argument("--user", default="gen-counsellor-0")
    p.add_argument("--no-profile", action="store_true", help="only the CPU per request")
    p.add_argument("--dump", type=Path, help="also write the profile here (pstats file)")
    return p.parse_args()


def environ(path: str, body: bytes, token: str) -> dict:
    return {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_HOST": "127.0.0.1:8000",
        "HTTP_AUTHORIZATION": f"Token {token}",
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }


def main() -> None:
    args = parse_args()
    from helpline import SERVER_ENV, api_token, contact_bodies  # the server as helpline.py runs it

    os.environ.update(SERVER_ENV)
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
    from django.db import connection

    from cpims.accounts.models import User
    from cpims.geo.models import Location
    from cpims.helpline.models import Category, current_version

    user = User.objects.get(username=args.user)
    token = api_token(user)
    rng = random.Random(1)
    # As bench/helpline.py picks them: any active category below the root, any soum's code.
    categories = list(
        Category.objects.filter(
            version=current_version(), is_active=True, depth__gte=1
        ).values_list("code", flat=True)
    )
    places = list(Location.objects.filter(level="soum").values_list("code", flat=True))
    data_body, quick_body = contact_bodies(rng, categories, places)
    make = quick_body if args.kind == "quick" else data_body
    path = "/api/v1/contacts/quick/" if args.kind == "quick" else "/api/v1/contacts/"
    bodies = [json.dumps(make()).encode() for _ in range(args.requests + 5)]

    def call(body: bytes) -> str:
        status = []
        chunks = application(environ(path, body, token), lambda s, h, e=None: status.append(s))
        b"".join(chunks)
        if hasattr(chunks, "close"):
            chunks.close()
        return status[0]

    for body in bodies[:5]:  # warm caches, imports and the connection
        assert call(body).startswith("201"), call(body)
    statements: list[str] = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):  # the request_started signal empties queries
        call(bodies[0])
    profiler = cProfile.Profile(time.process_time)  # CPU, not waiting: the machine is shared
    cpu0 = time.process_time()
    if not args.no_profile:
        profiler.enable()
    for body in bodies[5:]:
        status = call(body)
        if not status.startswith("201"):
            raise SystemExit(f"unexpected {status}")
    profiler.disable()
    cpu = (time.process_time() - cpu0) / args.requests
    if args.dump and not args.no_profile:
        profiler.dump_stats(args.dump)
    if not args.no_profile:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.top)
        print(out.getvalue())
    print(f"{args.kind}: {len(statements)} statements per request")
    for sql in statements:
        print("   ", sql[:160])
    under = "" if args.no_profile else " (under cProfile)"
    print(f"{args.kind}: {cpu * 1000:.2f} ms CPU per request in this process{under}")


if __name__ == "__main__":
    main()
