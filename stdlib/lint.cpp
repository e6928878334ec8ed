#include "builtin.hpp"

namespace chain::stdlib {

namespace {

Value plan_lint(const Invocation& call, std::vector<Step>& steps) {
    std::string tool = call.text(0, "flake8");
    std::vector<std::string> paths = call.arg(1) ? call.texts(1) : std::vector<std::string>{"."};
    std::vector<std::string> args = call.texts(2);
    std::string folder = call.destination();
    Step step;
    if (tool == "flake8") {
        step = command("lint", joined(joined({"python3", "-m", "flake8", "--tee", "--output-file=" + folder + "/flake8.txt"},
                                             args),
                                      paths));
        step.report_format = "flake8";
        step.report_path = folder + "/flake8.txt";
    } else if (tool == "pylint") {
        step = command("lint", joined(joined({"python3", "-m", "pylint", "--output=" + folder + "/pylint.txt"}, args), paths));
    } else if (tool == "mypy") {
        step = command("lint", joined(joined({"python3", "-m", "mypy", "--junit-xml", folder + "/mypy.xml"}, args), paths));
    } else {
        step = command("lint", joined(args, paths));
        step.env.emplace_back("CHAIN_REPORT", folder + "/lint.txt");
    }
    steps.push_back(std::move(step));
    return artifact_at(folder, artifact_report);
}

} // namespace

void add_lint(std::vector<Builtin>& out) {
    out.push_back(Builtin{"lint",
                          "Run a linter over paths and keep its report",
                          {enum_param("tool", {"flake8", "pylint", "mypy", "command"}, false, "flake8"),
                           param("paths", str_list(), false, "[\".\"]"), param("args", str_list(), false, "[]"),
                           param("env", Type::of(Type::record), false, "{}")},
                          BlockUse::none,
                          returns(Type::artifact_of(artifact_report)),
                          nullptr,
                          plan_lint});
}

} // namespace chain::stdlib
