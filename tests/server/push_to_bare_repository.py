#!/usr/bin/env python3
"""The test of record: a real `git push` to a bare repository whose post-receive hook (the one that ships in
server/hooks) posts to the server; the run appears in /api/runs, finishes `success`, and its record is the
run.json that chain run wrote. A tag push builds the tag; a branch deletion starts nothing."""
import hashlib
import hmac
import json
import os
import subprocess
import sys
import time

from serverlib import Server, commit_files, git, install_hook, make_repository, temporary_folder

PIPELINE = """pipeline "demo"

stage hello {
  sh("echo hello from $(git rev-parse HEAD)")
}

stage release when tag "v*" {
  sh("echo releasing")
}
"""


def main(chain):
    with temporary_folder() as root:
        work, bare = make_repository(root, "demo", {"pipeline.chain": PIPELINE})
        server = Server(chain, root, {"demo": bare}).start()
        try:
            install_hook(bare, server, "demo")
            commit = commit_files(work, {"README": "two\n"}, "second")
            push = subprocess_output(["git", "push", "-q", "origin", "develop"], work)
            assert "chain: refs/heads/develop: queued" in push, push

            runs = server.get_json("/api/runs")
            assert len(runs) == 1, runs
            assert runs[0]["repository"] == "demo" and runs[0]["ref"] == "refs/heads/develop", runs
            assert runs[0]["commit"] == commit and runs[0]["pusher"], runs
            run = server.wait_for_run(runs[0]["id"])
            assert run["status"] == "success", (run, server.request("GET", f"/api/runs/{run['id']}/log/chain.log"))
            assert run["version"] and run["duration_seconds"] is not None and run["finished_at"], run
            assert run["upstream"] is None and run["downstream"] == [], run

            # The record is the one chain run wrote in the run's checkout, not a copy made up by the server.
            state = os.path.join(root, "state")
            records = []
            for folder, _, files in os.walk(os.path.join(state, "checkouts")):
                if "run.json" in files and os.path.basename(os.path.dirname(folder)) == "runs":
                    with open(os.path.join(folder, "run.json"), encoding="utf-8") as f:
                        records.append(json.load(f))
            assert records == [run["record"]], (records, run["record"])
            assert run["record"]["status"] == "success" and run["record"]["ref"]["name"] == "develop"
            assert "chain.log" in run["logs"] and "hello/1-sh.log" in run["logs"], run["logs"]
            status, log = server.request("GET", f"/api/runs/{run['id']}/log/hello/1-sh.log")
            assert status == 200 and log.decode() == f"hello from {commit}\n", (status, log)

            # A tag builds the tag: its version is the tag's, and the stage of tags runs.
            git("tag", "v1.0.0", cwd=work)
            subprocess_output(["git", "push", "-q", "origin", "v1.0.0"], work)
            tag_run = server.wait_for_run(server.get_json("/api/runs")[0]["id"])
            assert tag_run["ref"] == "refs/tags/v1.0.0" and tag_run["status"] == "success", tag_run
            assert tag_run["version"] == "1.0.0", tag_run
            statuses = {stage["name"]: stage["status"] for stage in tag_run["record"]["stages"]}
            assert statuses == {"hello": "success", "release": "success"}, statuses

            # Deleting a branch or a tag starts nothing.
            git("push", "-q", "origin", "develop:gone", cwd=work)
            server.wait_for_run(server.get_json("/api/runs")[0]["id"])
            before = len(server.get_json("/api/runs"))
            deleted = subprocess_output(["git", "push", "-q", "origin", ":gone", ":v1.0.0"], work)
            assert deleted.count("ignored: a deletion starts nothing") == 2, deleted
            assert len(server.get_json("/api/runs")) == before

            # GitHub's and GitLab's own payloads, sent by curl: over 1 KiB, curl asks `Expect: 100-continue` first
            # and would wait 5 s here for an answer that never came.
            head = git("rev-parse", "develop", cwd=work)
            github = json.dumps({"ref": "refs/heads/develop", "before": "0" * 40, "after": head,
                                 "repository": {"name": "demo", "full_name": "acme/demo"},
                                 "pusher": {"name": "octocat"}, "padding": "x" * 2048}).encode()
            gitlab = json.dumps({"object_kind": "push", "ref": "refs/heads/develop", "after": head,
                                 "user_username": "gitlab-user", "project": {"name": "demo"},
                                 "padding": "x" * 2048}).encode()
            secret = server.secrets["demo"]
            for host, body, headers in [
                    ("github", github, ["X-GitHub-Event: push", "X-Hub-Signature-256: sha256="
                                        + hmac.new(secret.encode(), github, hashlib.sha256).hexdigest()]),
                    ("gitlab", gitlab, ["X-Gitlab-Event: Push Hook", "X-Gitlab-Token: " + secret])]:
                started = time.monotonic()
                answer = subprocess_output(
                    ["curl", "-sS", "--expect100-timeout", "5", "-w", " %{http_code}", "-X", "POST",
                     "-H", "Content-Type: application/json", *sum((["-H", h] for h in headers), []),
                     "--data-binary", "@-", server.url + f"/hooks/{host}"], root, body)
                assert answer.endswith(" 202") and time.monotonic() - started < 2, (host, answer)
                run = server.wait_for_run(json.loads(answer[:-4])["run"])
                assert run["status"] == "success" and run["commit"] == head, run
                assert run["pusher"] == {"github": "octocat", "gitlab": "gitlab-user"}[host], run

            repositories = server.get_json("/api/repositories")
            assert [r["name"] for r in repositories] == ["demo"], repositories
            assert sorted(b["ref"] for b in repositories[0]["branches"]) == ["refs/heads/develop", "refs/heads/gone"]
        finally:
            code, _ = server.stop()
        assert code == 0, code
    print("ok")


def subprocess_output(argv, cwd, stdin=None):
    result = subprocess.run(argv, cwd=cwd, env=dict(os.environ, GIT_TERMINAL_PROMPT="0"), capture_output=True,
                            input=stdin, check=True)
    return (result.stdout + result.stderr).decode()


if __name__ == "__main__":
    main(sys.argv[1])
