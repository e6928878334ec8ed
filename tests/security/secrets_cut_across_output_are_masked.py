"""A secret in a step's output is masked however the output cuts it: across reads of the pipe, and
across lines (a multi-line key), in the log and on the terminal (--verbose)."""
import os
import subprocess
import sys
import tempfile

chain = os.path.abspath(sys.argv[1])
secrets = {"CHAIN_TEST_KEY": "-----BEGIN KEY-----\nc2VjcmV0LWJvZHk=\n-----END KEY-----",
           "CHAIN_TEST_TOKEN": "tok-4f9a2c71e0"}

with tempfile.TemporaryDirectory() as repo:
    subprocess.run(["git", "init", "-q", "-b", "develop", repo], check=True)
    with open(os.path.join(repo, "pipeline.chain"), "w") as f:
        # The token is printed in two writes a moment apart: two reads of the pipe, one line.
        f.write('pipeline "leaky"\n\nsecret key = env("CHAIN_TEST_KEY")\nsecret token = env("CHAIN_TEST_TOKEN")\n\n'
                'stage show {\n'
                '  sh("printf \'key: %s\\\\n\' \\"$CHAIN_TEST_KEY\\"; printf \'token: tok-4f9a\'; sleep 0.3; '
                'printf \'2c71e0 end\\\\n\'", env: { "K": key, "T": token })\n'
                '}\n')
    result = subprocess.run([chain, "run", "--branch", "develop", "--verbose"], cwd=repo, capture_output=True,
                            text=True, timeout=60, env={**os.environ, **secrets})
    logs = [os.path.join(folder, name) for folder, _, names in os.walk(os.path.join(repo, ".chain", "runs"))
            for name in names if name.endswith(".log")]
    log = open(logs[0]).read() if logs else ""
    failures = []
    if result.returncode != 0:
        failures.append(f"exit code {result.returncode}: {result.stderr}")
    if log != "key: ***\ntoken: *** end\n":
        failures.append(f"the log reads {log!r}")
    for piece in ("c2VjcmV0LWJvZHk", "BEGIN KEY", "tok-4f9a", "2c71e0"):
        if piece in result.stdout + result.stderr:
            failures.append(f"{piece!r} reached the terminal")
    if "[show] key: ***" not in result.stdout or "[show] token: *** end" not in result.stdout:
        failures.append(f"--verbose printed {result.stdout!r}")
    if failures:
        sys.exit("FAIL: " + "\n".join(failures))
    print("ok: secrets cut across reads and lines are masked in the log and on the terminal")
