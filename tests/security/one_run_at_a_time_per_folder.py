"""Two `chain run` in one folder take turns: the second waits for the first, saying so, or with --no-wait
exits 2 at once; afterwards every artifact link resolves and every store object hashes to its name."""
import hashlib
import os
import subprocess
import sys
import tempfile
import time

chain = os.path.abspath(sys.argv[1])
failures = []


def wait_for(path, text, seconds=20):
    deadline = time.monotonic() + seconds
    while not (os.path.exists(path) and text in open(path).read()):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def content_hash(path):
    """Store::content_hash: a file's SHA-256, or a folder's over its sorted relative paths and contents."""
    if not os.path.isdir(path):
        return hashlib.sha256(open(path, "rb").read()).hexdigest()
    files = []
    for folder, dirs, names in os.walk(path):
        files += [os.path.join(folder, name) for name in names]
        files += [os.path.join(folder, name) for name in dirs if os.path.islink(os.path.join(folder, name))]
    digest = hashlib.sha256()
    for file in sorted(files, key=lambda f: os.path.relpath(f, path).split("/")):
        digest.update(os.path.relpath(file, path).encode() + b"\0")
        content = os.readlink(file) if os.path.islink(file) else hashlib.sha256(open(file, "rb").read()).hexdigest()
        digest.update(content.encode() + b"\0")
    return digest.hexdigest()


stage = 'stage make {{\n  sh("mkdir -p made && echo $$ > made/pid{wait}")\n  artifact made = dir("made")\n}}\n'
with tempfile.TemporaryDirectory() as repo:
    subprocess.run(["git", "init", "-q", "-b", "develop", repo], check=True)
    with open(os.path.join(repo, "pipeline.chain"), "w") as f:
        f.write('pipeline "first"\n\n' + stage.format(wait=" && echo started > started && read line < gate"))
    with open(os.path.join(repo, "second.chain"), "w") as f:
        f.write('pipeline "second"\n\n' + stage.format(wait=""))
    os.mkfifo(os.path.join(repo, "gate"))
    first_out, second_out = os.path.join(repo, "first.out"), os.path.join(repo, "second.out")
    with open(first_out, "w") as out:
        first = subprocess.Popen([chain, "run", "--branch", "develop"], cwd=repo, stdout=out, stderr=subprocess.STDOUT)
    if not wait_for(os.path.join(repo, "started"), "started"):
        first.kill()
        sys.exit("FAIL: the first run's step never started")
    (first_id,) = os.listdir(os.path.join(repo, ".chain", "runs"))

    refused = subprocess.run([chain, "run", "--branch", "develop", "--no-wait", "second.chain"], cwd=repo,
                             capture_output=True, text=True, timeout=30)
    expected = f"chain: error: the run {first_id} (pid {first.pid}) is running in this folder (--no-wait)\n"
    if refused.returncode != 2 or not refused.stderr.endswith(expected):
        failures.append(f"--no-wait: exit {refused.returncode}, {refused.stderr!r}, expected 2 and {expected!r}")

    with open(second_out, "w") as out:
        second = subprocess.Popen([chain, "run", "--branch", "develop", "second.chain"], cwd=repo, stdout=out,
                                  stderr=subprocess.STDOUT)
    waiting = f"waiting for the run {first_id} (pid {first.pid}) in this folder\n"
    if not wait_for(second_out, waiting):
        failures.append(f"the second run did not say {waiting!r}: {open(second_out).read()!r}")
    if len(os.listdir(os.path.join(repo, ".chain", "runs"))) != 1:
        failures.append("the second run started while the first ran")
    with open(os.path.join(repo, "gate"), "w") as gate:
        gate.write("go\n")
    codes = (first.wait(timeout=60), second.wait(timeout=60))
    if codes != (0, 0):
        failures.append(f"exit codes {codes}:\n{open(first_out).read()}{open(second_out).read()}")

    for folder, dirs, names in os.walk(os.path.join(repo, ".chain", "out")):
        for name in dirs + names:
            link = os.path.join(folder, name)
            if os.path.islink(link) and not os.path.exists(link):
                failures.append(f"{link} does not resolve")
    objects = os.path.join(repo, ".chain", "artifacts")
    for name in os.listdir(objects):
        if content_hash(os.path.join(objects, name)) != name:
            failures.append(f"store object {name} does not hash to its name")
    if failures:
        sys.exit("FAIL: " + "\n".join(failures))
    print(f"ok: one run at a time; {len(os.listdir(objects))} store objects hash to their names")
