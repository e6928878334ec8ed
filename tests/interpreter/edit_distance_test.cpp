#include "interpreter/edit_distance.hpp"

#include <catch2/catch.hpp>

using namespace chain;

TEST_CASE("edit distance counts insertions, deletions and substitutions") {
    CHECK(edit_distance("test", "test", 3) == 0);
    CHECK(edit_distance("tets", "test", 3) == 2);
    CHECK(edit_distance("whl", "wheel", 3) == 2);
    CHECK(edit_distance("", "abc", 3) == 3);
    CHECK(edit_distance("abcdefgh", "a", 3) == 4); // gives up past the maximum
}

TEST_CASE("the closest name is suggested only when it is close for its length") {
    CHECK(closest_name("tets", {"test", "build", "deploy"}) == "test");
    CHECK(closest_name("whl", {"wheel", "sdist"}) == "wheel");
    CHECK(closest_name("runer", {"runner", "python", "args"}) == "runner");
    CHECK(closest_name("a", {"b", "abc"}) == "b");
    CHECK(closest_name("zz", {"build", "test"}).empty());
    CHECK(closest_name("deploy", {"deploy"}).empty()); // the name itself is no suggestion
    CHECK(closest_name("pytst", {"tox", "pytest", "unittest"}) == "pytest");
}
