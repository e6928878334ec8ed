#!/usr/bin/env python3
"""trigger("../down") in a served pipeline: the downstream is a run of the server's repository `down` at the
same branch, linked both ways, and the upstream's stage waits for it and reports its result. With one run
at a time, the waiting upstream does not keep its downstream from running."""
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
'''

DOWN = '''pipeline "down"

stage hello {
  sh("cat $CHAIN_UPSTREAM_note/note.txt")
}
'''


def main(chain):
    with temporary_folder() as root:
        up_work, up_bare = make_repository(root, "up", {"pipeline.chain": UP})
        _, down_bare = make_repository(root, "down", {"pipeline.chain": DOWN})
        server = Server(chain, root, {"up": up_bare, "down": down_bare}, jobs=1).start()
        try:
            assert server.gitea_push("up", "refs/heads/develop", git("rev-parse", "HEAD", cwd=up_work))[0] == 202
            upstream = server.wait_for_run(1)
            assert upstream["status"] == "success", (upstream, server.request("GET", "/api/runs/1/log/chain.log"))
            assert upstream["downstream"] == [2], upstream
            downstream = server.get_json("/api/runs/2")
            assert downstream["repository"] == "down" and downstream["ref"] == "refs/heads/develop", downstream
            assert downstream["upstream"] == 1 and downstream["status"] == "success", downstream
            assert downstream["commit"] == git("rev-parse", "develop", cwd=down_bare), downstream
            trigger_stage = [s for s in upstream["record"]["stages"] if s["name"] == "downstream"][0]
            summary = trigger_stage["steps"][-1].get("summary", "")
            assert summary == "down on branch develop: success (hello success)", trigger_stage
            # What `with:` gives reaches the downstream's steps, as CHAIN_UPSTREAM_<name>.
            status, log = server.request("GET", "/api/runs/2/log/hello/1-sh.log")
            assert (status, log) == (200, b"made by up\n"), (status, log)

            # A branch the downstream does not have: the trigger step fails and says why; nothing is queued.
            git("push", "-q", "origin", "develop:topic/solo", cwd=up_work)
            assert server.gitea_push("up", "refs/heads/topic/solo", git("rev-parse", "HEAD", cwd=up_work))[0] == 202
            solo = server.wait_for_run(3)
            assert solo["status"] == "failed" and solo["downstream"] == [], solo
            step_logs = [name for name in solo["logs"] if name.startswith("downstream/")]
            status, log = server.request("GET", f"/api/runs/3/log/{step_logs[-1]}")
            assert b"chain: error: the server did not start ../down at refs/heads/topic/solo: repository 'down' has no " \
                   b"refs/heads/topic/solo" in log, log
        finally:
            code, _ = server.stop()
        assert code == 0
    print("ok")


if __name__ == "__main__":
    main(sys.argv[1])
