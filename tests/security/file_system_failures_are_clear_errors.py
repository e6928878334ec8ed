"""A file-system failure is a clear error naming the path and the reason, exit 2, never an uncaught
filesystem_error (which aborted chain); once the run has started, its record says why it stopped."""
import json
import os
import re
import subprocess
import sys
import tempfile

chain = os.path.abspath(sys.argv[1])
failures = []


def check(setup, expected_stderr, expected_record_error=None):
    with tempfile.TemporaryDirectory() as repo:
        subprocess.run(["git", "init", "-q", "-b", "develop", repo], check=True)
        with open(os.path.join(repo, "pipeline.chain"), "w") as f:
            f.write('pipeline "fragile"\n\nstage first {\n  sh("echo one")\n}\n\n'
                    'stage second needs first inputs "pipeline.chain" {\n  sh("echo two")\n}\n')
        setup(repo)
        result = subprocess.run([chain, "run", "--branch", "develop"], cwd=repo, capture_output=True, text=True,
                                timeout=60)
        stderr = re.sub(r"\d{8}T\d{6}Z-\d+", "RUN", result.stderr.replace(repo, "REPO"))
        if result.returncode != 2 or stderr != expected_stderr:
            failures.append(f"{setup.__name__}: exit {result.returncode}, stderr {stderr!r}; "
                            f"expected 2 and {expected_stderr!r}")
            return
        if expected_record_error:
            (run_id,) = os.listdir(os.path.join(repo, ".chain", "runs"))
            record = json.load(open(os.path.join(repo, ".chain", "runs", run_id, "run.json")))
            error = record.get("error", "").replace(repo, "REPO")
            if record["status"] != "failed" or error != expected_record_error:
                failures.append(f"{setup.__name__}: the record says {record['status']}, {error!r}")
                return
        print(f"ok: {setup.__name__}: {stderr.strip()}")


def chain_folder_is_a_file(repo):
    open(os.path.join(repo, ".chain"), "w").close()


def runs_folder_is_a_file(repo):
    os.mkdir(os.path.join(repo, ".chain"))
    open(os.path.join(repo, ".chain", "runs"), "w").close()


def lock_is_a_folder(repo):
    os.makedirs(os.path.join(repo, ".chain", "lock"))


def cache_record_is_a_folder(repo):
    os.makedirs(os.path.join(repo, ".chain", "cache", "stages"))


check(chain_folder_is_a_file, "chain: error: REPO/.chain is not a folder: chain keeps its runs, cache and "
                              "artifacts there; move it away or remove it\n")
check(runs_folder_is_a_file, "chain: error: cannot create directories: REPO/.chain/runs/RUN: Not a directory\n")
check(lock_is_a_folder, "chain: error: cannot open the run lock: REPO/.chain/lock: Is a directory\n")
check(cache_record_is_a_folder, "chain: error: cannot read: REPO/.chain/cache/stages: Is a directory\n",
      "cannot read: REPO/.chain/cache/stages: Is a directory")
if failures:
    sys.exit("FAIL: " + "\n".join(failures))
