#!/usr/bin/env python3
"""chain repl on a real terminal (a tmux pane): tab completion, history across sessions in ~/.chain_history,
and Ctrl-C dropping an unfinished entry. What the pane shows is compared, as a user would see it.
Usage: pty_test.py CHAIN PIPELINE_FILE"""
import os
import re
import subprocess
import sys
import tempfile
import time

chain, pipeline = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
home = tempfile.mkdtemp()
server = f"chain-repl-test-{os.getpid()}"


def tmux(*args):
    return subprocess.run(["tmux", "-L", server, "-f", "/dev/null", *args], check=True,
                          capture_output=True, text=True).stdout


class Session:
    def __init__(self, name):
        self.name = name
        self.status = os.path.join(home, f"{name}.exit")
        command = (f"HOME={home} TERM=xterm {chain} repl --branch develop {pipeline}; "
                   f"echo $? > {self.status}")
        tmux("new-session", "-d", "-s", name, "-x", "150", "-y", "50", command)
        tmux("set-option", "-t", name, "remain-on-exit", "on")

    def screen(self):
        return tmux("capture-pane", "-p", "-t", self.name).rstrip("\n")

    def expect(self, pattern, timeout=10):
        """Waits until the pane's text matches `pattern` (a regex), as the terminal renders it (tmux drops
        the spaces at the end of a line)."""
        deadline = time.monotonic() + timeout
        while not re.search(pattern, self.screen()):
            if time.monotonic() > deadline:
                sys.exit(f"timed out waiting for {pattern!r}; the pane shows:\n{self.screen()}")
            time.sleep(0.05)  # polling tmux for a condition, with a deadline
        return self.screen()

    def keys(self, *keys):
        tmux("send-keys", "-t", self.name, *keys)

    def end(self):
        self.keys("C-d")
        deadline = time.monotonic() + 10
        while not os.path.exists(self.status) or not open(self.status).read().strip():
            if time.monotonic() > deadline:
                sys.exit("chain repl did not end on Ctrl-D")
            time.sleep(0.05)
        code = open(self.status).read().strip()
        if code != "0":
            sys.exit(f"chain repl exited with {code}")
        tmux("kill-session", "-t", self.name)


try:
    first = Session("first")
    first.expect(r"chain develop>\s*$")
    first.keys(":pl", "Tab")  # the one command that starts so
    first.expect(r"chain develop> :plan\s*$")
    first.keys("bu", "Tab")  # a stage name
    first.expect(r"chain develop> :plan build\s*$")
    first.keys("Enter")
    first.expect(r"build  runs: develop matches[\s\S]*chain develop>\s*$")
    first.keys("test(ru", "Tab")  # a keyword argument of the builtin being called
    first.expect(r"chain develop> test\(runner:\s*$")
    first.keys("py", "Tab")  # a word of that enum
    first.expect(r"chain develop> test\(runner: pytest\s*$")
    first.keys("C-u", '"a" + "b"', "Enter")
    first.expect(r'"ab" : str\nchain develop>\s*$')
    first.keys("stage broken {", "Enter")
    first.expect(r"\.\.\.>\s*$")
    first.keys("C-c")  # drops the unfinished entry
    first.expect(r"\nchain develop>\s*$")
    first.keys(":stages", "Enter")
    screen = first.expect(r"downstream .*\nchain develop>\s*$")
    if "broken" in screen.split(":stages")[-1]:
        sys.exit(f"Ctrl-C did not drop the unfinished stage:\n{screen}")
    first.end()

    # libedit's history file writes a space as backslash-040.
    history = open(os.path.join(home, ".chain_history")).read().replace("\\040", " ")
    for entry in (":plan build", '"a" + "b"', ":stages"):
        if entry not in history:
            sys.exit(f"{entry!r} is not in ~/.chain_history:\n{history}")

    second = Session("second")
    second.expect(r"chain develop>\s*$")
    second.keys("Up", "Up", "Up")  # :stages, the line of the dropped stage, then "a" + "b"
    second.expect(r'chain develop> "a" \+ "b"$')
    second.keys("Enter")
    second.expect(r'"ab" : str\nchain develop>\s*$')
    second.end()
finally:
    subprocess.run(["tmux", "-L", server, "kill-server"], capture_output=True)
print("ok: completion of commands, stages, keyword arguments and enum words; history across sessions; Ctrl-C")
