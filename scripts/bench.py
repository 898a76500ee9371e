#!/usr/bin/env python3
"""End-to-end benchmark of `gen diff` against the Postgres floor.

Builds synthetic schemas of N tables (about ten columns each, a primary
key, a foreign key, a check, a few indexes, a sequence now and then) plus
a perturbed copy, then measures in the same run:

  floor      psql loading old.sql and new.sql into two databases in parallel
             on an already running local server (the least any tool that
             loads both sides into Postgres can take);
  gen        `gen diff --from old.sql --to new.sql`, end to end: sandbox
             start, loading both sides, introspection, planning;
  introspect `gen diff --from URL --to URL` on a loaded database (two
             introspections at once, no sandbox) against
  pg_dump    `pg_dump --schema-only` of the same database;
  memory     peak resident memory of the gen process.

Figures are medians over several runs and are reported as ratios, since
this machine is small and noisy. Usage: scripts/bench.py [--runs N] [SIZES...]
"""

import argparse
import os
import pwd
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


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
        if perturbed and rng.random() < 0.1:
            cols.append("note text DEFAULT '' NOT NULL")
        if perturbed and rng.random() < 0.05:
            cols[3] = "email varchar(320)"
        out.append(f"CREATE TABLE {name} (\n    " + ",\n    ".join(cols) + "\n);")
        out.append(f"CREATE INDEX t{i}_name_idx ON {name} (name);")
        out.append(f"CREATE INDEX t{i}_created_idx ON {name} (created_at DESC) WHERE active;")
        if not (perturbed and rng.random() < 0.05):
            out.append(f"CREATE UNIQUE INDEX t{i}_email_key ON {name} (lower(email));")
        out.append(f"COMMENT ON TABLE {name} IS 'table {i}';")
        if i % 10 == 0:
            out.append(f"CREATE SEQUENCE {s}.seq{i} START 100 INCREMENT 5;")
    return "\n".join(out) + "\n"


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def timed(cmd, **kw):
    start = time.perf_counter()
    run(cmd, **kw)
    return time.perf_counter() - start


def timed_with_memory(cmd):
    """Wall time and peak resident memory (MB) of one command, from wait4."""
    start = time.perf_counter()
    proc = subprocess.Popen([str(c) for c in cmd], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"error: {cmd[0]} failed: {proc.stderr.read().decode()}")
    return elapsed, usage.ru_maxrss / 1024


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
        self._as_user([bindir / "initdb", "-D", self.data, "-U", "postgres", "--auth=trust",
                       "-E", "UTF8", "--locale=C", "--no-sync"])
        self.proc = subprocess.Popen(
            self._prefix() + [str(bindir / "postgres"), "-D", str(self.data), "-k", str(self.sock),
                              "-c", "listen_addresses=", "-c", "fsync=off",
                              "-c", "synchronous_commit=off", "-c", "full_page_writes=off"],
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

    def url(self, db):
        return f"postgres://postgres@{str(self.sock).replace('/', '%2F')}/{db}"

    def stop(self):
        self.proc.terminate()
        self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


def pg_bindir() -> Path:
    for cand in sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name)):
        best = cand
    return best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("sizes", nargs="*", type=int, default=[100, 1000])
    args = ap.parse_args()

    run(["cargo", "build", "--release", "--quiet", "--bin", "gen"], cwd=ROOT)
    gen = ROOT / "target/release/gen"
    bindir = pg_bindir()
    server = Server(bindir)
    work = Path(tempfile.mkdtemp(prefix="gen-bench-files-"))
    try:
        # Warm the sandbox template so that first-run initdb is not measured.
        (work / "empty.sql").write_text("")
        run([gen, "diff", "--from", work / "empty.sql", "--to", work / "empty.sql"])
        print(f"{'tables':>6}  {'floor s':>8}  {'gen s':>7}  {'gen/floor':>9}  "
              f"{'introspect s':>12}  {'pg_dump s':>9}  {'ratio':>6}  {'peak MB':>7}")
        for n in args.sizes:
            old, new = work / f"old{n}.sql", work / f"new{n}.sql"
            old.write_text(schema(n, False))
            new.write_text(schema(n, True))
            floors, gens, intro, dumps = [], [], [], []
            peak = 0
            for r in range(args.runs):
                dbs = [f"f{n}_{r}_a", f"f{n}_{r}_b"]
                for db in dbs:
                    run(server.psql("postgres", "-c", f"CREATE DATABASE {db}"))
                start = time.perf_counter()
                procs = [subprocess.Popen(server.psql(db, "-f", str(f)), stdout=subprocess.DEVNULL)
                         for db, f in zip(dbs, (old, new))]
                if any(p.wait() for p in procs):
                    raise SystemExit("error: psql failed to load the synthetic schema")
                floors.append(time.perf_counter() - start)

                elapsed, mem = timed_with_memory([gen, "diff", "--from", old, "--to", new])
                gens.append(elapsed)
                peak = max(peak, mem)

                url = server.url(dbs[0])
                intro.append(timed([gen, "diff", "--from", url, "--to", url]))
                dumps.append(timed([bindir / "pg_dump", "--schema-only", "-h", server.sock,
                                    "-U", "postgres", "-f", os.devnull, dbs[0]]))
                for db in dbs:
                    run(server.psql("postgres", "-c", f"DROP DATABASE {db}"))
            f, g = statistics.median(floors), statistics.median(gens)
            i, d = statistics.median(intro), statistics.median(dumps)
            print(f"{n:>6}  {f:>8.3f}  {g:>7.3f}  {g / f:>9.2f}  {i:>12.3f}  {d:>9.3f}  "
                  f"{i / d:>6.2f}  {peak:>7.1f}", flush=True)
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
