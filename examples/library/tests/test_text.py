from acme_utils import slugify, title_case


def test_slugify_joins_words_with_dashes():
    assert slugify("Hello, World!") == "hello-world"


def test_slugify_of_nothing_is_empty():
    assert slugify("  ") == ""


def test_title_case_normalises_spacing():
    assert title_case("  blue   green ") == "Blue Green"
