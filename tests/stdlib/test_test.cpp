#include "invoke.hpp"

using namespace chain;
using namespace chain::test;

TEST_CASE("test with pytest runs the given python and writes a JUnit report into the artifact") {
    Planned planned = invoke("test", {{"runner", text("pytest")}, {"python", text("3.11")}, {"args", texts({"-q"})}},
                             ".chain/out/build/report");
    REQUIRE(planned.steps.size() == 1);
    CHECK(planned.steps[0].argv ==
          Argv{"python3.11", "-m", "pytest", "--junitxml=.chain/out/build/report/junit.xml", "-q"});
    CHECK(planned.value.text == ".chain/out/build/report");
}

TEST_CASE("test defaults to pytest on python3, reporting into the scratch folder") {
    Planned planned = invoke("test", {});
    CHECK(planned.steps[0].argv == Argv{"python3", "-m", "pytest", "--junitxml=.chain/scratch/build/junit.xml"});
}

TEST_CASE("test with tox runs the environment in a work folder of its own and asks pytest for the report") {
    Planned planned = invoke("test", {{"runner", text("tox")}, {"tox_env", text("py311")}}, "out");
    CHECK(planned.steps[0].argv == Argv{"tox", "--workdir", ".chain/scratch/build/tox", "-e", "py311"});
    CHECK(planned.steps[0].env == std::vector<std::pair<std::string, std::string>>{{"PYTEST_ADDOPTS", "--junitxml=out/junit.xml"}});
}

TEST_CASE("test with unittest and with a command") {
    CHECK(invoke("test", {{"runner", text("unittest")}}, "out").steps[0].argv ==
          Argv{"python3", "-m", "xmlrunner", "discover", "--output-file", "out/junit.xml"});
    Planned command = invoke("test", {{"runner", text("command")}, {"args", texts({"make", "check"})}}, "out");
    CHECK(command.steps[0].argv == Argv{"make", "check"});
    CHECK(command.steps[0].env == std::vector<std::pair<std::string, std::string>>{{"CHAIN_REPORT", "out/junit.xml"}});
}
