#include "invoke.hpp"

#include "stdlib/actions.hpp"
#include "stdlib/coverage_floor.hpp"

#include "../temp_folder.hpp"

#include <sys/stat.h>

using namespace chain;
using namespace chain::test;

namespace {

stdlib::Value percent(double value) {
    stdlib::Value minimum;
    minimum.kind = stdlib::Value::Kind::percent;
    minimum.percent = value;
    return minimum;
}

/// coverage.py's XML report with `covered` of `valid` lines (and no branches).
std::string report(int covered, int valid) {
    return "<?xml version=\"1.0\" ?>\n<coverage version=\"7.2.7\" timestamp=\"1\" lines-valid=\"" + std::to_string(valid) +
           "\" lines-covered=\"" + std::to_string(covered) +
           "\" line-rate=\"0\" branches-covered=\"0\" branches-valid=\"0\" branch-rate=\"0\" complexity=\"0\">\n</coverage>\n";
}

/// The ratchet step of `coverage(ratchet: floor)`, planned into `out`.
stdlib::Step ratchet_step(const std::string& floor) {
    Planned planned = invoke("coverage", {{"ratchet", text(floor)}}, "out");
    REQUIRE(planned.steps.size() == 4);
    return planned.steps[3];
}

/// Runs the ratchet against `floor` in a project whose report covers `covered` of 1000 lines; the error.
std::string ratchet(const TempFolder& project, const std::string& floor, int covered) {
    project.write("out/coverage.xml", report(covered, 1000));
    return stdlib::perform_action(ratchet_step(floor), project.root);
}

std::string parsed_problem(std::string_view text) {
    auto parsed = stdlib::parse_coverage_floor(text, "ci/coverage-floor");
    const std::string* problem = std::get_if<std::string>(&parsed);
    return problem ? *problem : "";
}

} // namespace

TEST_CASE("coverage with a ratchet checks the floor after the report, reading the floor file as an input") {
    Planned planned = invoke("coverage", {{"ratchet", text("ci/coverage-floor")}}, "out");
    REQUIRE(planned.steps.size() == 4);
    const stdlib::Step& step = planned.steps[3];
    CHECK(step.argv.empty());
    CHECK(step.action_args == std::vector<std::string>{"coverage-floor", "ci/coverage-floor", "out/coverage.xml",
                                                       "out/coverage-floor", ".chain/scratch/build/coverage-floor.txt"});
    CHECK(step.action == "check the coverage against the floor in ci/coverage-floor, and write the floor it reaches "
                         "to out/coverage-floor");
    CHECK(step.reads == std::vector<std::string>{"ci/coverage-floor"});
    CHECK(step.report_format == "text");
    // Its summary says what the coverage is: the report's says it only when it checks a minimum too.
    CHECK(planned.steps[2].report_format.empty());
    Planned both = invoke("coverage", {{"ratchet", text("ci/coverage-floor")}, {"min", percent(80)}}, "out");
    REQUIRE(both.steps.size() == 4);
    CHECK(both.steps[2].argv.back() == "--fail-under=80");
    CHECK(both.steps[2].report_format == "coverage:80");
    CHECK(invoke("coverage", {}, "out").steps.size() == 3);
}

TEST_CASE("a floor file holds one number from 0 to 100, and a line end") {
    for (auto [text, floor] : std::vector<std::pair<std::string, double>>{
             {"81.0\n", 81}, {"81", 81}, {"  84.25 \r\n\n\n", 84.25}, {"\n100\n", 100}, {"0.0\n", 0}}) {
        auto parsed = stdlib::parse_coverage_floor(text, "ci/coverage-floor");
        REQUIRE(std::holds_alternative<stdlib::CoverageFloor>(parsed));
        CHECK(std::get<stdlib::CoverageFloor>(parsed).percent == floor);
    }
    CHECK(std::get<stdlib::CoverageFloor>(stdlib::parse_coverage_floor(" 84.25\n", "f")).text == "84.25");
    CHECK(parsed_problem("") == "ci/coverage-floor:1: the coverage floor file is empty: write one number from 0 to 100, "
                                "like 81.0");
    CHECK(parsed_problem("\n \n") == parsed_problem(""));
    CHECK(parsed_problem("81.0%\n") ==
          "ci/coverage-floor:1: '81.0%' is not a coverage floor: write one number from 0 to 100, like 81.0");
    CHECK(parsed_problem("\n100.1\n") ==
          "ci/coverage-floor:2: '100.1' is not a coverage floor: write one number from 0 to 100, like 81.0");
    CHECK(parsed_problem("81.0\n82.0\n") ==
          "ci/coverage-floor:2: a coverage floor file holds one number, and this line is one more: '82.0'");
    for (std::string wrong : {"-1", "1e2", ".5", "5.", "nan", "inf", "0x50", "8 1", "eighty"}) {
        CHECK(parsed_problem(wrong).starts_with("ci/coverage-floor:1: '" + wrong + "' is not a coverage floor"));
    }
    // What the file holds reaches the message only as printable text.
    CHECK(parsed_problem("\x1b]0;owned\x07" + std::string(60, 'x')) ==
          "ci/coverage-floor:1: '?]0;owned?" + std::string(30, 'x') +
              "...' is not a coverage floor: write one number from 0 to 100, like 81.0");
}

TEST_CASE("above the floor the stage passes, and offers the new floor to commit") {
    TempFolder project;
    project.write("ci/coverage-floor", "81.0\n");
    CHECK(ratchet(project, "ci/coverage-floor", 842) == "");
    CHECK(project.read("out/coverage-floor") == "84.2\n");
    CHECK(project.read(".chain/scratch/build/coverage-floor.txt") ==
          "coverage 84.2%, above the floor 81.0%: raise it with cp --no-preserve=mode out/coverage-floor "
          "ci/coverage-floor\n");
    CHECK(project.read("ci/coverage-floor") == "81.0\n"); // the repository's file is the user's to change
}

TEST_CASE("at the floor the stage passes, and a floor of more digits is compared with the coverage as shown") {
    TempFolder project;
    project.write("ci/coverage-floor", "84.2\n");
    CHECK(ratchet(project, "ci/coverage-floor", 842) == "");
    CHECK(project.read(".chain/scratch/build/coverage-floor.txt") == "coverage 84.2%, at the floor in ci/coverage-floor\n");
    CHECK(project.read("out/coverage-floor") == "84.2\n");
    project.write("ci/coverage-floor", "84.25\n");
    CHECK(ratchet(project, "ci/coverage-floor", 842) ==
          "coverage 84.2%, below the floor 84.25% in ci/coverage-floor: cover the new code with tests, or lower the "
          "floor there on purpose");
}

TEST_CASE("below the floor the step fails with both figures, and writes no new floor") {
    TempFolder project;
    project.write("ci/coverage-floor", "81.0\n");
    CHECK(ratchet(project, "ci/coverage-floor", 809) ==
          "coverage 80.9%, below the floor 81.0% in ci/coverage-floor: cover the new code with tests, or lower the "
          "floor there on purpose");
    CHECK(!std::filesystem::exists(project.root / "out/coverage-floor"));
}

TEST_CASE("without a floor file there is no floor yet: the artifact carries the first one") {
    TempFolder project;
    CHECK(ratchet(project, "ci/coverage-floor", 500) == "");
    CHECK(project.read("out/coverage-floor") == "50.0\n");
    CHECK(project.read(".chain/scratch/build/coverage-floor.txt") ==
          "coverage 50.0%, no floor yet in ci/coverage-floor: start it with cp --no-preserve=mode out/coverage-floor "
          "ci/coverage-floor\n");
}

TEST_CASE("a malformed floor file fails the step with its file and line") {
    TempFolder project;
    project.write("ci/coverage-floor", "# the floor\n81.0\n");
    CHECK(ratchet(project, "ci/coverage-floor", 900) ==
          "ci/coverage-floor:1: '# the floor' is not a coverage floor: write one number from 0 to 100, like 81.0");
    project.write("ci/coverage-floor", std::string(2000, '8'));
    CHECK(ratchet(project, "ci/coverage-floor", 900) ==
          "ci/coverage-floor:1: the coverage floor file is 2000 bytes long: it holds one number, like 81.0");
    std::filesystem::remove(project.root / "ci/coverage-floor");
    std::filesystem::create_directories(project.root / "ci/coverage-floor");
    CHECK(ratchet(project, "ci/coverage-floor", 900) ==
          "the coverage floor ci/coverage-floor is not a file: it holds one number, like 81.0");
    CHECK(!std::filesystem::exists(project.root / "out/coverage-floor"));
}

TEST_CASE("a floor path that leaves the repository is refused, whatever it leads to") {
    TempFolder outside;
    outside.write("floor", "10.0\n");
    TempFolder project;
    CHECK(ratchet(project, (outside.root / "floor").string(), 900) ==
          "refusing to read the coverage floor '" + (outside.root / "floor").string() +
              "': it is an absolute path, but the floor is a file committed in the repository; give its path from "
              "the pipeline's folder, like ci/coverage-floor");
    CHECK(ratchet(project, "ci/../../floor", 900) ==
          "refusing to read the coverage floor 'ci/../../floor': it leaves the repository through '..', but the "
          "floor is a file committed in it; give its path from the pipeline's folder, like ci/coverage-floor");
    std::filesystem::create_directories(project.root / "ci");
    std::filesystem::create_symlink(outside.root / "floor", project.root / "ci/coverage-floor");
    CHECK(ratchet(project, "ci/coverage-floor", 900) ==
          "refusing to read the coverage floor 'ci/coverage-floor': a symbolic link leads it out of the repository, "
          "to " + (outside.root / "floor").string());
    std::filesystem::create_directory_symlink(outside.root, project.root / "elsewhere");
    CHECK(ratchet(project, "elsewhere/floor", 900) ==
          "refusing to read the coverage floor 'elsewhere/floor': a symbolic link leads it out of the repository, to " +
              (outside.root / "floor").string());
    CHECK(!std::filesystem::exists(project.root / "out/coverage-floor"));
    // A link that stays inside is followed.
    std::filesystem::remove(project.root / "ci/coverage-floor");
    project.write("ci/floors/main", "95.0\n");
    std::filesystem::create_symlink("floors/main", project.root / "ci/coverage-floor");
    CHECK(ratchet(project, "ci/coverage-floor", 900) ==
          "coverage 90.0%, below the floor 95.0% in ci/coverage-floor: cover the new code with tests, or lower the "
          "floor there on purpose");
}

TEST_CASE("the ratchet without a coverage report says so") {
    TempFolder project;
    CHECK(stdlib::perform_action(ratchet_step("ci/coverage-floor"), project.root) ==
          "out/coverage.xml holds no coverage total: the steps before did not write coverage.py's XML report");
}

TEST_CASE("the checker refuses a ratchet written as a path outside the repository") {
    const stdlib::Builtin* coverage = stdlib::standard_library().find("coverage");
    REQUIRE(coverage != nullptr);
    CHECK(coverage->signature().find("ratchet: str") != std::string::npos);
    CHECK(stdlib::floor_path_problem("ci/coverage-floor") == "");
    CHECK(stdlib::floor_path_problem("ci/../coverage-floor") == "");
    CHECK(stdlib::floor_path_problem("") == "names no file");
    CHECK(stdlib::floor_path_problem("/etc/floor") == "is an absolute path, but the floor is a file committed in the repository");
    CHECK(stdlib::floor_path_problem("ci/../../floor") == "leaves the repository through '..', but the floor is a "
                                                          "file committed in it");
}
