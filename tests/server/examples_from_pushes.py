#!/usr/bin/env python3
"""The chain of the examples from pushes alone: `git push` of develop to the library's bare repository starts
its run (tests, lint, coverage, wheel and sdist to the index); its trigger starts the application's run,
linked, which installs that very wheel; a push of the tag v1.0.0 builds the library's release: its tests, and
its wheel and sdist of version 1.0.0 to the index."""
import io
import json
import os
import shutil
import subprocess
import sys
import urllib.parse
import zipfile

from serverlib import Server, commit_files, git, install_hook, temporary_folder

EXAMPLES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples")


def repository(root, example, name):
    work = os.path.join(root, name + "-work")
    shutil.copytree(os.path.join(EXAMPLES, example), work)
    git("init", "-q", "-b", "master", cwd=work)
    commit_files(work, {}, "initial")
    git("tag", "v0.9.0", cwd=work)
    git("checkout", "-q", "-b", "develop", cwd=work)
    bare = os.path.join(root, name + ".git")
    git("init", "-q", "--bare", bare, cwd=root)
    git("remote", "add", "origin", bare, cwd=work)
    git("push", "-q", "origin", "master", "develop", "v0.9.0", cwd=work)
    return work, bare


def built_wheel(server, run, path):
    """The wheel a run's record names at `path` (a file, or a folder holding one), downloaded as a tester would:
    its file name and its METADATA."""
    status, body = server.request("GET", f"/api/runs/{run}/artifacts/{urllib.parse.quote(path)}")
    assert status == 200, (path, status, body)
    if not path.endswith(".whl"):
        files = [name for name in json.loads(body)["files"] if name.endswith(".whl")]
        assert len(files) == 1, files
        path = f"{path}/{files[0]}"
        status, body = server.request("GET", f"/api/runs/{run}/artifacts/{urllib.parse.quote(path)}")
        assert status == 200, (path, status, body)
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        metadata = [name for name in archive.namelist() if name.endswith(".dist-info/METADATA")]
        return os.path.basename(path), archive.read(metadata[0]).decode()


def main(chain):
    with temporary_folder() as root:
        utils, utils_bare = repository(root, "library", "acme-utils")
        _, web_bare = repository(root, "application", "acme-web")
        server = Server(chain, root, {"acme-utils": utils_bare, "acme-web": web_bare})
        # Debian's Python with its pytest, flake8 and coverage, as in the end-to-end tests.
        server.env.update(PATH="/usr/sbin:/usr/bin:/sbin:/bin", ACME_NOTIFY_TOKEN="notify-token")
        server.start()
        try:
            install_hook(utils_bare, server, "acme-utils")
            commit_files(utils, {"CHANGES": "work on develop\n"}, "work on develop")
            subprocess.run(["git", "push", "-q", "origin", "develop"], cwd=utils, check=True, capture_output=True)
            library = server.wait_for_run(1, seconds=600)
            assert library["status"] == "success", (library, server.request("GET", "/api/runs/1/log/chain.log"))
            assert library["downstream"] == [2], library
            application = server.get_json("/api/runs/2")
            assert application["repository"] == "acme-web" and application["upstream"] == 1, application
            assert application["ref"] == "refs/heads/develop" and application["status"] == "success", application
            version = library["version"]
            # The application's test environment holds the wheel the library's run built.
            site = os.path.join(root, "state", "checkouts", "1", "acme-web", ".chain", "out")
            installed = [d for folder, dirs, _ in os.walk(site, followlinks=True) for d in dirs if d.startswith("acme_utils-")]
            assert f"acme_utils-{version}.dist-info" in installed, (version, installed)

            # The release: a push of the tag alone plans the library's release (its tests, then the wheel and
            # sdist of 1.0.0 to the index); nothing in it needs the network or root.
            git("tag", "v1.0.0", cwd=utils)
            subprocess.run(["git", "push", "-q", "origin", "v1.0.0"], cwd=utils, check=True, capture_output=True)
            release = server.wait_for_run(3, seconds=600)
            assert release["ref"] == "refs/tags/v1.0.0" and release["version"] == "1.0.0", release
            assert release["status"] == "success", (release, server.request("GET", "/api/runs/3/log/chain.log"))
            assert release["upstream"] is None and release["downstream"] == [], release
            stages = {stage["name"]: stage for stage in release["record"]["stages"]}
            assert release["record"]["ref"] == {"kind": "tag", "name": "v1.0.0"}, release["record"]["ref"]
            assert {name: stage["status"] for name, stage in stages.items()} == {
                "test[python=3.11]": "success", "build": "success", "downstream": "skipped"}, stages
            wheel = built_wheel(server, 3, stages["build"]["artifacts"]["wheel"]["path"])
            assert wheel[0] == "acme_utils-1.0.0-py3-none-any.whl", wheel[0]
            assert "\nVersion: 1.0.0\n" in wheel[1], wheel[1]
            index = os.path.join(root, "state", "checkouts", "3", ".index", "simple", "acme-utils")
            assert "acme_utils-1.0.0-py3-none-any.whl" in os.listdir(index), os.listdir(index)
        finally:
            code, _ = server.stop()
        assert code == 0
    print("ok")


if __name__ == "__main__":
    main(sys.argv[1])
