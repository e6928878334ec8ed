"""Ctrl-C ends a run whose step ignores SIGTERM: SIGKILL follows five seconds later, as on a timeout,
and chain waits for it without spending the CPU (it once spun at 100% and waited for the step's end)."""
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
        f.write('pipeline "stubborn"\n\n'
                'stage hold {\n'
                '  sh("trap \'\' TERM; sleep 30 & echo $! > sleeper; echo $$ > leader; wait")\n'
                '}\n')
    with open(os.path.join(repo, "out"), "w") as out:
        chain_process = subprocess.Popen([chain, "run", "--branch", "develop"], cwd=repo, stdout=out,
                                         stderr=subprocess.STDOUT)
    leader = int(wait_for_file(os.path.join(repo, "leader")))
    sleeper = int(wait_for_file(os.path.join(repo, "sleeper")))
    interrupted_at = time.monotonic()
    chain_process.send_signal(signal.SIGINT)
    status = rusage = None
    while time.monotonic() - interrupted_at < 15:
        pid, status, rusage = os.wait4(chain_process.pid, os.WNOHANG)
        if pid:
            break
        time.sleep(0.05)
    else:
        chain_process.kill()
        os.kill(leader, signal.SIGKILL)
        os.kill(sleeper, signal.SIGKILL)
        chain_process.wait()
        sys.exit("FAIL: chain still ran 15 s after SIGINT")
    took = time.monotonic() - interrupted_at
    cpu = rusage.ru_utime + rusage.ru_stime
    output = open(os.path.join(repo, "out")).read()
    failures = []
    if not 4.5 <= took <= 7:
        failures.append(f"chain ended {took:.1f} s after SIGINT, not 5-7 s (SIGKILL five seconds after SIGTERM)")
    if os.waitstatus_to_exitcode(status) != 130:
        failures.append(f"exit code {os.waitstatus_to_exitcode(status)}, not 130")
    if cpu > 1.0:
        failures.append(f"chain used {cpu:.2f} s of CPU while waiting: it polls instead of blocking")
    runs = os.listdir(os.path.join(repo, ".chain", "runs"))
    record = json.load(open(os.path.join(repo, ".chain", "runs", runs[0], "run.json")))
    if record["status"] != "interrupted":
        failures.append(f"run status {record['status']}")
    for pid in (leader, sleeper):
        if alive(pid):
            failures.append(f"process {pid} of the step outlived the run")
            os.kill(pid, signal.SIGKILL)
    if failures:
        sys.exit("FAIL: " + "; ".join(failures) + "\n" + output)
    print(f"ok: ended {took:.1f} s after SIGINT, exit 130, {cpu:.2f} s of CPU")
