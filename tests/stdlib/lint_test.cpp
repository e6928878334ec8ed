#include "invoke.hpp"

using namespace chain;
using namespace chain::test;

TEST_CASE("lint runs flake8 over the paths, keeping its output as the report") {
    Planned planned = invoke("lint", {{"paths", texts({"src", "tests"})}}, "out");
    CHECK(planned.steps[0].argv ==
          Argv{"python3", "-m", "flake8", "--tee", "--output-file=out/flake8.txt", "src", "tests"});
}

TEST_CASE("lint with pylint and mypy, with extra args before the paths") {
    CHECK(invoke("lint", {{"tool", text("pylint")}, {"args", texts({"-j2"})}}, "out").steps[0].argv ==
          Argv{"python3", "-m", "pylint", "--output=out/pylint.txt", "-j2", "."});
    CHECK(invoke("lint", {{"tool", text("mypy")}, {"paths", texts({"src"})}}, "out").steps[0].argv ==
          Argv{"python3", "-m", "mypy", "--junit-xml", "out/mypy.xml", "src"});
}
