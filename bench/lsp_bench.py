#!/usr/bin/env python3
"""chain lsp on a 2,000-line pipeline: the time from sending a one-character change to receiving its
diagnostics, as an editor sees it (pipes, framing and all). Prints the median and the slowest of 50.
   bench/lsp_bench.py [CHAIN]"""
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "lsp"))
import framing  # noqa: E402

chain = sys.argv[1] if len(sys.argv) > 1 else "build/chain"

# About 2,000 lines: stages of 8 lines with needs, conditions, artifacts and calls, like a real pipeline.
lines = ['pipeline "bench"', 'let index = pypi("../.index")', 'param pythons: list<str> = ["3.11", "3.12"]']
stage = 0
while len(lines) < 2000:
    needs = f" needs s{stage - 1}" if stage else ""
    lines += [f"stage s{stage}{needs} when develop | release/* {{",
              f'  test(runner: pytest, python: "3.11", args: ["-q", "tests/test_{stage}.py"])',
              '  lint(tool: flake8, paths: ["src", "tests"])',
              f"  artifact wheel = package(format: wheel, version: version())",
              "  publish(wheel, to: index)",
              f'  sh(["echo", "stage {stage} of ${{version()}}"])',
              "}",
              ""]
    stage += 1
text = "\n".join(lines) + "\n"

server = subprocess.Popen([chain, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)


def send(message):
    framing.send(server, message)


def receive():
    return framing.receive(server)


uri = "file:///tmp/bench/pipeline.chain"
send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}})
receive()
send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
      "params": {"textDocument": {"uri": uri, "languageId": "chain", "version": 1, "text": text}}})
receive()
latencies = []
for version in range(2, 52):
    # One character typed in a string in the middle of the file, then taken back on the next change.
    changed = text.replace("tests/test_120.py", "tests/test_120x.py" if version % 2 == 0 else "tests/test_120.py")
    start = time.perf_counter()
    send({"jsonrpc": "2.0", "method": "textDocument/didChange",
          "params": {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": changed}]}})
    published = receive()
    latencies.append((time.perf_counter() - start) * 1000)
    assert published["method"] == "textDocument/publishDiagnostics"
send({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
receive()
send({"jsonrpc": "2.0", "method": "exit"})
server.wait()
print(f"chain lsp, {len(lines)}-line file ({len(text) // 1024} KB), one-character change to diagnostics: "
      f"median {statistics.median(latencies):.1f} ms, slowest {max(latencies):.1f} ms (50 changes; target: median < 10 ms)")
