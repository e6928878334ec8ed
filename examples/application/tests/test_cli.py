import subprocess
import sys

from acme_web.cli import main


def test_each_title_becomes_a_slug(capsys):
    assert main(["Blue Green", "Hello, World!"]) == 0
    assert capsys.readouterr().out == "blue-green\nhello-world\n"


def test_the_health_check_runs_as_a_program():
    # An integration test: the installed acme-web with the installed acme-utils.
    done = subprocess.run([sys.executable, "-m", "acme_web", "--check"],
                          capture_output=True, text=True)
    assert done.returncode == 0
    assert done.stdout.startswith("ok acme-web ")


def test_the_health_check_names_both_versions(capsys):
    assert main(["--check"]) == 0
    assert "(acme-utils " in capsys.readouterr().out
