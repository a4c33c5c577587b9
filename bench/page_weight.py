"""Page weight of the main screens: bytes transferred on a first visit and on a repeat visit.

Builds a throw-away SQLite database with the demo data, collects static files with hashed names
(as production does, `CPIMS_STATIC_MANIFEST=1`), signs in as each demo role and fetches every
main screen through Django's test client, then every stylesheet, script and image the page
names. Sizes are what the shipped nginx configuration sends: gzip (level 1, nginx's default) for
HTML, CSS, JavaScript and SVG.

* first load: the page plus every asset it names;
* repeat load: the page plus the assets a browser must fetch again. Hashed static files are
  served with a one-year `Cache-Control` (nginx `expires 1y` + `immutable`; WhiteNoise sets the
  same when the app serves them), so a repeat visit fetches only the page itself — the script
  checks the header rather than assuming it.

Goal (issue 10): repeat page loads under 50 KB.

    .venv/bin/python bench/page_weight.py [--json out.json]
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import io
import json
import os
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_REPEAT_BYTES = 50 * 1024
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml")
ASSET_RE = re.compile(r"""<(?:script|link|img)\b[^>]*?\b(?:src|href)=["']([^"']+)["']""", re.I)

# (label, username, path name) — the screens each role lives on.
SCREENS = [
    ("home (social worker)", "socialworker", "/"),
    ("case list", "socialworker", "/cases/"),
    ("case page", "socialworker", "case"),
    ("person search", "socialworker", "/registry/?q=Бат"),
    ("service directory", "socialworker", "/services/"),
    ("helpline screen (counsellor)", "counsellor", "/helpline/"),
    ("helpline board (supervisor)", "supervisor", "/helpline/board/"),
    ("cases in area (officer)", "officer-ub", "/cases/"),
    ("monitoring (analyst)", "analyst", "/reports/"),
    ("aimag map (analyst)", "analyst", "/reports/map/"),
    ("finance dashboard", "finance", "/finance/"),
]


def setup(workdir: Path) -> None:
    os.environ.update(
        {
            "DATABASE_URL": f"sqlite:///{workdir / 'pages.sqlite3'}",
            "DEBUG": "0",
            "CPIMS_DEMO": "1",
            "CPIMS_STATIC_MANIFEST": "1",
            "CPIMS_STATIC_ROOT": str(workdir / "static"),
            "CPIMS_SSL_REDIRECT": "0",
            "CPIMS_SECURE_COOKIES": "0",
            "CPIMS_2FA_REQUIRED": "0",
            "ALLOWED_HOSTS": "testserver",
            "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789abcdefghij",
            "DJANGO_SETTINGS_MODULE": "cpims.settings",
        }
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    with contextlib.redirect_stdout(io.StringIO()):  # load_demo prints the demo logins
        call_command("migrate", verbosity=0)
        call_command("load_demo", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)


def wire_bytes(body: bytes, content_type: str) -> int:
    if content_type.startswith(COMPRESSIBLE) and len(body) >= 1024:
        return len(gzip.compress(body, compresslevel=1))
    return len(body)


def body_of(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def resolve(path: str, username: str) -> str:
    if path != "case":
        return path
    from cpims.accounts.models import User
    from cpims.cases.selectors import cases_visible_to

    case = cases_visible_to(User.objects.get(username=username)).order_by("pk").first()
    return f"/cases/{case.pk}/" if case else "/cases/"


def measure(client, path: str) -> dict:
    page = client.get(path, HTTP_ACCEPT_ENCODING="gzip")
    html = body_of(page)
    content_type = page.get("Content-Type", "")
    line = {
        "path": path,
        "status": page.status_code,
        "html_raw": len(html),
        "html_wire": wire_bytes(html, content_type),
        "assets": [],
    }
    for url in dict.fromkeys(ASSET_RE.findall(html.decode("utf-8", "replace"))):
        if not url.startswith("/static/"):
            continue
        asset = client.get(url)
        body = body_of(asset)
        cache = asset.get("Cache-Control", "")
        max_age = re.search(r"max-age=(\d+)", cache)
        line["assets"].append(
            {
                "url": url,
                "status": asset.status_code,
                "wire": wire_bytes(body, asset.get("Content-Type", "")),
                "cached": bool(max_age and int(max_age.group(1)) >= 86400),
            }
        )
    line["first"] = line["html_wire"] + sum(a["wire"] for a in line["assets"])
    line["repeat"] = line["html_wire"] + sum(a["wire"] for a in line["assets"] if not a["cached"])
    return line


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cpims-pages-") as tmp:
        setup(Path(tmp))
        from django.test import Client

        from cpims.accounts.models import User

        lines = []
        for label, username, path in SCREENS:
            client = Client()
            client.force_login(User.objects.get(username=username))
            line = measure(client, resolve(path, username))
            line["label"] = label
            lines.append(line)
    print("| screen | status | HTML raw | HTML gzip | assets | first load | repeat load | goal |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for line in lines:
        ok = "yes" if line["status"] == 200 and line["repeat"] < GOAL_REPEAT_BYTES else "NO"
        print(
            f"| {line['label']} (`{line['path']}`) | {line['status']} | {line['html_raw']:,} "
            f"| {line['html_wire']:,} | {len(line['assets'])} | {line['first']:,} "
            f"| {line['repeat']:,} | {ok} |"
        )
    worst = max(lines, key=lambda line: line["repeat"])
    print(f"largest repeat load: {worst['label']} {worst['repeat']:,} bytes (goal < 50 KB)")
    if args.json:
        args.json.write_text(json.dumps(lines, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
