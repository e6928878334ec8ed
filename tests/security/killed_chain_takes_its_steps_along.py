"""When chain is killed with SIGKILL, its steps die with it (the leader by its death signal, what the
leader started by chain's guard), and the next run in the folder says that the killed run was interrupted
and marks its record so."""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from processes import wait_for_file, alive  # noqa: E402

chain = os.path.abspath(sys.argv[1])


with tempfile.TemporaryDirectory() as repo:
    subprocess.run(["git", "init", "-q", "-b", "develop", repo], check=True)
    with open(os.path.join(repo, "pipeline.chain"), "w") as f:
        f.write('pipeline "victim"\n\nstage hold {\n  sh("sleep 30 & echo $! > sleeper; echo $$ > leader; wait")\n}\n')
    with open(os.path.join(repo, "quick.chain"), "w") as f:
        f.write('pipeline "quick"\n\nstage quick {\n  sh("true")\n}\n')
    with open(os.path.join(repo, "out"), "w") as out:
        killed = subprocess.Popen([chain, "run", "--branch", "develop"], cwd=repo, stdout=out, stderr=subprocess.STDOUT)
    pids = [int(wait_for_file(os.path.join(repo, name))) for name in ("leader", "sleeper")]
    killed.kill()
    killed.wait()
    deadline = time.monotonic() + 5
    while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.02)
    survivors = [pid for pid in pids if alive(pid)]
    for pid in survivors:
        os.kill(pid, signal.SIGKILL)
    failures = []
    if survivors:
        failures.append(f"the step's processes {survivors} outlived chain by 5 s")

    (run_id,) = os.listdir(os.path.join(repo, ".chain", "runs"))
    rerun = subprocess.run([chain, "run", "--branch", "develop", "quick.chain"], cwd=repo, capture_output=True,
                           text=True, timeout=60)
    expected = f"the previous run {run_id} (pid {killed.pid}) was interrupted\n"
    if rerun.returncode != 0 or not rerun.stdout.startswith(expected):
        failures.append(f"the next run printed\n{rerun.stdout}{rerun.stderr}instead of starting with\n{expected}")
    record_path = os.path.join(repo, ".chain", "runs", run_id, "run.json")
    status = json.load(open(record_path))["status"] if os.path.exists(record_path) else "nothing: it has no record"
    if status != "interrupted":
        failures.append(f"the killed run's record says {status}")
    again = subprocess.run([chain, "run", "--branch", "develop", "quick.chain"], cwd=repo, capture_output=True,
                           text=True, timeout=60)
    if "was interrupted" in again.stdout:
        failures.append("a run that finished was called interrupted by the next")
    if failures:
        sys.exit("FAIL: " + "\n".join(failures))
    print("ok: steps gone after SIGKILL of chain; next run reported the interruption")
