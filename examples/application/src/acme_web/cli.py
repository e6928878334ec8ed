"""`acme-web TITLE...` prints the slug of each title; `acme-web --check` is the health check."""

import argparse
from importlib import metadata

from acme_utils import slugify


def versions():
    return {name: metadata.version(name) for name in ("acme-web", "acme-utils")}


def main(argv=None):
    parser = argparse.ArgumentParser(prog="acme-web", description=__doc__)
    parser.add_argument("--check", action="store_true",
                        help="report health and versions, exit 0 when healthy")
    parser.add_argument("titles", nargs="*", help="page titles")
    args = parser.parse_args(argv)
    if args.check:
        found = versions()
        print("ok acme-web {} (acme-utils {})".format(found["acme-web"], found["acme-utils"]))
        return 0
    for title in args.titles:
        print(slugify(title))
    return 0
