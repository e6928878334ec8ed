"""What the tests of chain serve share: git repositories in a temporary folder, a real server process on
a free loopback port, and HTTP requests with real signatures (urllib)."""
import atexit
import hashlib
import hmac
import json
import os
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

HOOK = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "server", "hooks", "post-receive")
GIT_ENV = {"GIT_AUTHOR_NAME": "Tester", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "Tester",
           "GIT_COMMITTER_EMAIL": "t@example.org"}


def git(*args, cwd):
    env = dict(os.environ, **GIT_ENV)
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout.strip()


def make_repository(root, name, files, branch="develop"):
    """A working repository `root/name-work` with `files` committed on `branch`, and its bare `root/name.git`."""
    work = os.path.join(root, name + "-work")
    os.makedirs(work)
    git("init", "-q", "-b", branch, cwd=work)
    commit_files(work, files, "first")
    bare = os.path.join(root, name + ".git")
    git("clone", "-q", "--bare", work, bare, cwd=root)
    git("remote", "add", "origin", bare, cwd=work)
    return work, bare


def commit_files(work, files, message):
    for path, text in files.items():
        full = os.path.join(work, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w", encoding="utf-8") as f:
            f.write(text)
    git("add", "-A", cwd=work)
    git("commit", "-q", "--allow-empty", "-m", message, cwd=work)
    return git("rev-parse", "HEAD", cwd=work)


class Server:
    """chain serve on 127.0.0.1, port chosen by the kernel, read from its first line of output."""

    def __init__(self, chain, folder, repositories, token="the-token-1234", extra="", jobs=1):
        self.chain = chain
        self.folder = folder
        self.token = token
        self.secrets = {name: f"secret-of-{name}" for name in repositories}
        lines = [f'listen = "127.0.0.1:0"', 'state = "state"', f"jobs = {jobs}", 'token_env = "TEST_SERVER_TOKEN"',
                 extra]
        for name, url in repositories.items():
            lines += ["[[repository]]", f'name = "{name}"', f'url = "{url}"',
                      f'secret_env = "TEST_SECRET_{name.upper().replace("-", "_")}"']
        self.config = os.path.join(folder, "chain-server.toml")
        with open(self.config, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        self.env = dict(os.environ, TEST_SERVER_TOKEN=token)
        for name, secret in self.secrets.items():
            self.env[f'TEST_SECRET_{name.upper().replace("-", "_")}'] = secret
        self.process = None
        self.url = None

    def start(self):
        self.output = open(os.path.join(self.folder, "server.out"), "a", encoding="utf-8")
        self.process = subprocess.Popen([self.chain, "serve", "--config", self.config], env=self.env,
                                        stdout=subprocess.PIPE, stderr=self.output, text=True)
        # A failed assertion must not leave a server behind.
        atexit.register(self._kill_if_running, self.process)
        first = self.process.stdout.readline()
        assert first.startswith("chain serve: listening on http://127.0.0.1:"), first
        self.url = first.split()[4]
        return self

    @staticmethod
    def _kill_if_running(process):
        if process.poll() is None:
            process.kill()
            process.wait()

    def stop(self, sig=signal.SIGTERM):
        self.process.send_signal(sig)
        rest = self.process.stdout.read()
        code = self.process.wait(timeout=60)
        self.output.close()
        return code, rest

    def request(self, method, path, body=None, headers=None):
        request = urllib.request.Request(self.url + path, data=body, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return answer.status, answer.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def get_json(self, path):
        status, body = self.request("GET", path)
        assert status == 200, (path, status, body)
        return json.loads(body)

    def gitea_push(self, repository, ref, after, secret=None, before="0" * 40):
        body = json.dumps({"ref": ref, "before": before, "after": after, "repository": {"name": repository},
                           "pusher": {"login": "tester"}}).encode()
        signature = hmac.new((secret or self.secrets[repository]).encode(), body, hashlib.sha256).hexdigest()
        return self.request("POST", "/hooks/gitea", body,
                            {"X-Gitea-Event": "push", "X-Gitea-Signature": signature})

    def wait_for_run(self, run_id, statuses=("success", "failed", "interrupted", "superseded"), seconds=60):
        """The run once its status is one of `statuses` (the server is asked every 100 ms)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            status, body = self.request("GET", f"/api/runs/{run_id}")
            if status == 200:
                run = json.loads(body)
                if run["status"] in statuses:
                    return run
            time.sleep(0.1)
        raise AssertionError(f"run {run_id} did not reach {statuses}: {self.get_json(f'/api/runs/{run_id}')}")


def install_hook(bare, server, repository):
    hook = os.path.join(bare, "hooks", "post-receive")
    with open(HOOK, encoding="utf-8") as source, open(hook, "w", encoding="utf-8") as target:
        target.write(source.read())
    os.chmod(hook, 0o755)
    git("config", "chain.server", server.url, cwd=bare)
    git("config", "chain.repository", repository, cwd=bare)
    secret_file = os.path.join(os.path.dirname(bare), repository + ".secret")
    with open(secret_file, "w", encoding="utf-8") as f:
        f.write(server.secrets[repository] + "\n")
    git("config", "chain.secretfile", secret_file, cwd=bare)


def wait_for_file(path, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if os.path.exists(path) and os.path.getsize(path) > 0:
            return
        time.sleep(0.05)
    raise AssertionError(f"{path} never appeared")


def process_gone(pid, seconds=15):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        # A zombie is gone for this purpose: it runs nothing.
        try:
            with open(f"/proc/{pid}/stat", encoding="utf-8") as f:
                if f.read().split(") ")[1].startswith("Z"):
                    return True
        except (FileNotFoundError, IndexError):
            return True
        time.sleep(0.05)
    return False


def temporary_folder():
    return tempfile.TemporaryDirectory(prefix="chain-serve-test-")
