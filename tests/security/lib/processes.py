"""What this folder's Python tests share to watch the processes a run starts: they write their pids
into files, and the tests wait for those files and ask /proc whether the pids still live."""
import os
import sys
import time


def wait_for_file(path, seconds=10):
    deadline = time.monotonic() + seconds
    while not (os.path.exists(path) and open(path).read().strip()):
        if time.monotonic() > deadline:
            sys.exit(f"FAIL: {path} never appeared")
        time.sleep(0.02)
    return open(path).read().strip()


def alive(pid):
    """A zombie counts as dead: it runs nothing, it only waits for its parent to collect it."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
