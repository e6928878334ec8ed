#!/usr/bin/env python3
"""State that survives: the server is killed with SIGKILL in the middle of a run; its step's process is gone,
the run is `interrupted` (its record too) after the restart, a run queued before the kill still runs, and a
run replaced by a newer push of its ref while queued stays `superseded`. Then SIGTERM: the running run is
interrupted, the server exits 0."""
import os
import signal
import sys
import time

from serverlib import Server, commit_files, git, make_repository, process_gone, temporary_folder, wait_for_file


def pipeline(pid_file):
    return f'''pipeline "slow"

stage wait when develop {{
  sh("echo waiting; echo $$ > {pid_file}; exec sleep 300")
}}

stage quick when feature/* {{
  sh("echo quick")
}}
'''


def read_pid(path):
    with open(path, encoding="utf-8") as f:
        return int(f.read().strip())


def main(chain):
    with temporary_folder() as root:
        pid_file = os.path.join(root, "step.pid")
        work, bare = make_repository(root, "slow", {"pipeline.chain": pipeline(pid_file)})
        develop = git("rev-parse", "HEAD", cwd=work)
        git("checkout", "-q", "-b", "feature/x", cwd=work)
        first = commit_files(work, {"a": "1\n"}, "feature one")
        second = commit_files(work, {"a": "2\n"}, "feature two")
        git("push", "-q", "origin", "feature/x", cwd=work)

        server = Server(chain, root, {"slow": bare}, extra="grace_seconds = 20").start()
        assert server.gitea_push("slow", "refs/heads/develop", develop)[0] == 202
        wait_for_file(pid_file)
        step = read_pid(pid_file)
        assert server.gitea_push("slow", "refs/heads/feature/x", first)[0] == 202
        assert server.gitea_push("slow", "refs/heads/feature/x", second)[0] == 202
        # While it runs, its record is the live one chain run keeps, and its logs are there to follow.
        live = server.get_json("/api/runs/1")
        assert live["status"] == "running" and live["record"]["status"] == "running", live
        assert live["started_at"] and live["finished_at"] is None, live
        # The step's log grows as chain run reads its output: asked until its line is there.
        deadline = time.monotonic() + 10
        log = server.request("GET", "/api/runs/1/log/wait/1-sh.log")
        while log != (200, b"waiting\n") and time.monotonic() < deadline:
            time.sleep(0.05)
            log = server.request("GET", "/api/runs/1/log/wait/1-sh.log")
        assert log == (200, b"waiting\n"), log
        assert "wait/1-sh.log" in server.get_json("/api/runs/1")["logs"]
        runs = {run["id"]: run for run in server.get_json("/api/runs")}
        assert [runs[i]["status"] for i in (1, 2, 3)] == ["running", "superseded", "queued"], runs

        code, _ = server.stop(signal.SIGKILL)
        assert code == -signal.SIGKILL, code
        assert process_gone(step), f"the step {step} of the killed server's run is still running"

        server.start()
        interrupted = server.get_json("/api/runs/1")
        assert interrupted["status"] == "interrupted", interrupted
        assert interrupted["record"]["status"] == "interrupted", interrupted["record"]
        later = server.wait_for_run(3)
        assert later["status"] == "success" and later["commit"] == second, later
        assert server.get_json("/api/runs/2")["status"] == "superseded"

        # SIGTERM: no new runs, the running one interrupted within the grace period, exit 0.
        os.remove(pid_file)
        git("checkout", "-q", "develop", cwd=work)
        again = commit_files(work, {"b": "1\n"}, "develop two")
        git("push", "-q", "origin", "develop", cwd=work)
        assert server.gitea_push("slow", "refs/heads/develop", again)[0] == 202
        wait_for_file(pid_file)
        step = read_pid(pid_file)
        code, output = server.stop(signal.SIGTERM)
        assert code == 0, (code, output)
        assert "chain serve: stopped" in output, output
        assert process_gone(step), f"the step {step} outlived SIGTERM"

        server.start()
        try:
            stopped = server.get_json("/api/runs/4")
            assert stopped["status"] == "interrupted", stopped
            assert stopped["record"]["status"] == "interrupted", stopped["record"]
        finally:
            server.stop()
    print("ok")


if __name__ == "__main__":
    main(sys.argv[1])
