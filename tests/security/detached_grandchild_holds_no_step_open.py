"""A process that escaped its step's process group (`setsid sleep 20 &`) and holds the output pipe open
neither keeps the step running nor stops a timeout or Ctrl-C: the step ends when its leader exits."""
import os
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from processes import wait_for_file  # noqa: E402

chain = os.path.abspath(sys.argv[1])
failures = []
escaped = []


def run(name, body, expected_code, within, interrupt=False):
    with tempfile.TemporaryDirectory() as repo:
        subprocess.run(["git", "init", "-q", "-b", "develop", repo], check=True)
        with open(os.path.join(repo, "pipeline.chain"), "w") as f:
            f.write(f'pipeline "escape"\n\nstage {name} {body}\n')
        with open(os.path.join(repo, "out"), "w") as out:
            started = time.monotonic()
            process = subprocess.Popen([chain, "run", "--branch", "develop"], cwd=repo, stdout=out,
                                       stderr=subprocess.STDOUT)
        escaped.append(int(wait_for_file(os.path.join(repo, "escaped"))))
        if interrupt:
            started = time.monotonic()
            process.send_signal(signal.SIGINT)
        try:
            code = process.wait(timeout=within + 10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            code = None
        took = time.monotonic() - started
        output = open(os.path.join(repo, "out")).read()
        if code != expected_code or took > within:
            failures.append(f"{name}: exit {code} after {took:.1f} s, expected {expected_code} within {within} s\n{output}")
        else:
            print(f"ok: {name} ended with {code} after {took:.1f} s")


# The grandchild writes its pid and then sleeps with the step's stdout still open.
detach = "setsid sh -c 'echo $$ > escaped; exec sleep 20' &"
try:
    run("leaves", '{\n  sh("' + detach + ' echo left")\n}', 0, 5)
    run("times_out", 'timeout 1s {\n  sh("' + detach + ' sleep 15")\n}', 1, 6)
    run("interrupted", '{\n  sh("' + detach + ' sleep 15")\n}', 130, 3, interrupt=True)
finally:
    for pid in escaped:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
if failures:
    sys.exit("FAIL: " + "\n".join(failures))
