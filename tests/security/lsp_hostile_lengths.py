#!/usr/bin/env python3
"""chain lsp survives the Content-Length of a hostile client: a negative one, one above 2^63, and one of
4 GB, are answered with a parse error or read past, and a length that lies about a short input costs no
memory beyond the input: the server's peak memory stays far below what was announced.
    lsp_hostile_lengths.py CHAIN"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lsp"))
import framing  # noqa: E402

chain = sys.argv[1]
# Far above what chain lsp needs for a small session, far below the lengths announced below.
most_kib = 64 * 1024


def session(raw: bytes):
    """Runs chain lsp on `raw` then the end of input: its exit code, the messages it sent and its log."""
    server = subprocess.run([chain, "lsp"], input=raw, capture_output=True, timeout=60)
    out, err = server.stdout, server.stderr
    messages = []
    while out:
        head, _, rest = out.partition(b"\r\n\r\n")
        length = int(head.split(b":")[1])
        messages.append(json.loads(rest[:length]))
        out = rest[length:]
    return server.returncode, messages, err.decode()


def peak_kib(raw: bytes):
    """The peak resident memory of chain lsp reading `raw`, measured on a child of its own."""
    probe = ("import os, subprocess, sys\n"
             "p = subprocess.Popen([sys.argv[1], 'lsp'], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,"
             " stderr=subprocess.DEVNULL)\n"
             "p.stdin.write(sys.stdin.buffer.read()); p.stdin.close()\n"
             "_, status, usage = os.wait4(p.pid, 0)\n"
             "print(usage.ru_maxrss, os.waitstatus_to_exitcode(status))\n")
    result = subprocess.run([sys.executable, "-c", probe, chain], input=raw, capture_output=True, timeout=60)
    kib, code = result.stdout.split()
    return int(kib), int(code)


def failed(what, got):
    sys.exit(f"{what}; got:\n{got}")


shutdown = framing.frame(json.dumps({"jsonrpc": "2.0", "id": 1, "method": "shutdown"}).encode())
exit_message = framing.frame(json.dumps({"jsonrpc": "2.0", "method": "exit"}).encode())

for length in [b"-5", b"9223372036854775808000", b"12abc"]:
    code, messages, log = session(b"Content-Length: " + length + b"\r\n\r\n" + shutdown + exit_message)
    error = messages[0].get("error", {}) if messages else {}
    if code != 0 or error.get("code") != -32700 or messages[1:] != [{"jsonrpc": "2.0", "id": 1, "result": None}]:
        failed(f"Content-Length {length.decode()}: a parse error, then the session goes on to exit 0",
               (code, messages, log))
    expected = f"chain lsp: the message with Content-Length '{length.decode()}' was ignored: that is not a number of bytes\n"
    if log != expected:
        failed(f"Content-Length {length.decode()}: one line in the log", log)

# Above 2^63: read past up to the end of the input, which is the end of the session.
code, messages, log = session(b"Content-Length: 9223372036854775809\r\n\r\n" + shutdown)
if code != 1 or messages or "a message of 9223372036854775809 bytes was skipped" not in log:
    failed("a length above 2^63 is read past to the end of the input", (code, messages, log))

for announced in [b"4000000000", b"60000000"]:
    kib, code = peak_kib(b"Content-Length: " + announced + b"\r\n\r\n" + shutdown)
    if code != 1 or kib > most_kib:
        failed(f"Content-Length {announced.decode()} over a short input: exit 1 at its end, peak memory "
               f"under {most_kib} KiB", (code, kib))

print("ok: hostile Content-Length values are refused or read past, and cost no memory they did not bring")
