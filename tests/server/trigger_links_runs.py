#!/usr/bin/env python3
"""trigger("../down") in a served pipeline: the downstream is a run of the server's repository `down` at the
same branch, linked both ways, and the upstream's stage waits for it and reports its result. With one run
at a time, the waiting upstream does not keep its downstream from running."""
import sys

from serverlib import Server, git, make_repository, temporary_folder

UP = '''pipeline "up"

stage build {
  sh("echo built")
}

stage downstream needs build when develop {
  trigger("../down")
}
'''

DOWN = '''pipeline "down"

stage hello {
  sh("echo hello from down")
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
        finally:
            code, _ = server.stop()
        assert code == 0
    print("ok")


if __name__ == "__main__":
    main(sys.argv[1])
