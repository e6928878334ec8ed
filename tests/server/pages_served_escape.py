#!/usr/bin/env python3
"""Every HTML page chain serve answers carries the Content-Security-Policy header and the text/html type,
and a hostile branch name, pushed for real through the shipped post-receive hook, is only ever text: on
the repositories page, the repository's page, the run page, in the badge (also asked for with its `/`
written %2F). A form POST from a browser is answered 303 to the queued run's page; a script still gets 202."""
import http.client
import json
import re
import subprocess
import sys
import urllib.parse

from serverlib import Server, commit_files, git, install_hook, make_repository, temporary_folder

HOSTILE = 'x"><script>alert(1)</script>'

PIPELINE = """pipeline "demo"

stage hello {
  sh("echo '<b>bold</b>' on $(git rev-parse --abbrev-ref HEAD)")
  sh("seq -f 'line %06g of a long log' 1 20000; echo the end")
}
"""


def main(chain):
    with temporary_folder() as root:
        work, bare = make_repository(root, "demo", {"pipeline.chain": PIPELINE})
        server = Server(chain, root, {"demo": bare}).start()
        try:
            install_hook(bare, server, "demo")
            commit_files(work, {"README": "two\n"}, "second")
            pushed = subprocess.run(["git", "push", "-q", "origin", "HEAD:refs/heads/" + HOSTILE], cwd=work,
                                    capture_output=True, text=True, check=True)
            assert "queued" in pushed.stderr + pushed.stdout, pushed
            run = server.wait_for_run(1)
            assert run["ref"] == "refs/heads/" + HOSTILE and run["status"] == "success", run

            policy = None
            pages = ["/", "/repositories/demo", "/runs/1", "/runs/99", "/repositories/nosuch"]
            for path in pages:
                status, headers, body = get(server, path)
                assert status == (404 if "99" in path or "nosuch" in path else 200), (path, status)
                assert headers["Content-Type"] == "text/html; charset=utf-8", (path, headers)
                policy = policy or headers["Content-Security-Policy"]
                assert headers["Content-Security-Policy"] == policy, (path, headers)
                assert policy.startswith("default-src 'none'; script-src 'sha256-"), policy
                assert policy.endswith("; frame-ancestors 'none'"), policy
                assert "<script>alert" not in body and "<b>bold" not in body, (path, body)
                # At most one script: the page's own, allowed by its hash.
                assert body.count("<script") <= 1, (path, body.count("<script"))
            for path in pages[:3]:
                assert "x&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in get(server, path)[2], path
            assert "&lt;b&gt;bold&lt;/b&gt;" in get(server, "/runs/1")[2]

            # A long log: the page holds its last 256 KiB from a whole line, and follows it from its end.
            status, headers, log = get(server, "/api/runs/1/log/hello/2-sh.log")
            length = int(headers["X-Log-Length"])
            assert status == 200 and length == len(log) == 20000 * 26 + 8, (status, length)
            page = get(server, "/runs/1")[2]
            shown = re.search(r"The first (\d+) bytes are not shown", page)
            assert shown, page
            start = int(shown.group(1))
            assert 0 < length - start <= 256 * 1024 and log[start - 1] == "\n", (start, length)
            assert f'data-log="hello/2-sh.log" data-offset="{length}">{log[start:start + 25]}' in page
            assert "line 020000 of a long log\nthe end\n</pre>" in page

            # The badge, the branch's `/` written %2F as the repositories page links it.
            badge = "/badge/demo/" + urllib.parse.quote(HOSTILE, safe="") + ".svg"
            assert badge in get(server, "/")[2].replace("&amp;", "&"), badge
            status, headers, body = get(server, badge)
            assert status == 200 and headers["Content-Type"] == "image/svg+xml", (status, headers)
            assert "<script>" not in body and ">success<" in body, body
            status, _, body = get(server, "/badge/demo/never-pushed.svg")
            assert status == 200 and ">no runs<" in body, body
            assert get(server, "/badge/nosuch/main.svg")[0] == 404

            # A browser's form: 303 to the new run's page; a script: 202 and the id.
            status, headers, _ = get(server, "/api/runs/1/rerun", method="POST", body=b"",
                                     headers={"Content-Type": "application/x-www-form-urlencoded",
                                              "Cookie": "chain_token=" + server.token})
            assert (status, headers["Location"]) == (303, "/runs/2"), (status, headers)
            status, headers, body = get(server, "/api/runs/1/rerun", method="POST", body=b"",
                                        headers={"Authorization": "Bearer " + server.token})
            assert (status, json.loads(body)) == (202, {"run": 3}), (status, body)
            status, headers, body = get(server, "/api/runs/1/rerun", method="POST", body=b"",
                                        headers={"Content-Type": "application/x-www-form-urlencoded"})
            assert status == 403 and headers["Content-Type"] == "text/html; charset=utf-8", (status, headers)
            assert headers["Content-Security-Policy"] == policy and "needs the server&#39;s token" in body, body
            server.wait_for_run(3)
        finally:
            code, _ = server.stop()
        assert code == 0, code
    print("ok")


def get(server, path, method="GET", body=None, headers=None):
    """Status, headers and text of one request; redirects are not followed."""
    host, port = server.url[len("http://"):].split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    connection.request(method, path, body=body, headers=headers or {})
    answer = connection.getresponse()
    text = answer.read().decode()
    connection.close()
    return answer.status, answer.headers, text


if __name__ == "__main__":
    main(sys.argv[1])
