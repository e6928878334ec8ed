#include "invoke.hpp"

using namespace chain;
using namespace chain::test;

TEST_CASE("coverage runs pytest under coverage, writes the XML report, then checks the minimum") {
    stdlib::Value minimum;
    minimum.kind = stdlib::Value::Kind::percent;
    minimum.percent = 80;
    Planned planned = invoke("coverage", {{"min", minimum}, {"args", texts({"-q"})}}, "out");
    REQUIRE(planned.steps.size() == 3);
    CHECK(planned.steps[0].argv == Argv{"python3", "-m", "coverage", "run", "-m", "pytest", "-q"});
    CHECK(planned.steps[1].argv == Argv{"python3", "-m", "coverage", "xml", "-o", "out/coverage.xml"});
    CHECK(planned.steps[2].argv == Argv{"python3", "-m", "coverage", "report", "--fail-under=80"});
    for (const stdlib::Step& step : planned.steps) {
        CHECK(step.env == std::vector<std::pair<std::string, std::string>>{{"COVERAGE_FILE", ".chain/scratch/build/.coverage"}});
    }
}
