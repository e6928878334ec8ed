"""The base protocol of LSP over a child's pipes: `Content-Length` headers, a blank line, a JSON body.
Shared by tests/lsp/session_test.py and bench/lsp_bench.py."""
import json
import sys


def frame(body: bytes) -> bytes:
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def write(process, body: bytes):
    write_raw(process, frame(body))


def write_raw(process, data: bytes):
    """Bytes as they are, framed or not: for what a broken or hostile client sends."""
    process.stdin.write(data)
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
