#include "builtin.hpp"

namespace chain::stdlib {

namespace {
Type str_list() { return Type::list_of(Type::of(Type::str)); }
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
        }});
    out.push_back(Builtin{"lint",
                          "Run a linter over paths and keep its report",
                          {enum_param("tool", {"flake8", "pylint", "mypy", "command"}, false, "flake8"),
                           param("paths", str_list(), false, "[\".\"]"), param("args", str_list(), false, "[]")},
                          BlockUse::none,
                          returns(Type::artifact_of(artifact_report)),
                          nullptr});
    out.push_back(Builtin{"coverage",
                          "Run the tests under coverage.py; fail below `min`",
                          {param("min", Type::of(Type::percent), false, "0%"), param("args", str_list(), false, "[]")},
                          BlockUse::none,
                          returns(Type::artifact_of(artifact_report)),
                          nullptr});
    out.push_back(Builtin{"virtualenv",
                          "Create a virtualenv at a path and install the project and its requirements",
                          {param("path", Type::of(Type::str), true), param("requirements", Type::of(Type::str)),
                           param("index", Type::target_of(target_pypi))},
                          BlockUse::none,
                          returns(Type::artifact_of(artifact_venv)),
                          nullptr});
}

} // namespace chain::stdlib
