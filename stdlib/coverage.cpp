#include "builtin.hpp"

namespace chain::stdlib {

namespace {

Value plan_coverage(const Invocation& call, std::vector<Step>& steps) {
    std::string data = call.scratch + "/.coverage";
    std::string minimum = call.arg(0) ? text_of(*call.arg(0)) : "0%";
    minimum.pop_back(); // `80%` -> `80`
    std::string python = python_program(call.text(2, "3"));
    std::vector<Step> made{
        command("coverage", joined({python, "-m", "coverage", "run", "-m", "pytest"}, call.texts(1))),
        command("coverage", {python, "-m", "coverage", "xml", "-o", call.destination() + "/coverage.xml"}),
        command("coverage", {python, "-m", "coverage", "report", "--fail-under=" + minimum}),
    };
    made[2].report_format = "coverage";
    made[2].report_path = call.destination() + "/coverage.xml";
    for (Step& step : made) {
        step.env.emplace_back("COVERAGE_FILE", data);
        steps.push_back(std::move(step));
    }
    return artifact_at(call.destination(), artifact_report);
}

} // namespace

void add_coverage(std::vector<Builtin>& out) {
    out.push_back(Builtin{"coverage",
                          "Run the tests under coverage.py; fail below `min`",
                          {param("min", Type::of(Type::percent), false, "0%"), param("args", str_list(), false, "[]"),
                           param("python", Type::of(Type::str), false, "\"3\""),
                           param("env", Type::of(Type::record), false, "{}")},
                          BlockUse::none,
                          returns(Type::artifact_of(artifact_report)),
                          nullptr,
                          plan_coverage});
}

} // namespace chain::stdlib
