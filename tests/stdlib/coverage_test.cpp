#include "invoke.hpp"

#include "../temp_folder.hpp"

using namespace chain;
using namespace chain::test;

namespace {

stdlib::Value percent(double value) {
    stdlib::Value minimum;
    minimum.kind = stdlib::Value::Kind::percent;
    minimum.percent = value;
    return minimum;
}

/// The argv of `coverage run` for the pipeline in `project`, with these arguments.
Argv run_argv(const TempFolder& project, const std::map<std::string, stdlib::Value>& args = {}) {
    Planned planned = invoke("coverage", args, "out", {}, project.root.string());
    REQUIRE(!planned.steps.empty());
    return planned.steps[0].argv;
}

} // namespace

TEST_CASE("coverage runs pytest under coverage, writes the XML report, then checks the minimum") {
    TempFolder project;
    Planned planned = invoke("coverage", {{"min", percent(80)}, {"args", texts({"-q"})}}, "out", {}, project.root.string());
    REQUIRE(planned.steps.size() == 3);
    CHECK(planned.steps[0].argv == Argv{"python3", "-m", "coverage", "run", "--source=.", "-m", "pytest", "-q"});
    CHECK(planned.steps[1].argv == Argv{"python3", "-m", "coverage", "xml", "-o", "out/coverage.xml"});
    CHECK(planned.steps[2].argv == Argv{"python3", "-m", "coverage", "report", "--fail-under=80"});
    CHECK(planned.steps[2].report_format == "coverage:80");
    CHECK(planned.steps[2].report_path == "out/coverage.xml");
    for (const stdlib::Step& step : planned.steps) {
        CHECK(step.env == std::vector<std::pair<std::string, std::string>>{{"COVERAGE_FILE", ".chain/scratch/build/.coverage"}});
    }
}

TEST_CASE("coverage measures what source names, as coverage.py's comma-separated --source") {
    TempFolder project;
    project.write(".coveragerc", "[run]\nsource = elsewhere\n");
    CHECK(run_argv(project, {{"source", texts({"src/acme", "tools"})}}) ==
          Argv{"python3", "-m", "coverage", "run", "--source=src/acme,tools", "-m", "pytest"});
}

TEST_CASE("coverage refuses a source name that coverage.py would split or read as nothing") {
    TempFolder project;
    for (std::string name : {"a,b", ""}) {
        Planned planned = invoke("coverage", {{"source", texts({"pkg", name})}}, "out", {}, project.root.string());
        REQUIRE(planned.steps.size() == 1);
        CHECK(planned.steps[0].argv.empty());
        CHECK(planned.steps[0].action_args.at(0) == "refuse");
        CHECK(planned.steps[0].action_args.at(1) == "coverage(source: ...) has \"" + name +
                                                       "\": name each folder or package as its own item, not empty "
                                                       "and without commas");
    }
}

TEST_CASE("without source, coverage follows the project's settings when they say what to measure") {
    Argv own{"python3", "-m", "coverage", "run", "-m", "pytest"};
    Argv folder{"python3", "-m", "coverage", "run", "--source=.", "-m", "pytest"};
    TempFolder project;
    CHECK(run_argv(project) == folder);

    SECTION("in .coveragerc") {
        project.write(".coveragerc", "[run]\nbranch = True\nsource =\n    acme\n");
        CHECK(run_argv(project) == own);
    }
    SECTION(".coveragerc without a source is read before setup.cfg, as coverage.py reads it") {
        project.write(".coveragerc", "[report]\nshow_missing = True\n");
        project.write("setup.cfg", "[coverage:run]\nsource = acme\n");
        CHECK(run_argv(project) == folder);
    }
    SECTION("in setup.cfg") {
        project.write("setup.cfg", "[metadata]\nname = acme\n\n[coverage:run]\nsource_pkgs = acme\n");
        CHECK(run_argv(project) == own);
    }
    SECTION("in tox.ini, when setup.cfg has no coverage settings") {
        project.write("setup.cfg", "[metadata]\nname = acme\n");
        project.write("tox.ini", "[tox]\nenvlist = py311\n\n[coverage:run]\nInclude = src/*\n");
        CHECK(run_argv(project) == own);
    }
    SECTION("setup.cfg's coverage settings without a source hide tox.ini's") {
        project.write("setup.cfg", "[coverage:report]\nfail_under = 50\n");
        project.write("tox.ini", "[coverage:run]\nsource = acme\n");
        CHECK(run_argv(project) == folder);
    }
    SECTION("in pyproject.toml") {
        project.write("pyproject.toml", "[project]\nname = \"acme\"\n\n[tool.coverage.run]\nsource = [\"acme\"]\n");
        CHECK(run_argv(project) == own);
        project.write("pyproject.toml", "[tool.coverage]\nrun.source = [\"acme\"]\n");
        CHECK(run_argv(project) == own);
    }
    SECTION("settings of other tools or of coverage's report do not count") {
        project.write("pyproject.toml", "[tool.pytest.ini_options]\ntestpaths = [\"tests\"]\n[tool.coverage.report]\n"
                                        "include = [\"x\"]\n");
        project.write("setup.cfg", "[run]\nsource = acme\n");
        CHECK(run_argv(project) == folder);
    }
}
