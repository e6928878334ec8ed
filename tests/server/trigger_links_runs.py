#!/usr/bin/env python3
"""trigger("../down") in a served pipeline: the downstream is a run of the server's repository `down` at the
same branch (or the one `ref:` names), linked both ways, and the upstream's stage waits for it and reports its
result. With one run at a time, the waiting upstream does not keep its downstream from running. A re-run of the
downstream stays linked; a ref that is none is refused before anything is fetched."""
import json
import os
import subprocess
import sys

from serverlib import Server, git, make_repository, temporary_folder

UP = '''pipeline "up"

stage build {
  sh("mkdir -p out && echo made by up > out/note.txt")
  artifact out = dir("out")
}

stage downstream when develop | branch "topic/*" {
  trigger("../down", with: { note: build.out })
}

stage pinned when branch "pin/*" {
  trigger("../down", with: { note: build.out }, ref: "stable")
}

stage attack when branch "attack/*" {
  sh(["sh", "attack.sh"])
}
'''

# A step of a served run that asks the server itself for downstream runs at refs that are none: each is refused
# (400, and why) before the server fetches anything.
ATTACK = r'''for ref in 'refs/heads/../x' 'refs/heads/--upload-pack=/tmp/x' 'refs/heads/a b' 'refs/heads/x\u0001' \
    'refs/heads/-x' 'refs/tags/..' 'refs/heads/x.lock'; do
  curl -s -w '%{http_code}\n' -X POST -H "X-Chain-Run-Token: $CHAIN_SERVER_RUN_TOKEN" \
    --data "{\"repository\": \"down\", \"ref\": \"$ref\"}" "$CHAIN_SERVER_URL/internal/runs/$CHAIN_SERVER_RUN/trigger"
done
'''

DOWN = '''pipeline "down"

stage hello {
  sh("cat $CHAIN_UPSTREAM_note/note.txt")
}
'''


def main(chain):
    with temporary_folder() as root:
        up_work, up_bare = make_repository(root, "up", {"pipeline.chain": UP, "attack.sh": ATTACK})
        down_work, down_bare = make_repository(root, "down", {"pipeline.chain": DOWN})
        server = Server(chain, root, {"up": up_bare, "down": down_bare}, jobs=1).start()
        try:
            git("push", "-q", "origin", "develop:attack/1", cwd=up_work)
            assert server.gitea_push("up", "refs/heads/attack/1", git("rev-parse", "HEAD", cwd=up_work))[0] == 202
            attack = server.wait_for_run(1)
            assert attack["status"] == "success" and attack["downstream"] == [], attack
            status, log = server.request("GET", "/api/runs/1/log/attack/1-sh.log")
            answers, codes = log.decode().splitlines()[0::2], log.decode().splitlines()[1::2]
            assert codes == ["400"] * 7 and all("cannot name a branch or tag" in a for a in answers), log
            assert "starts with '-' (a command would read it as an option)" in answers[1], answers[1]
            assert "'refs/heads/x\\\\x01' cannot name a branch or tag: it has a control character" in answers[3], answers[3]
            assert [run["id"] for run in server.get_json("/api/runs")] == [1], "a hostile ref started a run"
            assert not os.path.exists(os.path.join(root, "state", "mirrors", "down.git")), "the server fetched down"
            # serve-trigger, the step a served trigger plans, refuses such a ref before it asks the server.
            refused = subprocess.run([chain, "serve-trigger", "down", "--ref", "refs/heads/--upload-pack=x",
                                      "--record-copy", os.path.join(root, "record.json")], capture_output=True, text=True,
                                     env=dict(os.environ, CHAIN_SERVER_URL=server.url, CHAIN_SERVER_RUN="1"))
            assert refused.returncode == 2 and refused.stderr == (
                "chain: error: down is not started: the ref 'refs/heads/--upload-pack=x' cannot name a branch or tag: "
                "a part of it starts with '-' (a command would read it as an option)\n"), refused

            assert server.gitea_push("up", "refs/heads/develop", git("rev-parse", "HEAD", cwd=up_work))[0] == 202
            upstream = server.wait_for_run(2)
            assert upstream["status"] == "success", (upstream, server.request("GET", "/api/runs/1/log/chain.log"))
            assert upstream["downstream"] == [3], upstream
            downstream = server.get_json("/api/runs/3")
            assert downstream["repository"] == "down" and downstream["ref"] == "refs/heads/develop", downstream
            assert downstream["upstream"] == 2 and downstream["status"] == "success", downstream
            assert downstream["commit"] == git("rev-parse", "develop", cwd=down_bare), downstream
            trigger_stage = [s for s in upstream["record"]["stages"] if s["name"] == "downstream"][0]
            summary = trigger_stage["steps"][-1].get("summary", "")
            assert summary == "down on branch develop: success (hello success)", trigger_stage
            # What `with:` gives reaches the downstream's steps, as CHAIN_UPSTREAM_<name>.
            status, log = server.request("GET", "/api/runs/3/log/hello/1-sh.log")
            assert (status, log) == (200, b"made by up\n"), (status, log)

            # A re-run of the downstream is linked to the same upstream, and gets what the upstream gave it.
            status, body = server.request("POST", "/api/runs/3/rerun", headers={"Authorization": "Bearer the-token-1234"})
            assert status == 202, (status, body)
            rerun = server.wait_for_run(json.loads(body)["run"])
            assert rerun["status"] == "success" and rerun["upstream"] == 2 and rerun["ref"] == "refs/heads/develop", rerun
            assert server.get_json("/api/runs/2")["downstream"] == [3, rerun["id"]]
            assert server.request("GET", f"/api/runs/{rerun['id']}/log/hello/1-sh.log") == (200, b"made by up\n")
            status, page = server.request("GET", f"/runs/{rerun['id']}")
            assert status == 200 and b'<dt>Upstream</dt><dd><a href="/runs/2">#2</a> up develop' in page, page
            status, page = server.request("GET", "/runs/2")
            assert f'<a href="/runs/{rerun["id"]}">#{rerun["id"]}</a> down develop'.encode() in page, page

            # ref: names the downstream's branch: a push of pin/1 to up runs down at stable, at stable's commit.
            git("push", "-q", "origin", "develop:stable", cwd=down_work)
            git("push", "-q", "origin", "develop:pin/1", cwd=up_work)
            assert server.gitea_push("up", "refs/heads/pin/1", git("rev-parse", "HEAD", cwd=up_work))[0] == 202
            pinned = server.wait_for_run(rerun["id"] + 1)
            assert pinned["status"] == "success" and pinned["ref"] == "refs/heads/pin/1", pinned
            stable, = [run for run in server.get_json("/api/runs") if run["upstream"] == pinned["id"]]
            assert stable["ref"] == "refs/heads/stable" and stable["status"] == "success", stable
            assert stable["commit"] == git("rev-parse", "stable", cwd=down_bare), stable

            # A branch the downstream does not have: the trigger step fails and says why; nothing is queued.
            git("push", "-q", "origin", "develop:topic/solo", cwd=up_work)
            assert server.gitea_push("up", "refs/heads/topic/solo", git("rev-parse", "HEAD", cwd=up_work))[0] == 202
            solo = server.wait_for_run(stable["id"] + 1)
            assert solo["status"] == "failed" and solo["downstream"] == [], solo
            step_logs = [name for name in solo["logs"] if name.startswith("downstream/")]
            status, log = server.request("GET", f"/api/runs/{solo['id']}/log/{step_logs[-1]}")
            assert b"chain: error: the server did not start ../down at refs/heads/topic/solo: repository 'down' has no " \
                   b"refs/heads/topic/solo" in log, log
        finally:
            code, _ = server.stop()
        assert code == 0
    print("ok")


if __name__ == "__main__":
    main(sys.argv[1])
