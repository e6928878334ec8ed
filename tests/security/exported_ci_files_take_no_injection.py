#!/usr/bin/env python3
"""chain export writes hostile values as YAML strings and shell words: nothing is injected.

-p values with newlines, ': ' and '#', a matrix value `a";id;"` and one `${{ github.token }}`, a
trigger repository with both quotes, a pipeline name and stage names at the edges of the grammar are
exported to GitLab CI and GitHub Actions. Each file is parsed back (yaml.safe_load): exactly the keys and
jobs chain makes, and every script line, run by a real shell with `chain` and `gh` replaced by programs
that print their arguments, passes each value as one argument, unchanged. No GitHub `run:` holds `${{`.
    exported_ci_files_take_no_injection.py CHAIN
"""
import json
import os
import re
import subprocess
import sys
import tempfile

import yaml

CHAIN = os.path.realpath(sys.argv[1])

# A pipeline name with a line break, quotes, ': ', ' #' and an expression; stages named as YAML 1.1
# booleans and nulls; a trigger repository with both quotes and a space.
PIPELINE = r'''pipeline "evil\n\"name\": x # \${{ github.token }}"

param note: str = "plain"
param vs: list<str> = ["one"]
secret key = env("DEPLOY_KEY_1")

stage on matrix v in vs {
  sh(["echo", v, note])
}

stage y needs on {
  sh(["echo", key])
}

stage null-x needs y when develop | release/* {
  sh(["true"])
}

stage downstream needs y {
  trigger("../we\"ird' \${{ github.token }} repo")
}
'''
NOTE = 'line1\nline2: still the value # not a comment\n"quoted" \'single\' $(id) `id` ${HOME} ${{ github.token }}'
MATRIX = ['a";id;"', '${{ github.token }}', "b: c #d", "it's", "$HOME"]


def chain_string(text):
    r"""A string literal of chain's language (its escapes: \\ \" \n \t \$)."""
    escaped = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "$": "\\$"}
    return '"' + "".join(escaped.get(c, c) for c in text) + '"'


PARAMS = ["note=" + NOTE, "vs=[" + ", ".join(chain_string(v) for v in MATRIX) + "]"]
FOLDER = "we'ird dir"  # the pipeline's own path is a value too
FILE = FOLDER + "/pipeline.chain"
STAGES = ["on", "y", "null-x", "downstream"]


def fail(message):
    print("FAILED: " + message, file=sys.stderr)
    sys.exit(1)


def expect(condition, message):
    if not condition:
        fail(message)


def export(work, engine):
    done = subprocess.run([CHAIN, "export", "--to", engine, FILE] + sum((["-p", p] for p in PARAMS), []),
                          cwd=work, capture_output=True, text=True)
    expect(done.returncode == 0, f"export --to {engine} exited {done.returncode}: {done.stderr}")
    return done.stdout


def instances(work):
    """The instance names chain plan gives the matrix stage: what each matrix job must pass to --stage."""
    done = subprocess.run([CHAIN, "plan", "--format", "json", "--branch", "develop", FILE] +
                          sum((["-p", p] for p in PARAMS), []), cwd=work, capture_output=True, text=True)
    expect(done.returncode == 0, f"plan exited {done.returncode}: {done.stderr}")
    names = [s["name"] for s in json.loads(done.stdout)["stages"] if s["stage"] == "on"]
    expect(len(names) == len(MATRIX), f"the plan has {len(names)} instances of stage on, not {len(MATRIX)}")
    return names


def argv_of(work, line, env):
    """What a real shell passes to chain (or gh) for one script line, with `env` set."""
    done = subprocess.run(["sh", "-c", line], cwd=work, capture_output=True, text=True,
                          env={"PATH": os.path.join(work, "bin") + ":/usr/bin:/bin", **env})
    expect(done.returncode == 0, f"the line {line!r} failed in sh: {done.stderr}")
    return json.loads(done.stdout)


def command(stage):
    return ["chain", "run", FILE] + sum((["-p", p] for p in PARAMS), []) + ["--stage", stage, "--no-deps"]


def check_gitlab(work, names):
    text = export(work, "gitlab")
    doc = yaml.safe_load(text)
    expect(set(doc) == {"stages", "variables"} | set(STAGES), f"GitLab file's top-level keys: {sorted(map(str, doc))}")
    expect(doc["variables"] == {"GIT_DEPTH": "0"}, f"GitLab variables: {doc['variables']}")
    keys = {
        "on": {"stage", "needs", "parallel", "script", "artifacts"},
        "y": {"stage", "needs", "script", "artifacts"},
        "null-x": {"stage", "rules", "needs", "script", "artifacts"},
        "downstream": {"stage", "needs", "trigger"},
    }
    for stage, job_keys in keys.items():
        expect(set(doc[stage]) == job_keys, f"GitLab job {stage} has keys {sorted(doc[stage])}")
    # GitLab expands $NAME in a variable's value and reads $$ as $.
    expect(doc["on"]["parallel"] == {"matrix": [{"CHAIN_INSTANCE": [n.replace("$", "$$") for n in names]}]},
           f"GitLab matrix: {doc['on']['parallel']}")
    expect(doc["y"]["needs"] == ["on"] and doc["null-x"]["needs"] == ["y"], "GitLab needs changed")
    expect(doc["downstream"]["trigger"] == {"project": "$CI_PROJECT_NAMESPACE/we\"ird' ${{ github.token }} repo",
                                            "branch": "$CI_COMMIT_REF_NAME", "strategy": "depend"},
           f"GitLab trigger: {doc['downstream']['trigger']}")
    for stage in ["on", "y", "null-x"]:
        script = doc[stage]["script"]
        expect(len(script) == 1, f"GitLab job {stage} has {len(script)} script lines")
        expect(doc[stage]["artifacts"] == {"paths": [FOLDER + "/.chain/out/", FOLDER + "/.chain/artifacts/"]},
               f"GitLab artifacts of {stage}: {doc[stage]['artifacts']}")
        for instance in names if stage == "on" else [stage]:
            argv = argv_of(work, script[0], {"CHAIN_INSTANCE": instance})
            expect(argv == command(instance), f"GitLab job {stage} runs {argv}, not {command(instance)}")


def github_evaluate(text, what, matrix=None):
    """What GitHub makes of a value where it evaluates ${{ ... }}: only chain's own expressions may be there."""
    known = {"'$'": "$", "secrets.CHAIN_TRIGGER_TOKEN": "token", "github.repository_owner": "owner",
             "github.ref_name": "$(id)`id`;x", "matrix.instance": matrix}

    def value(match):
        expression = match.group(1).strip()
        expect(known.get(expression) is not None, f"{what} has the expression {match.group(0)!r}")
        return known[expression]
    return re.sub(r"\$\{\{(.*?)\}\}", value, text)


def check_github(work, names):
    text = export(work, "github")
    doc = yaml.safe_load(text)
    expect(set(doc) == {"name", True, "env", "jobs"}, f"GitHub workflow's top-level keys: {sorted(map(str, doc))}")
    expect(doc["name"] == 'evil\n"name": x # ${{ github.token }}', f"GitHub workflow name: {doc['name']!r}")
    expect(doc["env"] == {"DEPLOY_KEY_1": "${{ secrets.DEPLOY_KEY_1 }}"}, f"GitHub env: {doc['env']}")
    jobs = doc["jobs"]
    expect(set(jobs) == set(STAGES), f"GitHub jobs: {sorted(jobs)}")
    matrix = [github_evaluate(value, "the matrix") for value in jobs["on"]["strategy"]["matrix"]["instance"]]
    expect(matrix == names, f"GitHub matrix: {matrix}, not {names}")
    for stage, job in jobs.items():
        expected = {"runs-on", "steps"} | ({"needs"} if stage != "on" else set()) | \
            ({"strategy"} if stage == "on" else set()) | ({"if"} if stage == "null-x" else set())
        expect(set(job) == expected, f"GitHub job {stage} has keys {sorted(job)}")
        runs = [step for step in job["steps"] if "run" in step]
        expect(len(runs) == 1, f"GitHub job {stage} has {len(runs)} run steps")
        step = runs[0]
        expect("${{" not in step["run"], f"GitHub job {stage} has an expression in its script: {step['run']!r}")
        for instance in names if stage == "on" else [stage]:
            env = {variable: github_evaluate(value, f"the env: of job {stage}", instance)
                   for variable, value in step.get("env", {}).items()}
            argv = argv_of(work, step["run"], env)
            if stage == "downstream":
                want = ["gh", "workflow", "run", "chain.yml", "--repo", "owner/we\"ird' ${{ github.token }} repo", "--ref", "$(id)`id`;x"]
            else:
                want = command(instance)
            expect(argv == want, f"GitHub job {stage} runs {argv}, not {want}")


def main():
    with tempfile.TemporaryDirectory() as work:
        os.makedirs(os.path.join(work, FOLDER))
        with open(os.path.join(work, FILE), "w") as out:
            out.write(PIPELINE)
        os.makedirs(os.path.join(work, "bin"))
        for program in ["chain", "gh"]:
            path = os.path.join(work, "bin", program)
            with open(path, "w") as out:
                out.write(f"#!/usr/bin/env python3\nimport json, sys\nprint(json.dumps([{program!r}] + sys.argv[1:]))\n")
            os.chmod(path, 0o755)
        names = instances(work)
        check_gitlab(work, names)
        check_github(work, names)
        # A stage named as a GitLab keyword would be read as that keyword: refused, nothing written.
        with open(os.path.join(work, "keyword.chain"), "w") as out:
            out.write('stage variables {\n  sh(["true"])\n}\n')
        done = subprocess.run([CHAIN, "export", "--to", "gitlab", "keyword.chain"], cwd=work,
                              capture_output=True, text=True)
        expect(done.returncode == 1 and done.stdout == "" and "stage 'variables' has a name GitLab reads" in done.stderr,
               f"a stage named variables: exit {done.returncode}, {done.stdout!r}, {done.stderr!r}")
    print("ok: hostile values exported to GitLab and GitHub read back unchanged, as quoted strings and shell words")


main()
