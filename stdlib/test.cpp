#include "builtin.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace chain::stdlib {

namespace {

Value plan_test(const Invocation& call, std::vector<Step>& steps) {
    std::string runner = call.text(0, "pytest");
    std::string python = python_program(call.text(1, "3"));
    std::string report = call.destination() + "/junit.xml";
    std::vector<std::string> args = call.texts(2);
    Step step;
    if (runner == "pytest") {
        step = command("test", joined({python, "-m", "pytest", "--junitxml=" + report}, args));
    } else if (runner == "tox") {
        // Each instance its own tox work folder: tox keeps its environments in ./.tox, where two matrix
        // instances building the same environment at once break each other's.
        step = command("test", joined({"tox", "--workdir", call.in_scratch("tox"), "-e", call.text(3)}, args));
        step.env.emplace_back("PYTEST_ADDOPTS", "--junitxml=" + report);
    } else if (runner == "unittest") {
        step = command("test", joined({python, "-m", "xmlrunner", "discover", "--output-file", report}, args));
    } else {
        step = command("test", args);
        step.env.emplace_back("CHAIN_REPORT", report);
    }
    step.report_format = "junit";
    step.report_path = report;
    steps.push_back(std::move(step));
    return artifact_at(call.destination(), artifact_report);
}

} // namespace

void pass_environment_through_tox(Step& step) {
    if (step.builtin != "test" || step.argv.empty() || step.argv.front() != "tox") {
        return;
    }
    auto given = std::find_if(step.env.begin(), step.env.end(),
                              [](const auto& set) { return set.first == "TOX_TESTENV_PASSENV"; });
    std::string names = given == step.env.end() ? "" : given->second; // a user's own list is kept
    for (const auto& [name, value] : step.env) {
        if (name != "TOX_TESTENV_PASSENV") {
            names += (names.empty() ? "" : " ") + name;
        }
    }
    if (given == step.env.end()) {
        step.env.emplace_back("TOX_TESTENV_PASSENV", names);
    } else {
        given->second = names;
    }
}

void add_test(std::vector<Builtin>& out) {
    out.push_back(Builtin{
        "test",
        "Run the tests (pytest, tox, unittest or a command) and keep the JUnit XML report",
        {enum_param("runner", {"pytest", "tox", "unittest", "command"}, false, "pytest"),
         param("python", Type::of(Type::str), false, "\"3\""), param("args", str_list(), false, "[]"),
         param("tox_env", Type::of(Type::str)), param("env", Type::of(Type::record), false, "{}")},
        BlockUse::none,
        returns(Type::artifact_of(artifact_report)),
        [](const CallSite& call) {
            std::vector<CallProblem> problems;
            if (call.word(0) == "tox" && !call.has(3)) {
                problems.push_back({0, "E0210", "test(runner: tox) needs the argument 'tox_env'",
                                    "the tox environment to run, like tox_env: \"py311\""});
            }
            if (call.has(3) && call.word(0) != "tox") {
                problems.push_back({3, "E0230",
                                    fmt::format("test(runner: {}) runs no tox environment: 'tox_env' would do nothing",
                                                call.has(0) ? call.word(0) : "pytest"),
                                    "run it with runner: tox, or remove tox_env"});
            }
            if (call.word(0) == "command" && !call.has(2)) {
                problems.push_back({0, "E0210", "test(runner: command) needs the argument 'args'",
                                    "the command to run, like args: [\"make\", \"check\"]"});
            }
            return problems;
        },
        plan_test});
}

} // namespace chain::stdlib
