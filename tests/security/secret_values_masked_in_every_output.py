"""A secret's value never shows, whatever its characters: not on the terminal, in plans (text and JSON),
run records, logs or the REPL, neither as it is nor JSON-escaped nor shell-quoted; JSON stays JSON.
    secret_values_masked_in_every_output.py CHAIN
"""
import json
import os
import pathlib
import shlex
import subprocess
import sys
import tempfile

CHAIN = os.path.realpath(sys.argv[1])
HEADER = 'pipeline "demo"\nsecret key = env("ACME_KEY")\n\n'
failures = []


def check(condition, what):
    if not condition:
        failures.append(what)


def repository(folder, source):
    """A git repository on branch main holding pipeline.chain."""
    folder.mkdir()
    (folder / "pipeline.chain").write_text(source)
    git = ["git", "-C", str(folder), "-c", "user.name=chain", "-c", "user.email=chain@localhost"]
    subprocess.run(git + ["init", "-q", "-b", "main"], check=True)
    subprocess.run(git + ["add", "-A"], check=True)
    subprocess.run(git + ["commit", "-q", "-m", "initial"], check=True)
    return folder


def chain(folder, secret, *args, stdin=None):
    env = dict(os.environ, ACME_KEY=secret, PATH="/usr/sbin:/usr/bin:/sbin:/bin")
    return subprocess.run([CHAIN, *args], cwd=folder, env=env, input=stdin, capture_output=True, text=True)


def chain_quoted(text):
    """The shell word chain's plans write for `text` (stdlib shell_quote)."""
    return "'" + text.replace("'", "'\\''") + "'"


def forms(secret):
    """The secret as it is, JSON-escaped and shell-quoted: none may appear anywhere."""
    return {secret, json.dumps(secret)[1:-1], shlex.quote(secret), chain_quoted(secret)}


def json_strings(document):
    if isinstance(document, str):
        yield document
    elif isinstance(document, list):
        for item in document:
            yield from json_strings(item)
    elif isinstance(document, dict):
        for value in document.values():
            yield from json_strings(value)


def parsed(case, where, text):
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        failures.append(f"{case}: {where} is not JSON: {error}")
        return None


def assert_hidden(case, secret, texts):
    """Text must not hold the secret in any form; a JSON document must parse, and none of its string
    values may hold it (its keys and quotes are structure, whatever the secret)."""
    for where, text in texts.items():
        strings = [text]
        if where.endswith("json"):
            document = parsed(case, where, text)
            strings = list(json_strings(document)) if document is not None else []
        for form in forms(secret):
            check(all(form not in string for string in strings), f"{case}: {form!r} shows in {where}")


def files_under(folder, skip=()):
    texts = {}
    for path in (folder / ".chain").rglob("*"):
        if path.is_file() and not any(part in path.parts for part in skip):
            texts[str(path.relative_to(folder))] = path.read_text(errors="replace")
    return texts


def plan_and_run(case, folder, secret, run_exit, skip=()):
    """Plans as text and JSON and runs; checks every output; returns (plan JSON, run record) parsed."""
    text = chain(folder, secret, "plan")
    as_json = chain(folder, secret, "plan", "--format", "json")
    verbose = chain(folder, secret, "plan", "--explain")
    run = chain(folder, secret, "run", "--verbose")
    check(text.returncode == 0 and as_json.returncode == 0, f"{case}: chain plan failed: {text.stderr}{as_json.stderr}")
    check(run.returncode == run_exit, f"{case}: chain run exited {run.returncode}, not {run_exit}: {run.stdout}{run.stderr}")
    check(as_json.stderr == "", f"{case}: chain plan --format json said {as_json.stderr}")
    outputs = {"plan": text.stdout + text.stderr, "plan --format json": as_json.stdout,
               "plan --explain": verbose.stdout + verbose.stderr, "run's output": run.stdout + run.stderr}
    outputs.update(files_under(folder, skip))
    assert_hidden(case, secret, outputs)
    records = list((folder / ".chain" / "runs").glob("*/run.json"))
    check(len(records) == 1, f"{case}: {len(records)} run records")
    record = parsed(case, "run.json", records[0].read_text()) if records else None
    return parsed(case, "plan --format json", as_json.stdout), record, run


QUOTED = "it's \"quoted\" \\ $HOME"


def argv0(work):
    """argv[0] a secret: the step cannot start, and the terminal says so without the value."""
    folder = repository(work / "argv0", HEADER + 'stage s {\n  sh([key, "x"])\n}\n')
    plan, record, run = plan_and_run("argv[0]", folder, "hunter2", 1)
    check("command not found: ***" in run.stdout, f"argv[0]: the failure is not shown masked: {run.stdout}")


def quotes(work):
    """Quotes, a backslash and a dollar: in argv words, in an environment value, and inside a sh string."""
    source = (HEADER + 'stage s {\n  sh(["echo", key])\n'
              '  sh(["sh", "-c", "printf \'%s\\\\n\' \\"$V\\""], env: { V: key })\n'
              '  sh("printf \'%s\\\\n\' ${key}")\n}\n')
    folder = repository(work / "quoted", source)
    plan_and_run("quotes", folder, QUOTED, 0)
    logs = [path.read_text() for path in (folder / ".chain" / "runs").glob("*/logs/s/*.log")]
    check(len(logs) == 3 and all(log == "***\n" for log in logs), f"quotes: the logs are not masked lines: {logs}")


def two_lines(work):
    """A key of two lines, printed by sh as two lines: plans, the record and the log."""
    source = HEADER + 'stage s {\n  sh(["printf", "%s\\\\n", key])\n}\n'
    folder = repository(work / "lines", source)
    plan_and_run("two lines", folder, "-----BEGIN KEY-----\nc2VjcmV0\n-----END KEY-----", 0)


def json_key(work):
    """A secret that is also a key of chain's JSON: keys and structure stay, no value holds it."""
    folder = repository(work / "name", HEADER + 'stage s {\n  sh(["echo", key])\n}\n')
    plan, record, run = plan_and_run("name", folder, "name", 0)
    check(list(plan) == ["pipeline", "ref", "version", "stages"], f"name: the plan's keys are {list(plan)}")
    check(plan["stages"][0]["name"] == "s", "name: the plan's stage lost its name")
    check(plan["stages"][0]["steps"][0]["argv"] == ["echo", "***"], f"name: argv {plan['stages'][0]['steps']}")
    check(all("name" not in value for value in json_strings(plan)), "name: a plan value holds the secret")
    check(record["stages"][0]["name"] == "s" and record["status"] == "success", f"name: the record {record}")
    check(all("name" not in value for value in json_strings(record)), "name: a record value holds the secret")


def json_quote(work):
    """A secret with JSON's own quote character: documents stay valid, and a value "ab" stays what it is."""
    source = HEADER + 'stage s {\n  sh(["echo", "ab", key])\n}\n'
    folder = repository(work / "quote", source)
    plan, record, run = plan_and_run("\"ab\"", folder, '"ab"', 0)
    check(plan["stages"][0]["steps"][0]["argv"] == ["echo", "ab", "***"], f"\"ab\": plan argv {plan['stages']}")
    check(record["stages"][0]["steps"][0]["argv"] == ["echo", "ab", "***"], f"\"ab\": record argv {record}")


def repl(work):
    """The REPL: a plan and values."""
    folder = repository(work / "repl", HEADER + 'stage s {\n  sh(["echo", key])\n}\n')
    shown = chain(folder, QUOTED, "repl", "pipeline.chain", stdin=":plan\nkey\n\"in ${key} here\"\n")
    check(shown.returncode == 0, f"repl: exit {shown.returncode}: {shown.stderr}")
    check("echo '***'" in shown.stdout, f"repl: the plan's step is not masked: {shown.stdout}")
    check("*** : str" in shown.stdout, f"repl: the value is not masked: {shown.stdout}")
    assert_hidden("repl", QUOTED, {"the REPL's output": shown.stdout + shown.stderr})


for case in (argv0, quotes, two_lines, json_key, json_quote, repl):
    with tempfile.TemporaryDirectory() as work:
        try:
            case(pathlib.Path(work))
        except (KeyError, IndexError, TypeError) as error:  # a document without the structure it must keep
            failures.append(f"{case.__name__}: {error!r}")

for failure in failures:
    print("FAILED:", failure)
sys.exit(1 if failures else 0)
