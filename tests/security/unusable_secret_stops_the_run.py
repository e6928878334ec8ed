"""A secret chain cannot use stops `chain run` before anything starts (exit 2): its variable not set, or a
value too short to mask. `chain plan` shows a missing one and refuses a too short one.
    unusable_secret_stops_the_run.py CHAIN
"""
import json
import os
import pathlib
import subprocess
import sys
import tempfile

CHAIN = os.path.realpath(sys.argv[1])
PIPELINE = '''secret deploy_key = env("ACME_DEPLOY_KEY")

stage first {
  sh(["touch", "first-ran"])
}

stage deploy needs first {
  sh(["sh", "-c", "test -n \\"$KEY\\" && touch deploy-ran"], env: { KEY: deploy_key })
}
'''
failures = []


def check(condition, what):
    if not condition:
        failures.append(what)


def repository(folder):
    folder.mkdir()
    (folder / "pipeline.chain").write_text(PIPELINE)
    git = ["git", "-C", str(folder), "-c", "user.name=chain", "-c", "user.email=chain@localhost"]
    subprocess.run(git + ["init", "-q", "-b", "main"], check=True)
    subprocess.run(git + ["add", "-A"], check=True)
    subprocess.run(git + ["commit", "-q", "-m", "initial"], check=True)
    return folder


def chain(folder, key, *args):
    env = {name: value for name, value in os.environ.items() if name != "ACME_DEPLOY_KEY"}
    env["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin"
    if key is not None:
        env["ACME_DEPLOY_KEY"] = key
    return subprocess.run([CHAIN, *args], cwd=folder, env=env, capture_output=True, text=True)


def nothing_ran(case, folder):
    check(not (folder / "first-ran").exists(), f"{case}: a stage ran")
    check(not (folder / ".chain" / "runs").exists(), f"{case}: a run was recorded")


NOT_SET = "secret deploy_key: ACME_DEPLOY_KEY is not set"
with tempfile.TemporaryDirectory() as work:
    folder = repository(pathlib.Path(work) / "unset")
    run = chain(folder, None, "run")
    check(run.returncode == 2, f"not set: chain run exited {run.returncode}: {run.stdout}{run.stderr}")
    check(f"chain: error: {NOT_SET}\n  set ACME_DEPLOY_KEY in the environment chain runs in (a CI secret or variable);"
          " nothing was run\n" == run.stderr, f"not set: chain run said {run.stderr!r}")
    nothing_ran("not set", folder)
    plan = chain(folder, None, "plan")
    check(plan.returncode == 0, f"not set: chain plan exited {plan.returncode}: {plan.stderr}")
    check(plan.stdout.splitlines()[1] == NOT_SET + " (chain run will not start)", f"not set: the plan says {plan.stdout}")
    as_json = chain(folder, None, "plan", "--format", "json")
    check(as_json.returncode == 0, f"not set: chain plan --format json exited {as_json.returncode}")
    missing = json.loads(as_json.stdout).get("missing_secrets")
    check(missing == [{"name": "deploy_key", "variable": "ACME_DEPLOY_KEY", "message": NOT_SET}],
          f"not set: the JSON plan's missing_secrets is {missing}")
    empty = chain(folder, "", "run")
    check(empty.returncode == 2 and "secret deploy_key: ACME_DEPLOY_KEY is empty\n" in empty.stderr,
          f"empty: chain run exited {empty.returncode}: {empty.stderr}")
    nothing_ran("empty", folder)
    repl = subprocess.run([CHAIN, "repl", "pipeline.chain"], cwd=folder, input=":run deploy\n", capture_output=True,
                          text=True, env={name: value for name, value in os.environ.items() if name != "ACME_DEPLOY_KEY"})
    check(NOT_SET + ": set ACME_DEPLOY_KEY" in repl.stdout + repl.stderr, f"not set: the REPL's :run said {repl.stdout}")
    nothing_ran("the REPL", folder)

TOO_SHORT = ("chain: error: secret deploy_key: ACME_DEPLOY_KEY has 1 character; chain masks only secrets of 4 "
             "characters or more\n  set ACME_DEPLOY_KEY to a value of 4 characters or more; nothing was {}\n")
with tempfile.TemporaryDirectory() as work:
    folder = repository(pathlib.Path(work) / "short")
    for command, done in (("run", "run"), ("plan", "planned")):
        result = chain(folder, '"', command)
        check(result.returncode == 2, f"too short: chain {command} exited {result.returncode}: {result.stdout}")
        check(result.stderr == TOO_SHORT.format(done), f"too short: chain {command} said {result.stderr!r}")
        check(result.stdout == "", f"too short: chain {command} printed {result.stdout!r}")
    nothing_ran("too short", folder)
    ok = chain(folder, "\u00e9t\u00e9s", "run")
    check(ok.returncode == 0, f"four characters: chain run exited {ok.returncode}: {ok.stdout}{ok.stderr}")
    check((folder / "deploy-ran").exists(), "four characters: deploy did not run with its key")

for failure in failures:
    print("FAILED:", failure)
sys.exit(1 if failures else 0)
