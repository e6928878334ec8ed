"""The base protocol of LSP over a child's pipes: `Content-Length` headers, a blank line, a JSON body.
Shared by tests/lsp/session_test.py and bench/lsp_bench.py."""
import json
import sys


def write(process, body: bytes):
    process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    process.stdin.flush()


def send(process, message):
    write(process, json.dumps(message).encode())


def receive(process):
    length = None
    while True:
        line = process.stdout.readline()
        if not line:
            sys.exit("chain lsp closed its output")
        line = line.strip()
        if not line:
            break
        name, value = line.split(b":", 1)
        if name.lower() == b"content-length":
            length = int(value)
    return json.loads(process.stdout.read(length))
