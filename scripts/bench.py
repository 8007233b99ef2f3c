"""Benchmarks of the template: what no test asserts.

Bake time, the baked test suite's time and test count, the peak memory of
the baked CSV export, and how long an invitation and a publication take with
a mail server that needs 1 s per message against mail disabled (jobs queued
to Redis, a real worker; scripts/bench_jobs.py), and the REST API's requests
per second on gunicorn and PostgreSQL against a bare JSON endpoint of the same
processes (scripts/bench_api.py), and the same for the pages, with wrk as
the load generator, at 10,000 and 100 tasks (scripts/bench_pages.py). Query
counts are not measured here: the baked project's own
``articles/tests/test_queries.py`` and ``tasks/tests/test_queries.py`` assert
them.

    make bench                       # or: .venv/bin/python scripts/bench.py
    .venv/bin/python scripts/bench.py --bakes 9 --suite-runs 5 --strict

Each figure is the median of several runs, and says how many. Baking runs in
a temporary folder from a clean copy of the template (what git would commit).
The baked test suite runs on SQLite in a virtual environment built as the
tests build theirs (tests/baked_env.py), in the benchmark's temporary folder;
building it is not timed.

To add a figure, write a function that takes the ``Bench`` and returns a list
of ``Figure``, and append it to ``MEASUREMENTS``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from cookiecutter.main import cookiecutter  # noqa: E402

import baked_env  # noqa: E402
from template_source import clean_copy, quiet_stdout  # noqa: E402


@dataclass
class Figure:
    name: str
    value: float
    unit: str  # "s", "MB", "x" (a ratio) or "" for a count
    runs: int | None = None
    target: float | None = None  # the value must stay below this
    note: str = ""

    @property
    def met(self) -> bool | None:
        return None if self.target is None else self.value < self.target

    def render(self) -> str:
        if self.unit in ("s", "MB", "x"):
            value = f"{self.value:8.3f} {self.unit}"
            target = (
                f"target < {self.target:g} {self.unit}"
                if self.target is not None
                else ""
            )
        else:
            value = f"{self.value:8.0f}  "
            target = ""
        verdict = {True: "ok", False: "MISSED", None: ""}[self.met]
        runs = f"median of {self.runs} runs" if self.runs else ""
        details = "; ".join(part for part in (runs, self.note) if part)
        return f"  {self.name:<28}{value}   {target:<16}{verdict:<7}{details}"


@dataclass
class Bench:
    workdir: Path
    template: Path
    bakes: int
    suite_runs: int
    config_file: Path
    _counter: int = field(default=0)

    def out_dir(self) -> Path:
        self._counter += 1
        path = self.workdir / f"out{self._counter:03d}"
        path.mkdir()
        return path


def _bake(bench: Bench) -> Path:
    with quiet_stdout():
        return Path(
            cookiecutter(
                str(bench.template),
                no_input=True,
                output_dir=str(bench.out_dir()),
                config_file=str(bench.config_file),
            )
        )


def bake_in_process(bench: Bench) -> list[Figure]:
    times = []
    for _ in range(bench.bakes):
        start = time.perf_counter()
        _bake(bench)
        times.append(time.perf_counter() - start)
    return [
        Figure(
            "bake (in process)",
            statistics.median(times),
            "s",
            runs=bench.bakes,
            target=0.5,
            note="cookiecutter.main.cookiecutter(..., no_input=True)",
        )
    ]


def bake_cli(bench: Bench) -> list[Figure]:
    times = []
    for _ in range(bench.bakes):
        command = [
            sys.executable,
            "-m",
            "cookiecutter",
            str(bench.template),
            "--no-input",
            "--config-file",
            str(bench.config_file),
            "--output-dir",
            str(bench.out_dir()),
        ]
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return [
        Figure(
            "bake (CLI wall time)",
            statistics.median(times),
            "s",
            runs=bench.bakes,
            note="includes the interpreter's start",
        )
    ]


SUMMARY_COUNT = re.compile(
    r"(\d+) (passed|failed|skipped|xfailed|xpassed|errors?|deselected)"
)


def parse_pytest_summary(output: str) -> dict[str, int]:
    """The counts on pytest's closing line, e.g. {"passed": 205}."""
    lines = [line for line in output.splitlines() if SUMMARY_COUNT.search(line)]
    if not lines:
        return {}
    counts = {}
    for number, word in SUMMARY_COUNT.findall(lines[-1]):
        counts["errors" if word == "error" else word] = int(number)
    return counts


def _interpreter() -> baked_env.Interpreter | None:
    line = f"{sys.version_info[0]}.{sys.version_info[1]}"
    if sys.version_info[:2] not in baked_env.DJANGO_PINS:
        line = "3.11"
    return baked_env.find_interpreter(line)


def _env(
    bench: Bench, project: Path, interpreter: baked_env.Interpreter
) -> baked_env.BakedEnv:
    return baked_env.env_for_project(project, interpreter, root=bench.workdir / "envs")


def baked_suite(bench: Bench) -> list[Figure]:
    interpreter = _interpreter()
    if interpreter is None:
        print("  baked suite: skipped, no Python 3.11 interpreter found")
        return []
    project = _bake(bench)
    print(f"  (building a virtual environment for {interpreter.description})")
    env = _env(bench, project, interpreter)
    run_env = env.env()
    command = [str(env.python), "-m", "pytest", "-q", "-p", "no:cacheprovider"]

    def run() -> tuple[float, subprocess.CompletedProcess[str]]:
        start = time.perf_counter()
        proc = subprocess.run(
            command, cwd=project, env=run_env, capture_output=True, text=True
        )
        return time.perf_counter() - start, proc

    run()  # warm-up: bytecode compilation, file system caches
    times = []
    proc = None
    for _ in range(bench.suite_runs):
        elapsed, proc = run()
        times.append(elapsed)
    assert proc is not None
    if proc.returncode != 0:
        print(f"  baked suite: pytest exited {proc.returncode}; its last lines:")
        for line in proc.stdout.splitlines()[-10:]:
            print(f"    {line}")
    counts = parse_pytest_summary(proc.stdout)
    total = sum(
        counts.get(word, 0)
        for word in ("passed", "failed", "skipped", "xfailed", "xpassed", "errors")
    )
    breakdown = ", ".join(f"{n} {word}" for word, n in counts.items()) or "no summary"
    reported = re.findall(r" in ([\d.]+)s", proc.stdout)
    if reported:
        breakdown += f"; pytest reports {float(reported[-1]):.2f} s of it running"
    pin = env.django_pin
    return [
        Figure(
            "baked test suite (SQLite)",
            statistics.median(times),
            "s",
            runs=bench.suite_runs,
            target=3.0,
            note=f"pytest wall time, {interpreter.description}, {pin}, after 1 warm-up",
        ),
        Figure("baked test count", total, "", note=breakdown),
    ]


def csv_export_memory(bench: Bench) -> list[Figure]:
    """Peak memory of the CSV export at two sizes (scripts/bench_csv_export.py)."""
    interpreter = _interpreter()
    if interpreter is None:
        print("  CSV export: skipped, no Python 3.11 interpreter found")
        return []
    project = _bake(bench)
    env = _env(bench, project, interpreter)
    proc = subprocess.run(
        [str(env.python), str(ROOT / "scripts" / "bench_csv_export.py")],
        cwd=project,
        env=env.env() | {"DJANGO_SETTINGS_MODULE": "config.settings.test"},
        capture_output=True,
        text=True,
        check=True,
    )
    rows = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    memory = {int(row["tasks"]): float(row["mb"]) for row in rows}
    small, large = sorted(memory)
    return [
        Figure(
            "CSV export peak memory gap",
            memory[large] - memory[small],
            "MB",
            target=20,
            note=f"{large:,} tasks: {memory[large]:.1f} MB, "
            f"{small:,} tasks: {memory[small]:.1f} MB (tracemalloc peak)",
        )
    ]


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def job_latency(bench: Bench) -> list[Figure]:
    """Requests that queue mail, slow SMTP vs mail off (scripts/bench_jobs.py)."""
    interpreter = _interpreter()
    missing = [
        name
        for name, port in (("Redis", 6379), ("PostgreSQL", 5432))
        if not _reachable("127.0.0.1", port)
    ]
    if interpreter is None or missing:
        why = "no Python 3.11 interpreter" if interpreter is None else missing
        print(f"  job latency: skipped ({why} on 127.0.0.1)")
        return []
    project = _bake(bench)
    env = _env(bench, project, interpreter)
    proc = subprocess.run(
        [str(env.python), str(ROOT / "scripts" / "bench_jobs.py"), "--runs", "7"],
        cwd=project,
        env=env.env() | {"BENCH_JOBS_LOGS": str(bench.workdir)},
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        print(f"  job latency: bench_jobs.py exited {proc.returncode}:")
        for line in (proc.stdout + proc.stderr).splitlines()[-15:]:
            print(f"    {line}")
        return []
    rows = [json.loads(line) for line in proc.stdout.splitlines() if line[:1] == "{"]
    median = {(row["way"], row["request"]): row for row in rows if "way" in row}
    delivery = next(row for row in rows if "delivered" in row)
    figures = []
    for request in ("invite", "publish"):
        off, slow = median[("off", request)], median[("slow", request)]
        inline = median[("inline", request)]
        figures.append(
            Figure(
                f"{request}: SMTP 1 s / mail off",
                slow["s"] / off["s"],
                "x",
                target=1.5,
                note=f"medians of {slow['runs']} runs: {slow['s']:.3f} s with an "
                f"SMTP server taking 1 s, {off['s']:.3f} s with mail off; "
                f"{inline['s']:.3f} s with the mail sent inside the request",
            )
        )
    figures.append(
        Figure(
            "mails from the slow server",
            delivery["delivered"],
            "",
            note=f"{delivery['distinct']} distinct, {delivery['expected']} queued",
        )
    )
    return figures


def api_throughput(bench: Bench) -> list[Figure]:
    """REST API requests per second vs a bare endpoint (scripts/bench_api.py)."""
    interpreter = _interpreter()
    if interpreter is None or not _reachable("127.0.0.1", 5432):
        why = "no Python 3.11 interpreter" if interpreter is None else "no PostgreSQL"
        print(f"  API throughput: skipped ({why} on 127.0.0.1)")
        return []
    project = _bake(bench)
    env = _env(bench, project, interpreter)
    proc = subprocess.run(
        [str(env.python), str(ROOT / "scripts" / "bench_api.py"), "--tasks", "10000"],
        cwd=project,
        env=env.env(),
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        print(f"  API throughput: bench_api.py exited {proc.returncode}:")
        for line in (proc.stdout + proc.stderr).splitlines()[-15:]:
            print(f"    {line}")
        return []
    rows = [json.loads(line) for line in proc.stdout.splitlines() if line[:1] == "{"]
    bare = next(row for row in rows if row["path"] == "/bench/bare/")
    return [
        Figure(
            f"API {row['endpoint']}: bare / it",
            row["ratio"],
            "x",
            runs=row["rounds"],
            target=15,
            note=f"{row['rps']:.0f} req/s vs {bare['rps']:.0f} for a bare JSON view, "
            f"gunicorn ({row['workers']} workers), PostgreSQL, {row['tasks']} tasks",
        )
        for row in rows
        if row is not bare
    ]


def _wrk() -> str | None:
    """wrk's path; installed from Debian's packages when root may do so."""
    if shutil.which("wrk") or os.geteuid() != 0 or not shutil.which("apt-get"):
        return shutil.which("wrk")
    print("  (installing wrk: apt-get install -y wrk)")
    env = os.environ | {"DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-qq", "wrk"]
    for command in (install, ["apt-get", "update", "-qq"], install):
        subprocess.run(command, env=env, capture_output=True, check=False)
        if shutil.which("wrk"):
            break
    return shutil.which("wrk")


def page_throughput(bench: Bench) -> list[Figure]:
    """Pages' requests per second vs a bare view (scripts/bench_pages.py, wrk)."""
    interpreter = _interpreter()
    wrk = _wrk()
    if interpreter is None or wrk is None or not _reachable("127.0.0.1", 5432):
        why = (
            "no Python 3.11 interpreter"
            if interpreter is None
            else "wrk is missing: apt-get install wrk"
            if wrk is None
            else "no PostgreSQL on 127.0.0.1"
        )
        print(f"  page throughput: skipped ({why})")
        return []
    project = _bake(bench)
    env = _env(bench, project, interpreter)
    command = [str(env.python), str(ROOT / "scripts" / "bench_pages.py")]
    proc = subprocess.run(
        [*command, "--tasks", "10000", "--small", "100", "--wrk", wrk],
        cwd=project,
        env=env.env(),
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        print(f"  page throughput: bench_pages.py exited {proc.returncode}:")
        for line in (proc.stdout + proc.stderr).splitlines()[-15:]:
            print(f"    {line}")
        return []
    rows = [json.loads(line) for line in proc.stdout.splitlines() if line[:1] == "{"]
    bare = next(row for row in rows if row["path"] == "/bench/bare/")
    lists = sorted(
        (row for row in rows if row["page"] == "task list"), key=lambda r: r["tasks"]
    )
    figures = [
        Figure(
            f"{row['page']} ({row['tasks']:,} tasks): bare / it",
            row["ratio"],
            "x",
            runs=row["rounds"],
            target=12,
            note=f"{row['rps']:.0f} req/s vs {bare['rps']:.0f} for a bare view, "
            f"gunicorn ({row['workers']} workers), PostgreSQL, wrk "
            f"({row['clients']} connections); workers' CPU {row['cpu_ms']:.1f} ms "
            f"a request, {row['cpu_ratio']:.1f} x the bare view's; "
            f"load average {row['load']:g} on {os.cpu_count()} cores",
        )
        for row in rows
        if row is not bare
    ]
    if len(lists) == 2:
        small, large = lists
        figures.append(
            Figure(
                "task list: 100 / 10,000 tasks",
                small["rps"] / large["rps"],
                "x",
                runs=large["rounds"],
                target=1.25,  # the 10,000 tasks' figure at least 80% of the 100's
                note=f"{small['rps']:.0f} req/s with {small['tasks']:,} tasks, "
                f"{large['rps']:.0f} with {large['tasks']:,}",
            )
        )
    return figures


MEASUREMENTS: list[Callable[[Bench], list[Figure]]] = [
    bake_in_process,
    bake_cli,
    baked_suite,
    csv_export_memory,
    job_latency,
    api_throughput,
    page_throughput,
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bakes", type=int, default=5, help="runs per bake figure")
    parser.add_argument(
        "--suite-runs", type=int, default=3, help="runs of the baked test suite"
    )
    parser.add_argument(
        "--strict", action="store_true", help="exit 1 when a target is missed"
    )
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        workdir = Path(tmp)
        config_file = workdir / "cookiecutter-config.yaml"
        config_file.write_text(
            f"cookiecutters_dir: {workdir / 'cookiecutters'}\n"
            f"replay_dir: {workdir / 'replay'}\n",
            encoding="utf-8",
        )
        bench = Bench(
            workdir=workdir,
            template=clean_copy(workdir / "template"),
            bakes=args.bakes,
            suite_runs=args.suite_runs,
            config_file=config_file,
        )
        print(f"Benchmarks on {os.cpu_count()} cores, Python {sys.version.split()[0]}")
        figures: list[Figure] = []
        for measure in MEASUREMENTS:
            for figure in measure(bench):
                figures.append(figure)
                print(figure.render(), flush=True)

    missed = [figure.name for figure in figures if figure.met is False]
    if missed:
        print(f"Missed targets: {', '.join(missed)}")
    return 1 if missed and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
