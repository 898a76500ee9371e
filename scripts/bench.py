#!/usr/bin/env python3
"""End-to-end benchmark of `gen diff` against the Postgres floor.

Builds synthetic schemas of N tables (ten columns each, an identity primary
key, a foreign key, a check, three more indexes, a comment, a sequence every
tenth table) plus a perturbed copy (added columns, a widened type, dropped
indexes), checks that the loaded schema really has that shape and that the
perturbed copy gives a plan of the expected size, then measures in the same
run:

  floor      psql loading old.sql and new.sql into two databases in parallel
             on an already running local server with the sandbox's settings
             (the least any tool that loads both sides into Postgres takes);
  1tx s      the same two loads, each sent the way gen sends schema files:
             one multi-statement query, so one transaction (diagnostic: how
             much of gen's time is the server loading that way);
  gen        `gen diff --from old.sql --to new.sql`, end to end: parsing,
             sandbox start, loading both sides, introspection, planning,
             sandbox stop;
  introspect `gen diff --from URL --to URL` on a loaded database (two
             introspections at once and a plan, no sandbox) against
  pg_dump    `pg_dump --schema-only` of the same database;
  memory     peak resident memory of the gen process itself (VmHWM): the
             servers it starts are other processes and are not counted.

Figures are medians over several runs and are reported as ratios too, since
this machine is small and shared. The load average is printed with them.
It also measures `gen check` on the bundled example (schema/ and
migrations/): uncached (an empty cache directory, so the run also stores
its snapshot, as a first check does) against the floor of replaying the
migrations and loading the schema files with psql in parallel, and cached.
Uncached runs use the sandbox's warm server, as a developer's runs do; the
first run after `gen sandbox stop` (cold: it starts the server) is
reported on its own. The warm server is stopped at the end.

With --order it measures reading, parsing and ordering schema files alone
(the gen-source example `load_order --time`, release build: the whole load,
and parsing and ordering measured apart on one thread): files of
10,000, 40,000 and 100,000 statements, `SELECT i;` lines and the synthetic
tables scaled up, each against the 10,000-statement file of its kind in the
same run, so that the ratio shows whether the loader stays linear.

Usage: scripts/bench.py [--runs N] [--check-only] [--order] [--gen PATH] [SIZES...]
"""

import argparse
import os
import pwd
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The settings gen's local sandbox starts its server with
# (crates/gen-sandbox/src/local.rs), so that the floor is loaded by the same
# kind of server that gen loads into.
SANDBOX_SETTINGS = [
    "fsync=off",
    "synchronous_commit=off",
    "full_page_writes=off",
    "shared_buffers=32MB",
    "max_connections=50",
    "max_locks_per_transaction=1024",
    "autovacuum=off",
    "jit=off",
    "dynamic_shared_memory_type=mmap",
    "TimeZone=UTC",
    "DateStyle=ISO, MDY",
    "lc_messages=C",
]


def schema(tables: int, perturbed: bool, seed: int = 7) -> str:
    rng = random.Random(seed)
    out = ["CREATE SCHEMA app;", "CREATE SCHEMA billing;"]
    for i in range(tables):
        s = "app" if i % 3 else "billing"
        name = f"{s}.t{i}"
        cols = [
            "id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
            f"parent_id bigint REFERENCES {'app' if (i - 1) % 3 else 'billing'}.t{i - 1}(id)" if i else "parent_id bigint",
            "name text NOT NULL",
            "email varchar(200)",
            "amount numeric(12,2) DEFAULT 0 NOT NULL",
            "quantity integer CHECK (quantity >= 0)",
            "created_at timestamptz DEFAULT now() NOT NULL",
            "updated_at timestamptz",
            "active boolean DEFAULT true NOT NULL",
            "payload jsonb",
        ]
        # Draw every number in both copies, so that each table's fate does
        # not depend on what happened to the tables before it.
        add_note, widen, drop_key = rng.random(), rng.random(), rng.random()
        if perturbed and add_note < 0.1:
            cols.append("note text DEFAULT '' NOT NULL")
        if perturbed and widen < 0.05:
            cols[3] = "email varchar(320)"
        out.append(f"CREATE TABLE {name} (\n    " + ",\n    ".join(cols) + "\n);")
        out.append(f"CREATE INDEX t{i}_name_idx ON {name} (name);")
        out.append(f"CREATE INDEX t{i}_created_idx ON {name} (created_at DESC) WHERE active;")
        if not (perturbed and drop_key < 0.05):
            out.append(f"CREATE UNIQUE INDEX t{i}_email_key ON {name} (lower(email));")
        out.append(f"COMMENT ON TABLE {name} IS 'table {i}';")
        if i % 10 == 0:
            out.append(f"CREATE SEQUENCE {s}.seq{i} START 100 INCREMENT 5;")
    return "\n".join(out) + "\n"


def expected_changes(tables: int, seed: int = 7) -> int:
    """How many objects the perturbation touches: added columns, widened
    columns and dropped indexes."""
    rng = random.Random(seed)
    n = 0
    for _ in range(tables):
        add_note, widen, drop_key = rng.random(), rng.random(), rng.random()
        n += (add_note < 0.1) + (widen < 0.05) + (drop_key < 0.05)
    return n


def run(cmd, **kw):
    return subprocess.run([str(c) for c in cmd], check=True, capture_output=True, text=True, **kw)


def settle(window=0.1, idle=0.9, limit=3.0):
    """Waits until the machine has been idle for a window (or `limit` passes).

    A warm server's watcher drops the databases of the run that just ended
    and creates ready ones; measured while it works, the next command (a
    floor or a gen run) would share the CPU with it and look slower.
    """
    def ticks():
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        return fields[3] + fields[4], sum(fields)
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        idle0, total0 = ticks()
        time.sleep(window)
        idle1, total1 = ticks()
        if total1 > total0 and (idle1 - idle0) / (total1 - total0) >= idle:
            return


def timed(cmd, **kw):
    start = time.perf_counter()
    run(cmd, **kw)
    return time.perf_counter() - start


def timed_with_memory(cmd, cwd, stages=None):
    """Wall time and peak resident memory (MB) of the command's own process.

    wait4's ru_maxrss cannot be used for gen: it also covers the children
    the process reaped, and gen reaps its postgres server, whose own maxrss
    covers the backends (shared buffers included). So VmHWM, the process's
    own high-water mark, is sampled until it exits; the mark only grows, so
    the last sample misses at most what grew in the last millisecond.
    """
    env = dict(os.environ, GEN_TIMINGS="1") if stages is not None else None
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen([str(c) for c in cmd], cwd=cwd, stdout=subprocess.DEVNULL, stderr=err,
                                env=env)
        peak_kb = 0
        status = Path(f"/proc/{proc.pid}/status")
        while proc.poll() is None:
            try:
                m = re.search(r"^VmHWM:\s+(\d+) kB", status.read_text(), re.M)
                if m:
                    peak_kb = max(peak_kb, int(m.group(1)))
            except OSError:
                pass
            time.sleep(0.001)
        elapsed = time.perf_counter() - start
        err.seek(0)
        stderr = err.read().decode()
        if proc.returncode != 0:
            raise SystemExit(f"error: {cmd[0]} failed: {stderr}")
    if stages is not None:
        stages.append(parse_timings(stderr))
    return elapsed, peak_kb / 1024


STAGES = ("parse", "order", "load", "introspect", "diff", "plan", "render")


def parse_timings(stderr: str) -> dict:
    """The stage times of gen's `gen: timings: parse 0.012 s, …` line."""
    m = re.search(r"^gen: timings: (.*)$", stderr, re.M)
    if not m:
        raise SystemExit(f"error: gen printed no timings with GEN_TIMINGS=1:\n{stderr}")
    found = dict(re.findall(r"(\w+) ([\d.]+) s", m.group(1)))
    return {stage: float(found[stage]) for stage in STAGES}


class Server:
    """A local throwaway server for the floor measurements."""

    def __init__(self, bindir: Path):
        self.bindir = bindir
        base = Path("/dev/shm") if os.access("/dev/shm", os.W_OK) else Path(tempfile.gettempdir())
        self.dir = Path(tempfile.mkdtemp(prefix="gen-bench-", dir=base))
        self.data, self.sock = self.dir / "data", self.dir / "sock"
        self.sock.mkdir()
        self.user = None
        if os.geteuid() == 0:
            self.user = pwd.getpwnam("postgres")
            for p in (self.dir, self.sock):
                os.chown(p, self.user.pw_uid, self.user.pw_gid)
        # The same initdb options as gen's sandbox template.
        self._as_user([bindir / "initdb", "-D", self.data, "-U", "postgres", "--auth=trust",
                       "-E", "UTF8", "--locale=C", "--no-sync", "--wal-segsize=1"])
        settings = [a for s in ["listen_addresses=", f"unix_socket_directories={self.sock}", *SANDBOX_SETTINGS]
                    for a in ("-c", s)]
        # Started directly (not through runuser), so that terminate() reaches
        # the postmaster itself.
        self.proc = subprocess.Popen(
            [str(bindir / "postgres"), "-D", str(self.data), *settings],
            user=self.user.pw_uid if self.user else None,
            group=self.user.pw_gid if self.user else None,
            env={**os.environ, "TZ": "UTC"},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            if subprocess.run([bindir / "pg_isready", "-q", "-h", self.sock]).returncode == 0:
                return
            time.sleep(0.1)
        raise SystemExit("error: the benchmark server did not start")

    def _prefix(self):
        return ["runuser", "-u", "postgres", "--"] if self.user else []

    def _as_user(self, cmd):
        run(self._prefix() + [str(c) for c in cmd])

    def psql(self, db, *args):
        return [str(self.bindir / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1",
                "-h", str(self.sock), "-U", "postgres", "-d", db, *args]

    def query(self, db, sql):
        return run(self.psql(db, "-At", "-F", " ", "-c", sql)).stdout.strip()

    def url(self, db):
        return f"postgres://postgres@{str(self.sock).replace('/', '%2F')}/{db}"

    def stop(self):
        self.proc.terminate()
        self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


def pg_bindir() -> Path:
    """The newest installed server, which is also the one gen finds."""
    cands = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    if not cands:
        raise SystemExit("error: no PostgreSQL server under /usr/lib/postgresql")
    return cands[-1]


def as_one_query(sql: str) -> str:
    """The script as psql sends one multi-statement query: every statement
    separator but the last escaped. The synthetic schemas have no semicolon
    inside a statement."""
    stmts = [s for s in sql.split(";\n") if s.strip()]
    return "\\;\n".join(stmts) + ";\n"


def check_shape(server: Server, db: str, n: int):
    """Fails unless the loaded schema has the shape the benchmark claims."""
    row = server.query(db, """
        SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
                WHERE c.relkind = 'r' AND s.nspname IN ('app', 'billing')),
               (SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
                JOIN pg_namespace s ON s.oid = c.relnamespace
                WHERE c.relkind = 'r' AND s.nspname IN ('app', 'billing') AND a.attnum > 0),
               (SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
                JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname IN ('app', 'billing')),
               (SELECT count(*) FILTER (WHERE contype = 'f') FROM pg_constraint WHERE connamespace = ANY (ns.oids)),
               (SELECT count(*) FILTER (WHERE contype = 'c') FROM pg_constraint WHERE connamespace = ANY (ns.oids)),
               (SELECT count(*) FILTER (WHERE contype = 'p') FROM pg_constraint WHERE connamespace = ANY (ns.oids)),
               (SELECT count(*) FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid
                WHERE c.relnamespace = ANY (ns.oids))
        FROM (SELECT array_agg(oid) AS oids FROM pg_namespace
              WHERE nspname IN ('app', 'billing')) ns""")
    tables, cols, idx, fks, checks, pks, seqs = map(int, row.split())
    print(f"# {n} tables: {cols / tables:.1f} columns, {idx / tables:.1f} indexes (PK included), "
          f"{fks} FKs, {checks} checks, {pks} PKs, {seqs} sequences (identity included)", flush=True)
    ok = (tables == n and cols == 10 * n and idx == 4 * n and fks == n - 1 and checks == n
          and pks == n and seqs == n + (n + 9) // 10)
    if not ok:
        raise SystemExit(f"error: the synthetic schema of {n} tables does not have the expected shape")


def check_plan(gen: Path, old: Path, new: Path, n: int, cwd: Path):
    """Fails unless the perturbed copy gives a plan touching every perturbed object."""
    plan = run([gen, "diff", "--from", old, "--to", new], cwd=cwd).stdout
    stmts = [line for line in plan.splitlines() if line.endswith(";") and not line.startswith("--")]
    adds = plan.count("ADD COLUMN note")
    types = plan.count("TYPE character varying(320)")
    drops = len(re.findall(r"DROP INDEX \S+_email_key", plan))
    expected = expected_changes(n)
    print(f"# {n} tables: plan of {len(stmts)} statements: {adds} columns added, {types} retyped, "
          f"{drops} indexes dropped ({expected} perturbations)", flush=True)
    if adds + types + drops != expected:
        raise SystemExit(f"error: the plan for {n} tables does not cover the perturbation:\n{plan[:2000]}")


def load_order(server: Server, files):
    """An order in which psql loads the files, found by trial (untimed):
    schema files reference each other across files, which gen orders by
    the names they define and use."""
    run(server.psql("postgres", "-c", "CREATE DATABASE order_probe"))
    order, left = [], list(files)
    try:
        while left:
            for f in left:
                probe = subprocess.run(server.psql("order_probe", "-1", "-f", str(f)),
                                       capture_output=True)
                if probe.returncode == 0:
                    order.append(f)
                    left.remove(f)
                    break
            else:
                raise SystemExit(f"error: no load order for the example's schema files: {left}")
    finally:
        run(server.psql("postgres", "-c", "DROP DATABASE order_probe"))
    return order


def bench_check(gen: Path, server: Server, runs: int):
    """`gen check` on the bundled example: cached, uncached, and the floor.

    The floor is psql replaying the migrations into one database and
    loading the schema files into another, in parallel, on the same kind of
    server: what any check that loads both sides into Postgres must take.
    """
    work = Path(tempfile.mkdtemp(prefix="gen-bench-check-"))
    try:
        for part in ("gen.toml", "schema", "migrations"):
            src = ROOT / part
            (shutil.copytree if src.is_dir() else shutil.copy)(src, work / part)
        cache = work / "cache"
        env = {**os.environ, "GEN_CACHE_DIR": str(cache)}
        plan = [line.split()[0] for line in (work / "migrations/sqitch.plan").read_text().splitlines()
                if line and not line.startswith(("%", "#", "@"))]
        deploys = [work / "migrations/deploy" / f"{name}.sql" for name in plan]
        schema_files = load_order(server, sorted((work / "schema").rglob("*.sql")))
        floors, uncached, cached = [], [], []
        run([gen, "sandbox", "stop"], cwd=work, env=env)
        cold = timed([gen, "check"], cwd=work, env=env)
        shutil.rmtree(cache, ignore_errors=True)
        for r in range(runs):
            dbs = [f"check_{r}_a", f"check_{r}_b"]
            for db in dbs:
                run(server.psql("postgres", "-c", f"CREATE DATABASE {db}"))
            settle()
            start = time.perf_counter()
            procs = [subprocess.Popen(server.psql(db, *[a for f in files for a in ("-f", str(f))]),
                                      stdout=subprocess.DEVNULL)
                     for db, files in zip(dbs, (deploys, schema_files))]
            if any(p.wait() for p in procs):
                raise SystemExit("error: psql failed to load the example")
            floors.append(time.perf_counter() - start)
            for db in dbs:
                run(server.psql("postgres", "-c", f"DROP DATABASE {db}"))
            shutil.rmtree(cache, ignore_errors=True)
            settle()
            uncached.append(timed([gen, "check"], cwd=work, env=env))
        run([gen, "check"], cwd=work, env=env)
        for _ in range(runs):
            settle()
            cached.append(timed([gen, "check"], cwd=work, env=env))
        f, u, c = statistics.median(floors), statistics.median(uncached), statistics.median(cached)
        print(f"# gen check on the example, all runs: floor {fmt(floors)}  uncached {fmt(uncached)}  "
              f"cached {fmt(cached)}  cold {cold:.3f}", flush=True)
        print(f"{'check':>6}  {'floor s':>7}  {'uncached s':>10}  {'uncached/floor':>14}  {'cached ms':>9}  "
              f"{'cold s':>6}  {'cold/floor':>10}")
        print(f"{'':>6}  {f:>7.3f}  {u:>10.3f}  {u / f:>14.2f}  {c * 1000:>9.1f}  {cold:>6.3f}  {cold / f:>10.2f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def bench_check_at(gen: Path, n: int, runs: int):
    """`gen check` on a project of `n` synthetic tables whose one change
    matches its schema: uncached, cached (inputs unchanged since a check
    that matched), and after one schema file is edited (drift found)."""
    work = Path(tempfile.mkdtemp(prefix="gen-bench-bigcheck-"))
    try:
        env = {**os.environ, "GEN_CACHE_DIR": str(work / "cache")}
        run([gen, "init", "--project", "bench"], cwd=work, env=env)
        (work / "schema").mkdir(exist_ok=True)
        (work / "schema/app.sql").write_text(schema(n, False))
        run([gen, "add", "base", "--allow-hazard", "deletes-data"], cwd=work, env=env)
        uncached, cached, edited = [], [], []
        for _ in range(runs):
            settle()
            uncached.append(timed([gen, "check", "--no-cache"], cwd=work, env=env))
        run([gen, "check"], cwd=work, env=env)
        for _ in range(max(runs, 5)):
            settle()
            cached.append(timed([gen, "check"], cwd=work, env=env))
        for r in range(runs):
            # Another schema file each time: a key never seen.
            (work / f"schema/extra{r}.sql").write_text(f"CREATE TABLE public.extra{r} (id int);\n")
            settle()
            start = time.perf_counter()
            status = subprocess.run([str(gen), "check"], cwd=work, env=env,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
            edited.append(time.perf_counter() - start)
            if status != 1:
                raise SystemExit(f"error: gen check after an edit exited {status}, not 1")
            (work / f"schema/extra{r}.sql").unlink()
        u, c, e = statistics.median(uncached), statistics.median(cached), statistics.median(edited)
        print(f"# gen check on {n} tables, all runs: uncached {fmt(uncached)}  cached {fmt(cached)}  "
              f"one file edited {fmt(edited)}", flush=True)
        print(f"{'check':>6}  {'uncached s':>10}  {'cached ms':>9}  {'edited s':>8}  {'edited/uncached':>15}")
        print(f"{n:>6}  {u:>10.3f}  {c * 1000:>9.1f}  {e:>8.3f}  {e / u:>15.2f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--check-only", action="store_true",
                    help="only measure `gen check` on the bundled example")
    ap.add_argument("sizes", nargs="*", type=int, default=[100, 1000])
    ap.add_argument("--order", action="store_true",
                    help="only measure parsing and ordering of large schema files")
    ap.add_argument("--check-at", type=int, metavar="TABLES",
                    help="only measure `gen check` on a project of this many synthetic tables")
    ap.add_argument("--gen", type=Path,
                    help="measure this gen binary instead of building target/release/gen")
    args = ap.parse_args()

    if args.order:
        return bench_order(args.runs)
    if args.gen:
        gen = args.gen.resolve()
    else:
        run(["cargo", "build", "--release", "--quiet", "--bin", "gen"], cwd=ROOT)
        gen = ROOT / "target/release/gen"
    bindir = pg_bindir()
    server = Server(bindir)
    work = Path(tempfile.mkdtemp(prefix="gen-bench-files-"))
    try:
        # Warm the sandbox template so that first-run initdb is not measured.
        (work / "empty.sql").write_text("")
        run([gen, "diff", "--from", work / "empty.sql", "--to", work / "empty.sql"], cwd=work)
        print(f"# load average before: {loadavg()}", flush=True)
        if args.check_at:
            bench_check_at(gen, args.check_at, args.runs)
            print(f"# load average after: {loadavg()}")
            return
        bench_check(gen, server, args.runs)
        if args.check_only:
            return
        rows = []
        per_stage = {}
        for n in args.sizes:
            old, new = work / f"old{n}.sql", work / f"new{n}.sql"
            old.write_text(schema(n, False))
            new.write_text(schema(n, True))
            old1, new1 = work / f"old{n}.1tx.sql", work / f"new{n}.1tx.sql"
            old1.write_text(as_one_query(old.read_text()))
            new1.write_text(as_one_query(new.read_text()))
            check_plan(gen, old, new, n, work)
            floors, onetx, gens, intro, dumps, stages = [], [], [], [], [], []
            peak = 0.0
            for r in range(args.runs):
                dbs = [f"f{n}_{r}_a", f"f{n}_{r}_b", f"f{n}_{r}_c", f"f{n}_{r}_d"]
                for db in dbs:
                    run(server.psql("postgres", "-c", f"CREATE DATABASE {db}"))
                for mode, files, out in (("floor", (old, new), floors), ("1tx", (old1, new1), onetx)):
                    targets = dbs[:2] if mode == "floor" else dbs[2:]
                    start = time.perf_counter()
                    procs = [subprocess.Popen(server.psql(db, "-f", str(f)), stdout=subprocess.DEVNULL)
                             for db, f in zip(targets, files)]
                    if any(p.wait() for p in procs):
                        if mode == "1tx":
                            # Beyond about 2400 tables one transaction runs
                            # out of the lock table (as gen's batch does,
                            # which then loads statement by statement).
                            out.append(float("nan"))
                            continue
                        raise SystemExit("error: psql failed to load the synthetic schema")
                    out.append(time.perf_counter() - start)
                if r == 0:
                    check_shape(server, dbs[0], n)

                elapsed, mem = timed_with_memory([gen, "diff", "--from", old, "--to", new], work, stages)
                gens.append(elapsed)
                peak = max(peak, mem)

                url = server.url(dbs[0])
                elapsed, mem = timed_with_memory([gen, "diff", "--from", url, "--to", url], work)
                intro.append(elapsed)
                peak = max(peak, mem)
                dumps.append(timed([bindir / "pg_dump", "--schema-only", "-h", server.sock,
                                    "-U", "postgres", "-f", os.devnull, dbs[0]]))
                for db in dbs:
                    run(server.psql("postgres", "-c", f"DROP DATABASE {db}"))
            f, o, g = statistics.median(floors), statistics.median(onetx), statistics.median(gens)
            i, d = statistics.median(intro), statistics.median(dumps)
            per_stage[n] = {st: statistics.median(run[st] for run in stages) for st in STAGES}
            rows.append(f"{n:>6}  {f:>7.3f}  {o:>6.3f}  {g:>6.3f}  {g / f:>9.2f}  {i:>12.3f}  "
                        f"{d:>9.3f}  {i / d:>6.2f}  {peak:>7.1f}")
            print(f"# {n} tables, all runs: floor {fmt(floors)}  1tx {fmt(onetx)}  gen {fmt(gens)}  "
                  f"introspect {fmt(intro)}  pg_dump {fmt(dumps)}", flush=True)
        print(f"# load average after: {loadavg()}")
        print(f"{'tables':>6}  {'floor s':>7}  {'1tx s':>6}  {'gen s':>6}  {'gen/floor':>9}  "
              f"{'introspect s':>12}  {'pg_dump s':>9}  {'ratio':>6}  {'peak MB':>7}")
        for row in rows:
            print(row)
        print_stages(per_stage)
    finally:
        server.stop()
        subprocess.run([gen, "sandbox", "stop"], stdout=subprocess.DEVNULL)
        shutil.rmtree(work, ignore_errors=True)


def print_stages(per_stage: dict):
    """Each stage's median seconds in `gen diff` from files, per size, and
    against the smallest size its growth over the tables' growth (1.00 is
    linear; the targets allow 1.10)."""
    sizes = sorted(per_stage)
    if not sizes:
        return
    print()
    print(f"{'stage':<10}" + "".join(f"  {n:>8}" for n in sizes)
          + "".join(f"  {'x' + str(n):>9}" for n in sizes[1:]))
    base = sizes[0]
    for st in STAGES:
        cells = "".join(f"  {per_stage[n][st]:>8.3f}" for n in sizes)
        growth = ""
        for n in sizes[1:]:
            t0, t1 = per_stage[base][st], per_stage[n][st]
            growth += f"  {(t1 / t0) / (n / base):>9.2f}" if t0 > 0.0005 else f"  {'-':>9}"
        print(f"{st:<10}{cells}{growth}")
    print(f"(seconds, summed over both sides; x{sizes[-1]} is the stage's growth from {base} "
          f"tables divided by the tables' growth)")


def bench_order(runs: int):
    """Parsing and ordering alone, 10k to 100k statements."""
    run(["cargo", "build", "--release", "--quiet", "-p", "gen-source", "--example", "load_order"],
        cwd=ROOT)
    tool = ROOT / "target/release/examples/load_order"
    work = Path(tempfile.mkdtemp(prefix="gen-bench-order-"))
    try:
        print(f"# load average before: {loadavg()}", flush=True)
        rows = []
        for kind in ("select", "tables"):
            base = None
            for n in (10_000, 40_000, 100_000):
                path = work / f"{kind}{n}.sql"
                if kind == "select":
                    path.write_text("".join(f"SELECT {i};\n" for i in range(n)))
                else:
                    # About five statements a table in the synthetic schema.
                    path.write_text(schema(max(1, n // 5), False))
                times, parses, orders, count = [], [], [], 0
                for _ in range(runs):
                    settle()
                    out = subprocess.run([tool, "--time", path], capture_output=True, text=True,
                                         check=True).stdout
                    m = re.match(r"(\d+) statements in ([\d.]+) s, parsing ([\d.]+) s, "
                                 r"ordering ([\d.]+) s", out)
                    count, t = int(m.group(1)), float(m.group(2))
                    times.append(t)
                    parses.append(float(m.group(3)))
                    orders.append(float(m.group(4)))
                t, p, o = (statistics.median(x) for x in (times, parses, orders))
                base = base or t / count
                rows.append(f"{kind:>7}  {count:>10}  {t:>8.3f}  {p:>8.3f}  {o:>8.3f}  "
                            f"{t / count * 1e6:>8.1f}  {t / count / base:>14.2f}")
                print(f"# {kind} {count} statements, all runs: load {fmt(times)} "
                      f"parse {fmt(parses)} order {fmt(orders)}", flush=True)
        print(f"# load average after: {loadavg()}")
        print(f"{'kind':>7}  {'statements':>10}  {'load s':>8}  {'parse s':>8}  {'order s':>8}  "
              f"{'us/stmt':>8}  {'per stmt vs 10k':>14}")
        for row in rows:
            print(row)
        print_stages(per_stage)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def fmt(xs):
    return "[" + " ".join(f"{x:.2f}" for x in xs) + "]"


if __name__ == "__main__":
    sys.exit(main())
