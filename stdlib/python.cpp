#include "builtin.hpp"

namespace chain::stdlib {

namespace {

Type str_list() { return Type::list_of(Type::of(Type::str)); }

std::vector<std::string> joined(std::vector<std::string> head, const std::vector<std::string>& tail) {
    head.insert(head.end(), tail.begin(), tail.end());
    return head;
}

Value plan_test(const Invocation& call, std::vector<Step>& steps) {
    std::string runner = call.text(0, "pytest");
    std::string python = python_program(call.text(1, "3"));
    std::string report = call.destination() + "/junit.xml";
    std::vector<std::string> args = call.texts(2);
    Step step;
    if (runner == "pytest") {
        step = command("test", joined({python, "-m", "pytest", "--junitxml=" + report}, args));
    } else if (runner == "tox") {
        step = command("test", joined({"tox", "-e", call.text(3)}, args));
        step.env.emplace_back("PYTEST_ADDOPTS", "--junitxml=" + report);
    } else if (runner == "unittest") {
        step = command("test", joined({python, "-m", "xmlrunner", "discover", "--output-file", report}, args));
    } else {
        step = command("test", args);
        step.env.emplace_back("CHAIN_REPORT", report);
    }
    steps.push_back(std::move(step));
    return artifact_at(call.destination(), artifact_report);
}

Value plan_lint(const Invocation& call, std::vector<Step>& steps) {
    std::string tool = call.text(0, "flake8");
    std::vector<std::string> paths = call.arg(1) ? call.texts(1) : std::vector<std::string>{"."};
    std::vector<std::string> args = call.texts(2);
    std::string folder = call.destination();
    Step step;
    if (tool == "flake8") {
        step = command("lint", joined(joined({"python3", "-m", "flake8", "--tee", "--output-file=" + folder + "/flake8.txt"}, args), paths));
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

Value plan_coverage(const Invocation& call, std::vector<Step>& steps) {
    std::string data = call.scratch + "/.coverage";
    std::string minimum = call.arg(0) ? text_of(*call.arg(0)) : "0%";
    minimum.pop_back(); // `80%` -> `80`
    std::vector<Step> made{
        command("coverage", joined({"python3", "-m", "coverage", "run", "-m", "pytest"}, call.texts(1))),
        command("coverage", {"python3", "-m", "coverage", "xml", "-o", call.destination() + "/coverage.xml"}),
        command("coverage", {"python3", "-m", "coverage", "report", "--fail-under=" + minimum}),
    };
    for (Step& step : made) {
        step.env.emplace_back("COVERAGE_FILE", data);
        steps.push_back(std::move(step));
    }
    return artifact_at(call.destination(), artifact_report);
}

Value plan_virtualenv(const Invocation& call, std::vector<Step>& steps) {
    std::string path = call.text(0);
    std::string pip = path + "/bin/pip";
    std::vector<std::string> index;
    if (const Value* target = call.arg(2)) {
        index = {"--index-url", target->field("url") ? text_of(*target->field("url")) : target->text};
    }
    steps.push_back(command("virtualenv", {"python3", "-m", "venv", path}));
    if (call.arg(1)) {
        steps.push_back(command("virtualenv", joined(joined({pip, "install"}, index), {"-r", call.text(1)})));
    }
    steps.push_back(command("virtualenv", joined(joined({pip, "install"}, index), {"."})));
    steps.push_back(action("virtualenv", "take the virtualenv " + path + " into " + call.destination()));
    Value venv = artifact_at(call.destination(), artifact_venv);
    venv.fields.emplace_back("path", Value::of_text(path));
    return venv;
}

} // namespace

void add_python_builtins(std::vector<Builtin>& out) {
    out.push_back(Builtin{
        "test",
        "Run the tests (pytest, tox, unittest or a command) and keep the JUnit XML report",
        {enum_param("runner", {"pytest", "tox", "unittest", "command"}, false, "pytest"),
         param("python", Type::of(Type::str), false, "\"3\""), param("args", str_list(), false, "[]"),
         param("env", Type::of(Type::str))},
        BlockUse::none,
        returns(Type::artifact_of(artifact_report)),
        [](const CallSite& call) {
            std::vector<CallProblem> problems;
            if (call.word(0) == "tox" && !call.has(3)) {
                problems.push_back({0, "E0210", "test(runner: tox) needs the argument 'env'",
                                    "the tox environment to run, like env: \"py311\""});
            }
            if (call.word(0) == "command" && !call.has(2)) {
                problems.push_back({0, "E0210", "test(runner: command) needs the argument 'args'",
                                    "the command to run, like args: [\"make\", \"check\"]"});
            }
            return problems;
        },
        plan_test});
    out.push_back(Builtin{"lint",
                          "Run a linter over paths and keep its report",
                          {enum_param("tool", {"flake8", "pylint", "mypy", "command"}, false, "flake8"),
                           param("paths", str_list(), false, "[\".\"]"), param("args", str_list(), false, "[]")},
                          BlockUse::none,
                          returns(Type::artifact_of(artifact_report)),
                          nullptr,
                          plan_lint});
    out.push_back(Builtin{"coverage",
                          "Run the tests under coverage.py; fail below `min`",
                          {param("min", Type::of(Type::percent), false, "0%"), param("args", str_list(), false, "[]")},
                          BlockUse::none,
                          returns(Type::artifact_of(artifact_report)),
                          nullptr,
                          plan_coverage});
    out.push_back(Builtin{"virtualenv",
                          "Create a virtualenv at a path and install the project and its requirements",
                          {param("path", Type::of(Type::str), true), param("requirements", Type::of(Type::str)),
                           param("index", Type::target_of(target_pypi))},
                          BlockUse::none,
                          returns(Type::artifact_of(artifact_venv)),
                          nullptr,
                          plan_virtualenv});
}

} // namespace chain::stdlib
