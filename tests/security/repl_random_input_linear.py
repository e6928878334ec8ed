#!/usr/bin/env python3
"""chain repl reads random bytes on its standard input in time that grows with their size, not with its
square: an entry that never closes its braces is scanned once, not once per line. The processor time of
1 MB must stay under 8 times that of 250 KB (linear: 4 times; quadratic: 16).
    repl_random_input_linear.py CHAIN"""
import os
import random
import subprocess
import sys
import tempfile

chain = os.path.abspath(sys.argv[1])


def cpu_seconds(data: bytes, folder: str) -> float:
    """The user and system time of one `chain repl` reading `data`, outside any repository."""
    with tempfile.TemporaryFile() as stdin:
        stdin.write(data)
        stdin.seek(0)
        process = subprocess.Popen([chain, "repl"], stdin=stdin, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, cwd=folder)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):
        sys.exit(f"chain repl ended with {process.returncode} on {len(data)} random bytes")
    return usage.ru_utime + usage.ru_stime


# Random bytes with a '{' on the first line: the entry stays open to the end, as in the worst case.
generator = random.Random(16)
large = b"{\n" + generator.randbytes(1_000_000)
small = large[:250_000]
with tempfile.TemporaryDirectory() as folder:
    # The least of three runs: a loaded machine slows a run, it never speeds one up.
    small_time = min(cpu_seconds(small, folder) for _ in range(3))
    large_time = min(cpu_seconds(large, folder) for _ in range(3))
ratio = large_time / max(small_time, 0.01)
print(f"250 KB: {small_time:.3f} s, 1 MB: {large_time:.3f} s, ratio {ratio:.1f}")
if ratio >= 8:
    sys.exit("chain repl is not linear in its input")
print("ok: chain repl reads random input in linear time")
