"""Small text helpers shared by the acme applications."""

import re

__all__ = ["slugify", "title_case"]


def slugify(text):
    """Lower-case words joined by single dashes: 'Hello, World!' -> 'hello-world'."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    return "-".join(words)


def title_case(text):
    """Each word capitalised, the spacing normalised."""
    return " ".join(word.capitalize() for word in text.split())
