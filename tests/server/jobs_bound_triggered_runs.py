#!/usr/bin/env python3
"""jobs = 1 bounds triggered runs too, without a deadlock: a downstream run takes the slot of its upstream, which
only waits for it. A chain of two triggers (top -> middle -> bottom) runs to its end on the one slot; a second
trigger of top waits for that slot while the chain holds it, and a push of another repository waits until top
has finished."""
import os
import sys
import time

from serverlib import Server, git, make_repository, temporary_folder

TOP = '''pipeline "top"

stage chain {
  trigger("../middle")
}
'''

# With two cores chain run runs top's stages at once: `beside` triggers only once bottom holds the chain's slot
# (bottom opens the second fifo), so that its downstream has to wait for that slot.
BESIDE = '''
stage beside {
  sh(["cat", "FIFO2"])
  trigger("../side")
}
'''

MIDDLE = '''pipeline "middle"

stage chain {
  trigger("../bottom")
}
'''

BOTTOM = '''pipeline "bottom"

stage hold {
  sh(["sh", "-c", "OPEN_BESIDE cat FIFO"])
}
'''

ALONE = '''pipeline "PIPELINE"

stage hello {
  sh("echo hello")
}
'''


def runs_of(server, repository):
    return server.get_json(f"/api/runs?repository={repository}")


def wait_until(server, condition, what):
    """Until `condition()`, which asks the server, holds; it is asked every 100 ms."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"never: {what}: {server.get_json('/api/runs')}")


def main(chain):
    with temporary_folder() as root:
        fifo, beside_fifo = os.path.join(root, "hold"), os.path.join(root, "beside")
        os.mkfifo(fifo)
        os.mkfifo(beside_fifo)
        parallel = (os.cpu_count() or 1) >= 2
        top_pipeline = TOP + BESIDE.replace("FIFO2", beside_fifo) if parallel else TOP
        bottom_pipeline = BOTTOM.replace("OPEN_BESIDE", f"echo go > {beside_fifo};" if parallel else "")
        top_work, top_bare = make_repository(root, "top", {"pipeline.chain": top_pipeline})
        _, middle_bare = make_repository(root, "middle", {"pipeline.chain": MIDDLE})
        _, bottom_bare = make_repository(root, "bottom", {"pipeline.chain": bottom_pipeline.replace("FIFO", fifo)})
        _, side_bare = make_repository(root, "side", {"pipeline.chain": ALONE.replace("PIPELINE", "side")})
        other_work, other_bare = make_repository(root, "other", {"pipeline.chain": ALONE.replace("PIPELINE", "other")})
        server = Server(chain, root, {"top": top_bare, "middle": middle_bare, "bottom": bottom_bare,
                                      "side": side_bare, "other": other_bare}, jobs=1).start()
        try:
            assert server.gitea_push("top", "refs/heads/develop", git("rev-parse", "HEAD", cwd=top_work))[0] == 202
            wait_until(server, lambda: [r["status"] for r in runs_of(server, "bottom")] == ["running"],
                       "bottom running, held at the fifo")
            top, = runs_of(server, "top")
            middle, = runs_of(server, "middle")
            bottom, = runs_of(server, "bottom")
            assert top["status"] == middle["status"] == "running", (top, middle)
            assert middle["upstream"] == top["id"] and bottom["upstream"] == middle["id"], (middle, bottom)

            # The second trigger of top asks for a slot while the chain below the first holds the only one, and
            # waits, queued.
            if parallel:
                wait_until(server, lambda: len(server.get_json(f"/api/runs/{top['id']}")["downstream"]) == 2,
                           "top's second trigger")
                side, = runs_of(server, "side")
                assert side["status"] == "queued" and side["upstream"] == top["id"], side

            # A push waits for the slot: it is queued when the server answers, and stays so while the chain runs.
            status, body = server.gitea_push("other", "refs/heads/develop", git("rev-parse", "HEAD", cwd=other_work))
            assert status == 202, (status, body)
            other, = runs_of(server, "other")
            assert other["status"] == "queued", other

            with open(fifo, "w", encoding="utf-8") as hold:
                hold.write("go\n")
            other = server.wait_for_run(other["id"])
            runs = {run["repository"]: run for run in server.get_json("/api/runs")}
            assert {name: run["status"] for name, run in runs.items()} == {
                name: "success" for name in ("top", "middle", "bottom", "other") + (("side",) if parallel else ())}, runs
            assert runs["top"]["downstream"] == [runs["middle"]["id"]] + ([runs["side"]["id"]] if parallel else []), runs
            assert runs["middle"]["downstream"] == [runs["bottom"]["id"]], runs["middle"]
            # One slot: each run began after what held the slot before it had finished.
            assert not parallel or runs["side"]["started_at"] >= runs["middle"]["finished_at"], runs
            assert runs["other"]["started_at"] >= runs["top"]["finished_at"], runs
        finally:
            code, _ = server.stop()
        assert code == 0
    print("ok")


if __name__ == "__main__":
    main(sys.argv[1])
