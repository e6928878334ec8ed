"""A step that prints 100 MB without a newline costs chain little memory: the log gets every byte, the
live area and --verbose get the line in pieces of 4 KiB (chain once held the whole line)."""
import os
import subprocess
import sys
import tempfile

chain = os.path.abspath(sys.argv[1])
size = 100_000_000

with tempfile.TemporaryDirectory() as repo:
    subprocess.run(["git", "init", "-q", "-b", "develop", repo], check=True)
    with open(os.path.join(repo, "pipeline.chain"), "w") as f:
        f.write(f'pipeline "flood"\n\nstage flood {{\n  sh("head -c {size} /dev/zero | tr \'\\\\0\' x")\n}}\n')
    with open(os.path.join(repo, "out"), "w") as out:
        process = subprocess.Popen([chain, "run", "--branch", "develop"], cwd=repo, stdout=out,
                                   stderr=subprocess.STDOUT)
    _, status, rusage = os.wait4(process.pid, 0)
    failures = []
    if os.waitstatus_to_exitcode(status) != 0:
        failures.append(f"exit code {os.waitstatus_to_exitcode(status)}:\n{open(os.path.join(repo, 'out')).read()}")
    max_rss_mb = rusage.ru_maxrss / 1024
    if max_rss_mb > 64:
        failures.append(f"chain's largest resident size was {max_rss_mb:.0f} MB")
    (log,) = [os.path.join(folder, name) for folder, _, names in os.walk(os.path.join(repo, ".chain", "runs"))
              for name in names if name.endswith(".log")]
    if os.path.getsize(log) != size:
        failures.append(f"the log holds {os.path.getsize(log)} bytes, not {size}")
    if failures:
        sys.exit("FAIL: " + "\n".join(failures))
    print(f"ok: {size} bytes without newline, chain's largest resident size {max_rss_mb:.0f} MB")
