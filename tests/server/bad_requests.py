#!/usr/bin/env python3
"""Every bad request gets its status code and starts nothing: a missing or wrong signature, a wrong GitLab
token, an unknown repository, a malformed body, a body over 1 MiB, `..` and `%2e%2e` in a path, an
over-long header, a wrong token for re-run and approve; a stalled client is cut off when its time passes
while the next client is served."""
import hashlib
import hmac
import json
import os
import socket
import sys
import time

from serverlib import Server, make_repository, temporary_folder

PIPELINE = 'pipeline "demo"\n\nstage hello {\n  sh("echo hello")\n}\n'


def raw(server, data, read_timeout=10):
    """Sends bytes as they are (no client normalises the path) and returns the status code."""
    host, port = server.url[len("http://"):].split(":")
    with socket.create_connection((host, int(port)), timeout=read_timeout) as connection:
        connection.sendall(data)
        answer = b""
        while b"\r\n" not in answer:
            piece = connection.recv(4096)
            if not piece:
                break
            answer += piece
    return int(answer.split()[1]) if answer else None


def signed(secret, body):
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def main(chain):
    with temporary_folder() as root:
        work, bare = make_repository(root, "demo", {"pipeline.chain": PIPELINE})
        commit = work and __import__("serverlib").git("rev-parse", "HEAD", cwd=work)
        server = Server(chain, root, {"demo": bare}, extra="request_timeout = 1").start()
        try:
            secret = server.secrets["demo"]
            push = json.dumps({"ref": "refs/heads/develop", "after": commit, "repository": {"name": "demo"}}).encode()
            gitea = {"X-Gitea-Event": "push"}

            checks = []

            def expect(name, status, got):
                checks.append(name)
                assert got[0] == status, (name, status, got)

            expect("no signature", 401, server.request("POST", "/hooks/gitea", push, gitea))
            expect("wrong signature", 401, server.request(
                "POST", "/hooks/gitea", push, dict(gitea, **{"X-Gitea-Signature": signed("not-the-secret", push)})))
            expect("signature of another body", 401, server.request(
                "POST", "/hooks/gitea", push + b" ", dict(gitea, **{"X-Gitea-Signature": signed(secret, push)})))
            expect("github without sha256=", 401, server.request(
                "POST", "/hooks/github", push,
                {"X-GitHub-Event": "push", "X-Hub-Signature-256": signed(secret, push)}))
            expect("wrong gitlab token", 401, server.request(
                "POST", "/hooks/gitlab", push, {"X-Gitlab-Event": "Push Hook", "X-Gitlab-Token": "wrong-token"}))
            other = json.dumps({"ref": "refs/heads/develop", "after": commit,
                                "repository": {"name": "elsewhere"}}).encode()
            expect("unknown repository", 404, server.request(
                "POST", "/hooks/gitea", other, dict(gitea, **{"X-Gitea-Signature": signed(secret, other)})))
            broken = b'{"ref": "refs/heads/develop", "after": '
            expect("malformed JSON", 400, server.request(
                "POST", "/hooks/gitea", broken, dict(gitea, **{"X-Gitea-Signature": signed(secret, broken)})))
            no_commit = json.dumps({"ref": "refs/heads/develop", "after": "HEAD", "repository": {"name": "demo"}}).encode()
            expect("no commit id", 400, server.request(
                "POST", "/hooks/gitea", no_commit, dict(gitea, **{"X-Gitea-Signature": signed(secret, no_commit)})))
            huge = b'{"pad": "' + b"x" * (1024 * 1024) + b'"}'
            expect("body over 1 MiB", 413, (raw(server, b"POST /hooks/gitea HTTP/1.1\r\nHost: x\r\nX-Gitea-Event: push\r\n"
                                                 + f"Content-Length: {len(huge)}\r\n\r\n".encode()),))
            expect("unknown host kind", 404, server.request("POST", "/hooks/bitbucket", push, gitea))
            expect("github ping", 200, server.request(
                "POST", "/hooks/github", b'{"zen": "hi"}',
                {"X-GitHub-Event": "ping", "X-Hub-Signature-256": "sha256=" + signed(secret, b'{"zen": "hi"}')}))
            expect("dot-dot in a path", 400, (raw(server, b"GET /api/runs/1/log/../../../runs.sqlite HTTP/1.1\r\nHost: x\r\n\r\n"),))
            expect("encoded dot-dot", 400, (raw(server, b"GET /api/runs/1/log/%2e%2e/%2E%2E/chain.log HTTP/1.1\r\nHost: x\r\n\r\n"),))
            expect("encoded slash", 400, (raw(server, b"GET /api/runs/1/artifacts/..%2f..%2frun.json HTTP/1.1\r\nHost: x\r\n\r\n"),))
            expect("over-long header", 431, (raw(server, b"GET /api/runs HTTP/1.1\r\nHost: x\r\nX-Long: "
                                                 + b"a" * 20000 + b"\r\n\r\n"),))
            expect("re-run without token", 403, server.request("POST", "/api/runs/1/rerun"))
            expect("re-run with a wrong token", 403, server.request(
                "POST", "/api/runs/1/rerun", headers={"Authorization": "Bearer the-token-1235"}))
            expect("approve with a wrong cookie", 403, server.request(
                "POST", "/api/runs/1/approve/deploy", headers={"Cookie": "chain_token=nope"}))
            expect("trigger from outside a run", 403, server.request(
                "POST", "/internal/runs/1/trigger", b'{"repository": "demo", "ref": "refs/heads/develop"}'))

            # A client that sends half a request and stops holds nothing: the next one is served at once, and
            # the stalled one's connection is closed when request_timeout (1 s here) passes.
            host, port = server.url[len("http://"):].split(":")
            stalled = socket.create_connection((host, int(port)), timeout=10)
            stalled.sendall(b"POST /hooks/gitea HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")
            started = time.monotonic()
            expect("served beside a stalled client", 200, server.request("GET", "/api/runs"))
            assert time.monotonic() - started < 1, "the next client waited for the stalled one"
            assert stalled.recv(4096) == b"", "the stalled client got an answer"
            assert time.monotonic() - started < 5
            stalled.close()

            # Nothing of it ran or was queued, and no checkout was made.
            assert server.get_json("/api/runs") == [], server.get_json("/api/runs")
            assert not os.path.exists(os.path.join(root, "state", "checkouts"))
            assert not os.path.exists(os.path.join(root, "state", "mirrors"))
        finally:
            code, _ = server.stop()
        assert code == 0, code
    print(f"ok: {len(checks)} requests")


if __name__ == "__main__":
    main(sys.argv[1])
