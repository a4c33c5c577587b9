"""Duplicate detection benchmark: CPIMS ``find_duplicates()`` against Splink (DuckDB).

Usage, from the repository root::

    .venv/bin/python bench/dedupe.py --n 100000 --seed 1
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/dedupe.py --n 100000 --seed 1

Without ``DATABASE_URL`` (or with a ``sqlite:`` one) CPIMS runs on a fresh SQLite file in a
temporary directory. With a ``postgres://`` URL, that URL only names the server: the script
creates its own database ``cpims_bench_dedupe`` there and drops it at the end.

Steps: generate ``n`` synthetic persons (:func:`cpims.registry.synthetic.generate_persons`),
write the import CSV, migrate a fresh database, ``bootstrap()``, import with
``persons_import`` (timed on its own), then - each in its own subprocess, so that wall time,
CPU time and peak RSS (``getrusage(RUSAGE_SELF).ru_maxrss``, which also counts DuckDB's
native memory) belong to that side only:

* CPIMS: ``list(find_duplicates(threshold=0.5))``;
* Splink 4/5 on DuckDB, given the same folded keys CPIMS computes at import time (prepared
  beforehand in another subprocess, timed separately, like CPIMS's import): load, train
  (random-sampling u, EM m on two blocking rules) and ``predict(0.5)``.

Both are scored against the generator's truth (every pair of records sharing a
``cluster_id`` is a true pair) at 0.5 and 0.9. CPIMS's misses and false positives are then
explained (blocked or not, score, reasons, error types) in a last subprocess, and the
results are printed and written to the section "Duplicate detection (issue 3)" of
``docs/benchmarks.md`` (one subsection per database; the other database's is kept).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import date
from itertools import combinations
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## Duplicate detection (issue 3)"
BENCH_DB = "cpims_bench_dedupe"
THRESHOLDS = (0.5, 0.9)
EM_RULES = (("regno",), ("given_key", "dob"))
DOC_INTRO = (
    "# Benchmarks\n\n"
    "Measured figures for CPIMS, each with the command that produced it. Compare ratios taken "
    "in the same run, not absolute numbers across runs: the machines are shared and drift by "
    "20 % or more (see `/work/shared/reference/performance-limits.md`).\n"
)


# --- Helpers shared by the parent and the children ---------------------------------------------


def rss_now_kib() -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def usage() -> dict:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return {"maxrss_kib": ru.ru_maxrss, "cpu_seconds": ru.ru_utime + ru.ru_stime}


def write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False))


def read_json(path: Path):
    return json.loads(path.read_text())


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cpims.settings")
    import django

    django.setup()


def pg_backend() -> dict:
    """PID of this connection's PostgreSQL backend (to read its CPU time and peak RSS)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    return {"pid": pid, **proc_stats(pid)}


def proc_stats(pid: int) -> dict:
    """CPU seconds and peak RSS (VmHWM, includes shared buffers touched) of a local process."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks = os.sysconf("SC_CLK_TCK")
        cpu = (int(fields[11]) + int(fields[12])) / ticks
        hwm = 0
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                hwm = int(line.split()[1])
        return {"cpu_seconds": cpu, "hwm_kib": hwm}
    except (OSError, IndexError, ValueError):
        return {}


# --- Child: load (migrate, bootstrap, import) --------------------------------------------------


def child_load(work: Path) -> None:
    django_setup()
    from django.core.management import call_command

    from cpims.core.bootstrap import bootstrap
    from cpims.registry.imports import persons_import

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    bootstrap()
    migrated = time.perf_counter()
    content = (work / "persons.csv").read_bytes()
    begin = time.perf_counter()
    report = persons_import(actor=None, name="persons.csv", content=content)
    seconds = time.perf_counter() - begin
    write_json(
        work / "load.json",
        {
            "migrate_seconds": migrated - started,
            "import_seconds": seconds,
            "created": report.created,
            "rejected": [[r.line, r.external_id, r.reason] for r in report.rejected],
            **usage(),
        },
    )


# --- Child: CPIMS find_duplicates ---------------------------------------------------------------


def child_cpims(work: Path, threshold: float) -> None:
    django_setup()
    from cpims.registry.dedupe import find_duplicates
    from cpims.registry.models import Person

    Person.objects.exists()  # open the connection before measuring
    backend_before = pg_backend()
    baseline = rss_now_kib()
    cpu_before = usage()["cpu_seconds"]
    begin = time.perf_counter()
    pairs = [(p.external_a, p.external_b, p.score) for p in find_duplicates(threshold=threshold)]
    seconds = time.perf_counter() - begin
    after = usage()
    backend = {}
    if backend_before:
        now = proc_stats(backend_before["pid"])
        if now:
            backend = {
                "cpu_seconds": now["cpu_seconds"] - backend_before["cpu_seconds"],
                "hwm_kib": now["hwm_kib"],
            }
    write_json(
        work / "cpims.json",
        {
            "seconds": seconds,
            "cpu_seconds": after["cpu_seconds"] - cpu_before,
            "maxrss_kib": after["maxrss_kib"],
            "baseline_rss_kib": baseline,
            "db_backend": backend,
            "pairs": pairs,
        },
    )


# --- Child: Splink preprocessing (the keys CPIMS computes at import) ----------------------------


def child_splink_prep(work: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from cpims.registry.identity.names import patronymic_initial_key
    from cpims.registry.identity.phone import PhoneError, normalise_phone
    from cpims.registry.identity.regno import RegnoError, parse_regno
    from cpims.registry.identity.translit import name_key, phonetic_key
    from cpims.registry.keys import patronymic_key_of

    begin = time.perf_counter()
    rejected = {row["external_id"] for row in read_json(work / "rejected.json")}
    columns: dict[str, list] = defaultdict(list)
    with (work / "persons.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["external_id"] in rejected:
                continue  # the same records CPIMS holds
            try:
                regno = parse_regno(row["registration_number"]).normalised
            except RegnoError:
                regno = None
            try:
                phone = normalise_phone(row["phone"]) if row["phone"] else None
            except PhoneError:
                phone = None
            dob = row["date_of_birth"] or None
            patronymic = row["patronymic"]
            values = {
                "unique_id": row["external_id"],
                "given_key": name_key(row["given_name"])[:100],
                "given_phonetic": phonetic_key(row["given_name"])[:16],
                "patronymic_key": patronymic_key_of(patronymic)[:100],
                "patronymic_initial": (
                    patronymic_initial_key(patronymic)[:4] if patronymic.strip() else ""
                ),
                "family_key": name_key(row["family_name"])[:100],
                "sex": row["sex"] if row["sex"] in ("M", "F") else None,
                "dob": dob,
                "birth_year": int(dob[:4]) if dob else None,
                "regno": regno,
                "phone": phone,
                "aimag_code": row["aimag_code"] or None,
                "soum_code": row["soum_code"] or None,
                "location": row["soum_code"] or row["aimag_code"] or None,
            }
            for key, value in values.items():
                columns[key].append(value if value != "" else None)
    pq.write_table(pa.table(dict(columns)), work / "splink_input.parquet")
    write_json(
        work / "splink_prep.json",
        {"seconds": time.perf_counter() - begin, "rows": len(columns["unique_id"]), **usage()},
    )


# --- Child: Splink -------------------------------------------------------------------------------


def splink_settings(u_seed: int):
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    jw = "jaro_winkler_similarity"
    patronymic = cl.CustomComparison(
        output_column_name="patronymic",
        comparison_levels=[
            cll.CustomLevel(
                "(patronymic_key_l IS NULL OR patronymic_key_r IS NULL) AND "
                "(patronymic_initial_l IS NULL OR patronymic_initial_r IS NULL)",
                "null",
            ).configure(is_null_level=True),
            cll.ExactMatchLevel("patronymic_key"),
            cll.CustomLevel(f"{jw}(patronymic_key_l, patronymic_key_r) >= 0.92", "JW >= 0.92"),
            cll.CustomLevel(f"{jw}(patronymic_key_l, patronymic_key_r) >= 0.8", "JW >= 0.8"),
            cll.CustomLevel(
                "(patronymic_key_l IS NULL OR patronymic_key_r IS NULL) AND "
                "patronymic_initial_l = patronymic_initial_r",
                "same initial, one side has no full patronymic",
            ),
            cll.ElseLevel(),
        ],
    )
    place = cl.CustomComparison(
        output_column_name="place",
        comparison_levels=[
            cll.NullLevel("aimag_code"),
            cll.ExactMatchLevel("soum_code"),
            cll.ExactMatchLevel("aimag_code"),
            cll.ElseLevel(),
        ],
    )
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=[
            cl.NameComparison("given_key").configure(term_frequency_adjustments=True),
            patronymic,
            cl.ExactMatch("family_key"),
            cl.DateOfBirthComparison("dob", input_is_string=True, datetime_format="%Y-%m-%d"),
            cl.LevenshteinAtThresholds("regno", 1),
            cl.ExactMatch("phone"),
            cl.ExactMatch("sex"),
            place,
        ],
        # The same blocks as CPIMS's passes (dedupe.PASSES and the phone pass).
        blocking_rules_to_generate_predictions=[
            block_on("regno"),
            block_on("given_key", "birth_year"),
            block_on("given_phonetic", "birth_year"),
            block_on("given_phonetic", "patronymic_initial", "location"),
            block_on("dob", "location"),
            block_on("phone"),
        ],
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
    )


def child_splink(work: Path, threshold: float, u_pairs: float, seed: int) -> None:
    import logging

    import duckdb
    from splink import DuckDBAPI, Linker, block_on

    logging.getLogger("splink").setLevel(logging.WARNING)
    baseline = rss_now_kib()
    cpu_before = usage()["cpu_seconds"]
    begin = time.perf_counter()
    con = duckdb.connect(":memory:")
    parquet = str(work / "splink_input.parquet")
    con.execute("CREATE TABLE persons AS SELECT * FROM read_parquet(?)", [parquet])
    db_api = DuckDBAPI(connection=con)
    frame = db_api.register("persons")
    linker = Linker(frame, splink_settings(seed))
    loaded = time.perf_counter()
    training = linker.training
    training.estimate_probability_two_random_records_match(
        [block_on("regno"), block_on("given_key", "patronymic_key", "dob")], recall=0.7
    )
    training.estimate_u_using_random_sampling(max_pairs=u_pairs, seed=seed)
    # m by EM on two blocks rich in matches that between them leave no comparison out.
    # (Of the rule sets tried - given key + birth year & birth date; registration number &
    # given key + birth date; either with phone; birth date + place - this one scores best;
    # blocks of family members such as phone make EM learn "same family", not "same person".)
    for rule in EM_RULES:
        training.estimate_parameters_using_expectation_maximisation(
            block_on(*rule), estimate_without_term_frequencies=True
        )
    trained = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_probability=threshold)
    table_name = predictions.physical_name  # generated by Splink
    pairs = con.execute(
        f"SELECT unique_id_l, unique_id_r, match_probability FROM {table_name}"  # noqa: S608
    ).fetchall()
    done = time.perf_counter()
    after = usage()
    write_json(
        work / "splink.json",
        {
            "seconds": done - begin,
            "load_seconds": loaded - begin,
            "train_seconds": trained - loaded,
            "predict_seconds": done - trained,
            "cpu_seconds": after["cpu_seconds"] - cpu_before,
            "maxrss_kib": after["maxrss_kib"],
            "baseline_rss_kib": baseline,
            "threads": con.execute("SELECT current_setting('threads')").fetchone()[0],
            "pairs": [[a, b, round(float(p), 6)] for a, b, p in pairs],
        },
    )


# --- Child: explain CPIMS misses and false positives -------------------------------------------


def child_explain(work: Path) -> None:
    django_setup()
    from cpims.registry.bulk_matching import FactTable
    from cpims.registry.dedupe import MAX_BLOCK, candidate_rows, load_registry
    from cpims.registry.matching import match_score
    from cpims.registry.models import Person, PersonPhone

    wanted = [tuple(pair) for pair in read_json(work / "explain_in.json")]
    externals = {ext for pair in wanted for ext in pair}
    ids = dict(Person.objects.filter(external_id__in=externals).values_list("external_id", "pk"))
    fields = [
        "pk",
        "given_key",
        "given_phonetic",
        "patronymic_key",
        "patronymic_initial",
        "birth_year",
        "date_of_birth",
        "registration_number",
        "location_id",
    ]
    keys = {row[0]: row for row in Person.objects.filter(pk__in=ids.values()).values_list(*fields)}
    phones: dict[int, set[str]] = defaultdict(set)
    for pk, number in PersonPhone.objects.filter(person_id__in=ids.values()).values_list(
        "person_id", "number"
    ):
        phones[pk].add(number)
    # The phases of find_duplicates(), timed apart (its own run times only the whole).
    begin = time.perf_counter()
    registry = load_registry()
    loaded = time.perf_counter()
    table = FactTable.from_columns(registry.columns)
    tabled = time.perf_counter()
    rows_a, rows_b = candidate_rows(registry, table)
    blocked = time.perf_counter()
    pks = registry.pks
    candidates = {(pks[x], pks[y]) for x, y in zip(rows_a.tolist(), rows_b.tolist(), strict=True)}
    row_of = {pk: row for row, pk in enumerate(pks)}
    passes = {
        "regno": (7,),
        "given+year": (1, 5),
        "phonetic+year": (2, 5),
        "phonetic+initial+place": (2, 4, 8),
        "dob+place": (6, 8),
    }
    out = {}
    for ext_a, ext_b in wanted:
        a, b = ids.get(ext_a), ids.get(ext_b)
        if a is None or b is None:
            continue
        lo, hi = sorted((a, b))
        ka, kb = keys[a], keys[b]
        shared = [
            name
            for name, cols in passes.items()
            if all(ka[c] not in (None, "") and ka[c] == kb[c] for c in cols)
        ]
        if phones[a] & phones[b]:
            shared.append("phone")
        result = match_score(registry.facts(row_of[a]), registry.facts(row_of[b]))
        out[f"{ext_a}|{ext_b}"] = {
            "candidate": (lo, hi) in candidates,
            "shared_keys": shared,
            "score": result.score,
            "reasons": result.reasons,
            "keys_a": [ka[1], ka[3], ka[4]],
            "keys_b": [kb[1], kb[3], kb[4]],
        }
    write_json(
        work / "explain_out.json",
        {
            "max_block": MAX_BLOCK,
            "load_seconds": loaded - begin,
            "table_seconds": tabled - loaded,
            "blocking_seconds": blocked - tabled,
            "candidates": len(candidates),
            "pairs": out,
        },
    )


# --- Parent -------------------------------------------------------------------------------------


def machine() -> dict:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    nproc = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {"nproc": nproc, "memory": memory, "cpu": model or platform.processor()}


def run_child(work: Path, env: dict, *args: str) -> None:
    log = work / f"child-{args[0]}.log"
    command = [sys.executable, str(Path(__file__).resolve()), "--child", *args, "--work", str(work)]
    with log.open("ab") as handle:
        result = subprocess.run(command, env=env, cwd=ROOT, stdout=handle, stderr=handle)
    if result.returncode:
        tail = log.read_text(errors="replace")[-4000:]
        raise SystemExit(f"child {args[0]} failed ({result.returncode}):\n{tail}")


def postgres_urls(admin_url: str) -> tuple[str, str]:
    parts = urlsplit(admin_url)
    bench = urlunsplit(parts._replace(path=f"/{BENCH_DB}"))
    return admin_url, bench


def pg_admin(admin_url: str, sql: str):
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        cursor = conn.execute(sql)
        return cursor.fetchone() if cursor.description else None


def true_pairs(truth: list[dict]) -> set[tuple[str, str]]:
    clusters: dict[str, list[str]] = defaultdict(list)
    for entry in truth:
        clusters[entry["cluster_id"]].append(entry["external_id"])
    pairs = set()
    for members in clusters.values():
        pairs.update(combinations(sorted(members), 2))
    return pairs


def as_scores(pairs: list) -> dict[tuple[str, str], float]:
    out: dict[tuple[str, str], float] = {}
    for a, b, score in pairs:
        key = (a, b) if a < b else (b, a)
        out[key] = max(score, out.get(key, 0.0))
    return out


def metrics(scores: dict, truth: set, threshold: float) -> dict:
    predicted = {pair for pair, score in scores.items() if score >= threshold}
    tp = len(predicted & truth)
    precision = tp / len(predicted) if predicted else 0.0
    recall = tp / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "predicted": len(predicted),
        "tp": tp,
        "fp": len(predicted) - tp,
        "fn": len(truth) - tp,
        "precision": precision,
        "recall": recall,
        "f1": f1,
    }


def mib(kib: float) -> str:
    return f"{kib / 1024:,.0f} MiB"


def pct(value: float) -> str:
    return f"{100 * value:.1f} %"


def table(header: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def pair_errors(pair, info) -> list[str]:
    errors = set()
    for ext in pair:
        errors.update(e for e in info[ext]["errors"].split(";") if e)
    return sorted(errors)


def row_text(row: dict) -> str:
    parts = [
        row["family_name"],
        row["patronymic"],
        row["given_name"],
        row["sex"],
        row["date_of_birth"] or "-",
        row["registration_number"] or "-",
        row["phone"] or "-",
        row["soum_code"] or row["aimag_code"] or "-",
    ]
    return " / ".join(p if p else "∅" for p in parts)


def analyse(
    truth_pairs: set,
    cpims: dict,
    splink: dict,
    info: dict,
    rows: dict,
    explained: dict,
    n_examples: int,
) -> dict:
    """Breakdowns of recall by error type and of false positives by kind; examples."""
    t = THRESHOLDS[0]
    by_error: dict[str, Counter] = defaultdict(Counter)
    by_count: dict[int, Counter] = defaultdict(Counter)
    miss_cause = Counter()
    miss_penalties = Counter()
    miss_examples: dict[str, list] = defaultdict(list)
    for pair in sorted(truth_pairs):
        errors = pair_errors(pair, info) or ["(none)"]
        got_c = cpims.get(pair, 0.0) >= t
        got_s = splink.get(pair, 0.0) >= t
        detail = explained.get(f"{pair[0]}|{pair[1]}")
        cause = ""
        if not got_c and detail is not None:
            if detail["candidate"]:
                cause = "scored below 0.5"
                penalties = [r for r in detail["reasons"] if r.startswith("different")]
                miss_penalties["; ".join(penalties) or "(no penalty: too little evidence)"] += 1
            elif detail["shared_keys"]:
                cause = "block too large (split by place)"
            else:
                cause = "no shared blocking key"
            miss_cause[cause] += 1
        count = 0 if errors == ["(none)"] else len(errors)
        for bucket in (by_error[e] for e in errors), (by_count[min(count, 4)],):
            for counter in bucket:
                counter["pairs"] += 1
                counter["cpims"] += got_c
                counter["splink"] += got_s
                if cause:
                    counter[cause] += 1
        if not got_c and got_s and detail is not None:
            for error in errors:
                miss_examples[error].append((pair, detail))
    fp_kinds: dict[str, Counter] = defaultdict(Counter)
    fp_reasons = Counter()
    fp_examples = []
    for system, scores in (("cpims", cpims), ("splink", splink)):
        for pair, score in scores.items():
            if score < t or pair in truth_pairs:
                continue
            kinds = " + ".join(sorted(info[e]["kind"] for e in pair))
            fp_kinds[kinds][f"{system}@0.5"] += 1
            if score >= THRESHOLDS[1]:
                fp_kinds[kinds][f"{system}@0.9"] += 1
            if system == "cpims":
                detail = explained.get(f"{pair[0]}|{pair[1]}")
                if detail:
                    fp_reasons["; ".join(detail["reasons"])] += 1
                    fp_examples.append((score, pair, detail, kinds))
    fp_examples.sort(key=lambda item: (-item[0], item[1]))

    def example(pair, detail, extra: str) -> dict:
        return {
            "a": f"{pair[0]}: {row_text(rows[pair[0]])}",
            "b": f"{pair[1]}: {row_text(rows[pair[1]])}",
            "errors": ", ".join(pair_errors(pair, info)) or "-",
            "cpims": f"{cpims.get(pair, detail['score']):.3f}"
            if pair in cpims
            else f"{detail['score']:.3f} (not proposed)",
            "splink": f"{splink[pair]:.3f}" if pair in splink else "< 0.5",
            "blocked": "yes" if detail["candidate"] else "no",
            "shared_keys": ", ".join(detail["shared_keys"]) or "none",
            "keys": f"{detail['keys_a']} vs {detail['keys_b']}",
            "reasons": "; ".join(detail["reasons"]),
            "note": extra,
        }

    top_errors = sorted(by_error, key=lambda e: -(by_error[e]["splink"] - by_error[e]["cpims"]))
    examples, shown = [], set()
    for error in top_errors:
        fresh = [(p, d) for p, d in miss_examples.get(error, []) if p not in shown]
        for pair, detail in fresh[:n_examples]:
            shown.add(pair)
            examples.append(example(pair, detail, f"missed by CPIMS, found by Splink ({error})"))
        if len(examples) >= 3 * n_examples:
            break
    seen_kinds = Counter()
    for score, pair, detail, kinds in fp_examples:
        if seen_kinds[kinds] >= n_examples:
            continue
        seen_kinds[kinds] += 1
        examples.append(example(pair, detail, f"CPIMS false positive ({kinds}), score {score}"))
        if sum(seen_kinds.values()) >= 2 * n_examples:
            break
    at_bias = Counter(
        "true" if pair in truth_pairs else "false"
        for pair, score in cpims.items()
        if score == THRESHOLDS[0]
    )
    above = {pair: score for pair, score in cpims.items() if score > THRESHOLDS[0]}
    return {
        "at_bias": dict(at_bias),
        "above_half": metrics(above, truth_pairs, 0.0),
        "miss_penalties": miss_penalties.most_common(8),
        "by_error": {k: dict(v) for k, v in by_error.items()},
        "by_count": {str(k): dict(v) for k, v in sorted(by_count.items())},
        "miss_cause": dict(miss_cause),
        "fp_kinds": {k: dict(v) for k, v in fp_kinds.items()},
        "fp_reasons": fp_reasons.most_common(8),
        "examples": examples,
    }


def seconds_list(values: list[float]) -> str:
    return ", ".join(f"{v:.1f}" for v in values) + " s"


def render(result: dict) -> str:
    """The database's subsection of the benchmark doc (also printed)."""
    r = result
    c, s = r["cpims"], r["splink"]
    lines = [f"### {r['database_label']}", ""]
    lines.append(
        f"Run {r['date']} · {r['machine']['nproc']} CPUs ({r['machine']['cpu']}), "
        f"{r['machine']['memory']} RAM · load average at start {r['load_start']} · "
        f"{r['database']} · N = {r['n']:,}, seed {r['seed']} · "
        f"{r['true_pairs']:,} true pairs · Python {r['python']}, Splink {r['splink_version']}, "
        f"DuckDB {r['duckdb_version']} ({s['threads']} threads) · "
        f"total run {r['total_seconds']:.0f} s"
    )
    lines.append("")
    lines.append(f"Command: `{r['command']}`")
    lines.append("")
    lines.append(
        f"Preparation (not in the times below): generating {r['generate_seconds']:.1f} s; "
        f"CPIMS migrate + bootstrap {r['load']['migrate_seconds']:.1f} s, "
        f"import {r['load']['import_seconds']:.1f} s "
        f"({r['n'] / r['load']['import_seconds']:,.0f} rows/s, {r['load']['created']:,} created, "
        f"{len(r['load']['rejected'])} rejected, keys computed here); Splink preprocessing with "
        f"the same key functions {r['splink_prep']['seconds']:.1f} s."
    )
    lines.append("")
    header = [
        "System",
        "P@0.5",
        "R@0.5",
        "F1@0.5",
        "P@0.9",
        "R@0.9",
        "F1@0.9",
        "Wall time",
        "CPU time",
        "Peak RSS",
    ]
    rows = []
    for name, data in (("CPIMS `find_duplicates()`", c), ("Splink + DuckDB", s)):
        m5, m9 = data["metrics"]["0.5"], data["metrics"]["0.9"]
        rows.append(
            [
                name,
                pct(m5["precision"]),
                pct(m5["recall"]),
                pct(m5["f1"]),
                pct(m9["precision"]),
                pct(m9["recall"]),
                pct(m9["f1"]),
                f"{data['seconds']:.1f} s",
                f"{data['cpu_seconds']:.1f} s",
                mib(data["maxrss_kib"]),
            ]
        )
    rows.append(
        [
            "**CPIMS vs Splink** (F1: difference; time, memory: CPIMS / Splink)",
            "",
            "",
            f"{100 * (c['metrics']['0.5']['f1'] - s['metrics']['0.5']['f1']):+.1f} pp",
            "",
            "",
            f"{100 * (c['metrics']['0.9']['f1'] - s['metrics']['0.9']['f1']):+.1f} pp",
            f"**{c['seconds'] / s['seconds']:.2f}×**",
            f"{c['cpu_seconds'] / s['cpu_seconds']:.2f}×",
            f"**{c['maxrss_kib'] / s['maxrss_kib']:.2f}×**",
        ]
    )
    lines.append(table(header, rows))
    lines.append("")
    m5c, m5s = c["metrics"]["0.5"], s["metrics"]["0.5"]
    lines.append(
        f"At 0.5: CPIMS proposes {m5c['predicted']:,} pairs ({m5c['tp']:,} true, "
        f"{m5c['fp']:,} false, {m5c['fn']:,} missed); Splink {m5s['predicted']:,} "
        f"({m5s['tp']:,} true, {m5s['fp']:,} false, {m5s['fn']:,} missed). "
        f"Splink time: load {s['load_seconds']:.1f} s, training {s['train_seconds']:.1f} s, "
        f"prediction {s['predict_seconds']:.1f} s. Peak RSS is `ru_maxrss` of each side's own "
        f"process (after imports: CPIMS {mib(c['baseline_rss_kib'])}, "
        f"Splink {mib(s['baseline_rss_kib'])})."
    )
    if len(c.get("all_seconds", [])) > 1:
        lines.append("")
        lines.append(
            f"Wall times of the {len(c['all_seconds'])} interleaved rounds (the median is in the "
            f"table, with that run's CPU time): CPIMS {seconds_list(c['all_seconds'])}; Splink "
            f"{seconds_list(s['all_seconds'])}."
        )
    backend = c.get("db_backend") or {}
    if backend:
        lines.append("")
        lines.append(
            f"The PostgreSQL server process is not in CPIMS's figures: its backend used "
            f"{backend.get('cpu_seconds', 0):.1f} s CPU, peak RSS {mib(backend.get('hwm_kib', 0))} "
            f"(VmHWM, includes shared buffers it touched)."
        )
    lines.append("")
    a = r["analysis"]
    cause = a["miss_cause"]
    b = r["blocking"]
    if b.get("load_seconds") is not None:
        lines.append(
            f"Phases of `find_duplicates()` (timed apart in the explain step): reading the "
            f"registry (three queries) {b['load_seconds']:.1f} s, its columns as arrays "
            f"{b['table_seconds']:.1f} s, blocking {b['seconds']:.1f} s "
            f"({b['candidates']:,} candidate pairs); the rest is scoring them on arrays "
            "and `match_score` for the pairs above the threshold (their reasons)."
        )
    else:
        lines.append(
            f"CPIMS blocking (`candidate_pairs()`) yields {b['candidates']:,} candidate "
            f"pairs in {b['seconds']:.1f} s (timed in the explain step)."
        )
    lines.append("")
    at_bias, above = a["at_bias"], a["above_half"]
    if at_bias:  # runs from before pairs at exactly 0.5 stopped being proposed
        lines.append(
            f"CPIMS pairs scoring exactly 0.5 (evidence equal to the bias): "
            f"{at_bias.get('false', 0):,} false, {at_bias.get('true', 0):,} true. Counting only "
            f"scores > 0.5 would give P {pct(above['precision'])}, R {pct(above['recall'])}, "
            f"F1 {pct(above['f1'])}."
        )
        lines.append("")
    lines.append(
        "CPIMS misses at 0.5 by cause: "
        + ", ".join(f"{k} {v:,}" for k, v in sorted(cause.items(), key=lambda kv: -kv[1]))
        + ". Penalties in the misses that were compared but scored below 0.5:"
    )
    lines.append("")
    for penalties, count in a["miss_penalties"]:
        lines.append(f"- {count:,} × {penalties}")
    lines.append("")
    lines.append(
        "Recall at 0.5 by entry error in the pair (a pair counts under each error either "
        "record carries; sorted by how many pairs Splink finds and CPIMS does not):"
    )
    lines.append("")
    header = [
        "Error",
        "Pairs",
        "CPIMS recall",
        "Splink recall",
        "CPIMS misses: no shared key",
        "block split",
        "scored < 0.5",
    ]
    by_error = a["by_error"]
    order = sorted(by_error, key=lambda e: (-(by_error[e]["splink"] - by_error[e]["cpims"]), e))
    rows = []
    for error in order:
        v = by_error[error]
        rows.append(
            [
                error,
                f"{v['pairs']:,}",
                pct(v["cpims"] / v["pairs"]),
                pct(v["splink"] / v["pairs"]),
                v.get("no shared blocking key", 0),
                v.get("block too large (split by place)", 0),
                v.get("scored below 0.5", 0),
            ]
        )
    lines.append(table(header, rows))
    lines.append("")
    rows = []
    for count, v in a["by_count"].items():
        label = {"0": "none", "4": "4 or more"}.get(count, count)
        rows.append(
            [
                label,
                f"{v['pairs']:,}",
                pct(v["cpims"] / v["pairs"]),
                pct(v["splink"] / v["pairs"]),
            ]
        )
    lines.append("By number of distinct errors in the pair:")
    lines.append("")
    lines.append(table(["Errors", "Pairs", "CPIMS recall", "Splink recall"], rows))
    lines.append("")
    rows = []
    for kinds, v in sorted(a["fp_kinds"].items(), key=lambda kv: -kv[1].get("cpims@0.5", 0)):
        rows.append(
            [
                kinds,
                v.get("cpims@0.5", 0),
                v.get("cpims@0.9", 0),
                v.get("splink@0.5", 0),
                v.get("splink@0.9", 0),
            ]
        )
    lines.append("False positives by the kinds of the two records:")
    lines.append("")
    lines.append(table(["Kinds", "CPIMS @0.5", "CPIMS @0.9", "Splink @0.5", "Splink @0.9"], rows))
    lines.append("")
    if a["fp_reasons"]:
        lines.append("Most frequent CPIMS reasons on false positives:")
        lines.append("")
        for reasons, count in a["fp_reasons"][:5]:
            lines.append(f"- {count:,} × {reasons}")
        lines.append("")
    if a["examples"]:
        lines.append(
            "Examples (family / patronymic / given / sex / birth date / registration number / "
            "phone / place; keys are given, patronymic, patronymic initial):"
        )
        lines.append("")
        for ex in a["examples"]:
            lines.append(
                f"- {ex['note']}; errors: {ex['errors']}; CPIMS {ex['cpims']}, Splink "
                f"{ex['splink']}; blocked: {ex['blocked']} (shared keys: {ex['shared_keys']})"
            )
            lines.append(f"  - {ex['a']}")
            lines.append(f"  - {ex['b']}")
            lines.append(f"  - keys {ex['keys']}; reasons: {ex['reasons']}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def section_intro() -> str:
    return "\n".join(
        [
            SECTION,
            "",
            "CPIMS's `find_duplicates()` (blocking on indexed key columns + hand-weighted "
            "score) against [Splink](https://moj-analytical-services.github.io/splink/) on "
            "DuckDB, on the synthetic registry of `cpims.registry.synthetic` with its truth "
            "(true pairs: every pair of records of one `cluster_id`). Produced by "
            "`bench/dedupe.py`; each subsection is replaced by the run on that database.",
            "",
            "- Splink gets the same preprocessing as CPIMS (folded `name_key` of given name, "
            "`patronymic_key_of`, patronymic initial, clan key, normalised registration number "
            "and phone, birth date, sex, soum/aimag), comparisons NameComparison (with term "
            "frequencies) on the given key, Jaro-Winkler levels + initial on the patronymic, "
            "DateOfBirthComparison, Levenshtein ≤ 1 on the registration number, exact phone, "
            "sex, clan, soum/aimag; the same blocking rules as CPIMS (registration number; "
            "given key + birth year; phonetic given + birth year; phonetic + patronymic "
            "initial + place; birth date + place; phone); u by random sampling, m by EM on "
            "*registration number* and on *given key + birth date* (the best of several "
            "rule sets tried), `predict(0.5)`.",
            "- Splink's time includes loading, training and prediction; CPIMS's is "
            "`find_duplicates()` alone (its keys are computed at import, Splink's in a "
            "preprocessing step; both shown separately). Each side runs in its own process; "
            "peak memory is that process's `getrusage(RUSAGE_SELF).ru_maxrss` (which includes "
            "DuckDB's native allocations; on PostgreSQL the server's own memory is not in it). "
            "CPIMS's time runs from the first query reading the registry to the last pair; it "
            "uses one thread (Python, numpy and rapidfuzz on arrays); DuckDB uses every core.",
            "- The machine has 2 cores and is shared with other work (see the load average): "
            "take the ratios, not the absolute times; single runs vary by ±20 % on a quiet machine "
            "and by 2× or more under load, so several interleaved rounds are run and listed.",
            "",
        ]
    )


def write_doc(result: dict, rendered: str) -> None:
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else DOC_INTRO
    start = text.find(SECTION + "\n")
    if start == -1:
        start = text.find(SECTION)
    subsections: dict[str, str] = {}
    if start != -1:
        end_match = re.compile(r"^## ", re.M).search(text, start + len(SECTION))
        end = end_match.start() if end_match else len(text)
        body = text[start:end]
        before, after = text[:start], text[end:]
        for match in re.finditer(r"^### (.+?)\n(.*?)(?=^### |\Z)", body, re.M | re.S):
            subsections[match.group(1).strip()] = match.group(0).rstrip() + "\n"
    else:
        before, after = text.rstrip() + "\n\n", ""
    subsections[result["database_label"]] = rendered
    order = ["SQLite", "PostgreSQL"]
    names = [n for n in order if n in subsections] + [n for n in subsections if n not in order]
    section = section_intro() + "\n" + "\n".join(subsections[n] for n in names)
    if after:
        section += "\n"
    DOC.write_text(before + section + after, encoding="utf-8")


def parent(args: argparse.Namespace) -> None:
    started = time.perf_counter()
    admin_url = os.environ.get("DATABASE_URL", "")
    is_pg = admin_url.startswith(("postgres://", "postgresql://"))
    work = Path(tempfile.mkdtemp(prefix="cpims-bench-dedupe-"))
    print(f"work directory: {work}", flush=True)
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "cpims.settings",
            "CPIMS_VAR_DIR": str(work / "var"),
            "DEBUG": "0",  # no query log: it would slow CPIMS down
            "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789abcdefghijkl",
            "PYTHONHASHSEED": "0",
        }
    )
    if is_pg:
        _, bench_url = postgres_urls(admin_url)
        pg_admin(admin_url, f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        pg_admin(admin_url, f"CREATE DATABASE {BENCH_DB}")
        version = pg_admin(admin_url, "SELECT current_setting('server_version')")[0]
        database, label = f"PostgreSQL {version} (database {BENCH_DB})", "PostgreSQL"
    else:
        import sqlite3

        bench_url = f"sqlite:///{work / 'bench.sqlite3'}"
        database, label = f"SQLite {sqlite3.sqlite_version} (temporary file, WAL)", "SQLite"
    env["DATABASE_URL"] = bench_url
    load_start = "/".join(f"{x:.2f}" for x in os.getloadavg())
    try:
        from cpims.registry.synthetic import FIELDS, generate_persons

        print(f"generating {args.n:,} persons (seed {args.seed})", flush=True)
        begin = time.perf_counter()
        rows, truth = generate_persons(n=args.n, seed=args.seed, with_errors=True)
        generate_seconds = time.perf_counter() - begin
        with (work / "persons.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=FIELDS)
            writer.writeheader()
            writer.writerows(rows)

        print(f"migrating, bootstrapping and importing into {database}", flush=True)
        run_child(work, env, "load")
        load = read_json(work / "load.json")
        rejected = {ext for _, ext, _ in load["rejected"]}
        write_json(work / "rejected.json", [{"external_id": ext} for ext in sorted(rejected)])
        print(
            f"  import {load['import_seconds']:.1f} s, {load['created']:,} created, "
            f"{len(rejected)} rejected",
            flush=True,
        )
        info = {t["external_id"]: t for t in truth if t["external_id"] not in rejected}
        by_ext = {row["external_id"]: row for row in rows}
        truth_pairs = true_pairs(list(info.values()))

        print("preparing Splink input (the same key functions)", flush=True)
        run_child(work, env, "splink-prep")
        prep = read_json(work / "splink_prep.json")

        cpims_runs, splink_runs = [], []
        for round_no in range(args.rounds):
            print(f"round {round_no + 1}: CPIMS find_duplicates()", flush=True)
            run_child(work, env, "cpims", "--threshold", str(THRESHOLDS[0]))
            cpims_runs.append(read_json(work / "cpims.json"))
            print(f"  {cpims_runs[-1]['seconds']:.1f} s", flush=True)
            print(f"round {round_no + 1}: Splink", flush=True)
            run_child(
                work,
                env,
                "splink",
                "--threshold",
                str(THRESHOLDS[0]),
                "--u-pairs",
                str(args.u_pairs),
                "--seed",
                str(args.seed),
            )
            splink_runs.append(read_json(work / "splink.json"))
            print(f"  {splink_runs[-1]['seconds']:.1f} s", flush=True)

        def median_run(runs: list[dict]) -> dict:
            ordered = sorted(runs, key=lambda r: r["seconds"])
            chosen = dict(ordered[len(ordered) // 2])
            chosen["maxrss_kib"] = max(r["maxrss_kib"] for r in runs)
            chosen["all_seconds"] = [round(r["seconds"], 2) for r in runs]
            return chosen

        cpims, splink = median_run(cpims_runs), median_run(splink_runs)
        cpims_scores, splink_scores = as_scores(cpims["pairs"]), as_scores(splink["pairs"])
        for data, scores in ((cpims, cpims_scores), (splink, splink_scores)):
            data["metrics"] = {str(t): metrics(scores, truth_pairs, t) for t in THRESHOLDS}
            data.pop("pairs")

        # Explain every CPIMS miss and false positive (and Splink-only finds).
        to_explain = {p for p in truth_pairs if cpims_scores.get(p, 0.0) < THRESHOLDS[0]}
        to_explain |= {p for p in cpims_scores if p not in truth_pairs}
        print(f"explaining {len(to_explain):,} CPIMS misses and false positives", flush=True)
        write_json(work / "explain_in.json", sorted(to_explain))
        run_child(work, env, "explain")
        explain_out = read_json(work / "explain_out.json")
        explained = explain_out["pairs"]
        blocking = {
            "seconds": explain_out["blocking_seconds"],
            "load_seconds": explain_out.get("load_seconds"),
            "table_seconds": explain_out.get("table_seconds"),
            "candidates": explain_out["candidates"],
        }
        analysis = analyse(
            truth_pairs, cpims_scores, splink_scores, info, by_ext, explained, args.examples
        )
    finally:
        if is_pg:
            try:
                pg_admin(admin_url, f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
            except Exception as exc:  # report, keep the results
                print(f"could not drop {BENCH_DB}: {exc}", file=sys.stderr)

    import duckdb
    import splink as splink_pkg

    command = "" if not is_pg else "DATABASE_URL=" + admin_url + " "
    command += f".venv/bin/python bench/dedupe.py --n {args.n} --seed {args.seed}"
    if args.rounds != 1:
        command += f" --rounds {args.rounds}"
    if args.u_pairs != DEFAULT_U_PAIRS:
        command += f" --u-pairs {args.u_pairs:g}"
    result = {
        "date": date.today().isoformat(),
        "machine": machine(),
        "load_start": load_start,
        "database": database,
        "database_label": label,
        "n": args.n,
        "seed": args.seed,
        "true_pairs": len(truth_pairs),
        "python": platform.python_version(),
        "splink_version": splink_pkg.__version__,
        "duckdb_version": duckdb.__version__,
        "generate_seconds": generate_seconds,
        "load": load,
        "splink_prep": prep,
        "cpims": cpims,
        "splink": splink,
        "analysis": analysis,
        "blocking": blocking,
        "command": command,
        "total_seconds": time.perf_counter() - started,
    }
    rendered = render(result)
    print()
    print(rendered)
    if args.json:
        Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=1))
    if not args.no_doc:
        write_doc(result, rendered)
        print(f"wrote {DOC.relative_to(ROOT)}")
    if args.keep:
        print(f"kept {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)


DEFAULT_U_PAIRS = 1e7


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="number of person records")
    parser.add_argument("--seed", type=int, default=1, help="generator seed")
    parser.add_argument("--rounds", type=int, default=1, help="interleaved runs of each side")
    parser.add_argument(
        "--u-pairs", type=float, default=DEFAULT_U_PAIRS, help="Splink u-sampling pairs"
    )
    parser.add_argument("--examples", type=int, default=2, help="examples per category")
    parser.add_argument("--json", help="also write the full result to this JSON file")
    parser.add_argument("--no-doc", action="store_true", help="do not write docs/benchmarks.md")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    parser.add_argument(
        "--from-json", help="re-render the doc section from a --json result, without running"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--work", help=argparse.SUPPRESS)
    parser.add_argument("--threshold", type=float, default=THRESHOLDS[0], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        work = Path(args.work)
        if args.child == "load":
            child_load(work)
        elif args.child == "cpims":
            child_cpims(work, args.threshold)
        elif args.child == "splink-prep":
            child_splink_prep(work)
        elif args.child == "splink":
            child_splink(work, args.threshold, args.u_pairs, args.seed)
        elif args.child == "explain":
            child_explain(work)
        else:
            raise SystemExit(f"unknown child {args.child}")
        return
    if args.from_json:
        result = read_json(Path(args.from_json))
        rendered = render(result)
        print(rendered)
        if not args.no_doc:
            write_doc(result, rendered)
        return
    parent(args)


if __name__ == "__main__":
    main()
