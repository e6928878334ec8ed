#!/usr/bin/env python3
"""Load on chain serve: 200 signed Gitea webhooks for 20 repositories sent in one burst by a bounded client
(one connection per repository at a time, 20 at once) on loopback. Checks that every webhook is answered
202, none is lost (200 runs in the history), each ref's newest push runs and the pushes it replaced while
queued are `superseded`; prints requests per second, p50/p99 latency of the webhook answer and the
server's peak memory.
    python3 bench/serve_bench.py build/chain [REPOSITORIES] [PUSHES_PER_REPOSITORY]"""
import concurrent.futures
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "server"))
from serverlib import Server, commit_files, git, make_repository, temporary_folder  # noqa: E402

PIPELINE = 'pipeline "bench"\n\nstage build {\n  sh("true")\n}\n'


def peak_memory_kb(pid):
    with open(f"/proc/{pid}/status", encoding="utf-8") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def main(chain, repositories=20, pushes=10):
    with temporary_folder() as root:
        commits = {}
        bares = {}
        for i in range(repositories):
            name = f"repo{i:02d}"
            work, bare = make_repository(root, name, {"pipeline.chain": PIPELINE})
            commits[name] = [commit_files(work, {"n": f"{n}\n"}, f"change {n}") for n in range(pushes)]
            git("push", "-q", "origin", "develop", cwd=work)
            bares[name] = bare
        server = Server(chain, root, bares, jobs=2).start()
        try:
            def send(name):
                latencies = []
                for commit in commits[name]:
                    started = time.monotonic()
                    status, _ = server.gitea_push(name, "refs/heads/develop", commit)
                    latencies.append(time.monotonic() - started)
                    assert status == 202, (name, status)
                return latencies

            started = time.monotonic()
            with concurrent.futures.ThreadPoolExecutor(max_workers=repositories) as pool:
                latencies = sorted(sum(pool.map(send, commits), []))
            elapsed = time.monotonic() - started

            deadline = time.monotonic() + 600
            while True:
                runs = server.get_json("/api/runs")
                if not any(run["status"] in ("queued", "running") for run in runs) or time.monotonic() > deadline:
                    break
                time.sleep(0.2)
            drained = time.monotonic() - started
            assert len(runs) == repositories * pushes, f"{len(runs)} runs for {repositories * pushes} webhooks"
            by_status = {}
            for run in runs:
                by_status[run["status"]] = by_status.get(run["status"], 0) + 1
            for name in commits:
                mine = sorted((r for r in runs if r["repository"] == name), key=lambda r: r["id"])
                assert mine[-1]["commit"] == commits[name][-1] and mine[-1]["status"] == "success", mine[-1]
                assert all(r["status"] in ("success", "superseded") for r in mine), mine
            memory = peak_memory_kb(server.process.pid)
        finally:
            server.stop()
    count = len(latencies)
    print(f"{count} webhooks for {repositories} repositories in {elapsed:.2f} s: {count / elapsed:.0f} requests/s")
    print(f"webhook answer: p50 {latencies[count // 2] * 1000:.1f} ms, "
          f"p99 {latencies[min(count - 1, int(count * 0.99))] * 1000:.1f} ms, max {latencies[-1] * 1000:.1f} ms")
    print(f"runs: {', '.join(f'{n} {s}' for s, n in sorted(by_status.items()))}; all done {drained:.1f} s after the burst began")
    print(f"server peak memory (VmHWM): {memory / 1024:.1f} MiB")


if __name__ == "__main__":
    main(sys.argv[1], *(int(a) for a in sys.argv[2:]))
