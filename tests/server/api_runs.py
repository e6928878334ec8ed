#!/usr/bin/env python3
"""The JSON API over a served run: its artifacts listed and downloaded (only from inside the run's .chain/),
logs with the server's secrets masked, approving a manual stage (the approval linked to the run it approves)
and re-running with the token (header or cookie), and retention: past keep_runs, the oldest finished run goes with its folders."""
import json
import os
import sys

from serverlib import Server, git, make_repository, temporary_folder

PIPELINE = '''pipeline "api"

stage build {
  sh("mkdir -p out && echo wheel-bytes > out/demo-1.0-py3-none-any.whl && ln -s /etc/passwd out/passwd && echo the-token-1234")
  artifact out = dir("out")
}

stage deploy needs build manual {
  sh("echo deployed")
}
'''


def main(chain):
    with temporary_folder() as root:
        work, bare = make_repository(root, "api", {"pipeline.chain": PIPELINE})
        server = Server(chain, root, {"api": bare}, extra="keep_runs = 2").start()
        try:
            assert server.gitea_push("api", "refs/heads/develop", git("rev-parse", "HEAD", cwd=work))[0] == 202
            run = server.wait_for_run(1)
            assert run["status"] == "success", (run, server.request("GET", "/api/runs/1/log/chain.log"))
            stages = {stage["name"]: stage for stage in run["record"]["stages"]}
            assert stages["deploy"]["status"] == "skipped", stages["deploy"]
            artifact = stages["build"]["artifacts"]["out"]
            assert artifact["path"] == ".chain/out/build/out", artifact

            listing = server.get_json("/api/runs/1/artifacts/.chain/out/build/out")
            assert listing == {"files": ["demo-1.0-py3-none-any.whl", "passwd"]}, listing
            status, data = server.request("GET", "/api/runs/1/artifacts/.chain/out/build/out/demo-1.0-py3-none-any.whl")
            assert (status, data) == (200, b"wheel-bytes\n"), (status, data)
            # A link out of the run's folder, and a file beside .chain/, are not served.
            assert server.request("GET", "/api/runs/1/artifacts/.chain/out/build/out/passwd")[0] == 404
            assert server.request("GET", "/api/runs/1/artifacts/pipeline.chain")[0] == 404
            assert server.request("GET", "/api/runs/1/log/..%2Frun.json")[0] == 400

            assert "the-token-1234" not in json.dumps(run["record"]) and "***" in json.dumps(run["record"])
            status, log = server.request("GET", "/api/runs/1/log/build/1-sh.log")
            assert status == 200 and log == b"***\n", (status, log)
            assert server.request("GET", "/api/runs/1/log/build/1-sh.log?offset=2") == (200, b"*\n")
            assert server.request("GET", "/api/runs/1/log/build/1-sh.log?offset=9") == (200, b"")
            assert server.request("GET", "/api/runs/1/log/build/1-sh.log?offset=-1")[0] == 400

            status, body = server.request("POST", "/api/runs/1/approve/deploy",
                                          headers={"Authorization": "Bearer the-token-1234"})
            assert status == 202, (status, body)
            approved = server.wait_for_run(json.loads(body)["run"])
            statuses = {stage["name"]: stage["status"] for stage in approved["record"]["stages"]}
            assert approved["status"] == "success" and statuses["deploy"] == "success", approved
            # The approval and the run it approves are linked both ways, in the API and on both pages.
            assert approved["approves"] == 1 and approved["approved_by"] == [], approved
            assert server.get_json("/api/runs/1")["approved_by"] == [approved["id"]]
            status, page = server.request("GET", f"/runs/{approved['id']}")
            assert status == 200 and b'<dt>Approves</dt><dd><a href="/runs/1">#1</a> api develop' in page, page
            status, page = server.request("GET", "/runs/1")
            assert status == 200 and f'<dt>Approved by</dt><dd><a href="/runs/{approved["id"]}">'.encode() in page, page
            assert server.request("POST", "/api/runs/1/approve/nosuch",
                                  headers={"Authorization": "Bearer the-token-1234"})[0] == 404

            status, body = server.request("POST", "/api/runs/1/rerun", headers={"Cookie": "a=b; chain_token=the-token-1234"})
            assert status == 202, (status, body)
            rerun = server.wait_for_run(json.loads(body)["run"])
            assert rerun["status"] == "success" and rerun["commit"] == run["commit"], rerun
            assert rerun["approves"] is None and rerun["upstream"] is None, rerun

            # keep_runs = 2: run 1 is gone, with its checkout and its files; the newer two stay.
            assert [r["id"] for r in server.get_json("/api/runs")] == [3, 2]
            assert server.request("GET", "/api/runs/1")[0] == 404
            left = os.path.join(root, "state", "checkouts", "1")
            assert not os.path.exists(left), [os.path.join(d, f) for d, _, fs in os.walk(left) for f in fs][:5]
            assert not os.path.exists(os.path.join(root, "state", "runs", "1"))
            assert os.path.isdir(os.path.join(root, "state", "runs", "3"))
        finally:
            code, _ = server.stop()
        assert code == 0
    print("ok")


if __name__ == "__main__":
    main(sys.argv[1])
