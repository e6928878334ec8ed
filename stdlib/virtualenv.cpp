#include "builtin.hpp"

#include <fmt/format.h>

namespace chain::stdlib {

namespace {

/// The venv is made in the stage's work folder and then moved to `path` in the artifact, so that
/// nothing outside the repository (or the chroot) is written; `path` is where its package installs it.
Value plan_virtualenv(const Invocation& call, std::vector<Step>& steps) {
    std::string path = call.text(0);
    std::string made_at = call.in_scratch("venv");
    std::vector<std::string> pip = {made_at + "/bin/python", "-m", "pip", "install", "--no-build-isolation"};
    if (const Value* target = call.arg(2)) {
        // A folder index is given as a path, which pip reads as a local index like a file:// URL.
        pip = joined(pip, {"--index-url", target->field("url") ? text_of(*target->field("url")) : target->text + "/simple"});
    }
    std::vector<std::string> create = {python_program(call.text(3, "3")), "-m", "venv", "--clear"};
    if (const Value* system = call.arg(4); system && system->number) {
        create.push_back("--system-site-packages"); // the machine's pytest, flake8 and coverage for tests
    }
    steps.push_back(command("virtualenv", joined(create, {made_at})));
    // `pip install .` without build isolation builds with the venv's own setuptools, which needs `wheel`;
    // Debian keeps a wheel of it (python3-wheel-whl), so that this works offline.
    steps.push_back(command("virtualenv", joined(pip, {"--find-links", "/usr/share/python-wheels", "wheel"})));
    if (call.arg(1)) {
        steps.push_back(command("virtualenv", joined(pip, {"-r", call.text(1)})));
    }
    Step project = command("virtualenv", joined(pip, {"."}));
    project.env.emplace_back("CHAIN_VERSION", call.version); // as package does, for the project's own version
    steps.push_back(std::move(project));
    steps.push_back(collect("virtualenv", made_at, call.destination()));
    steps.push_back(perform("virtualenv",
                            fmt::format("relocate the virtualenv in {} to {}: the #! lines and activate scripts",
                                        call.destination(), path),
                            {"relocate", call.destination(), path}));
    Value venv = artifact_at(call.destination(), artifact_venv);
    venv.fields.emplace_back("path", Value::of_text(path));
    return venv;
}

} // namespace

void add_virtualenv(std::vector<Builtin>& out) {
    out.push_back(Builtin{"virtualenv",
                          "Create a virtualenv at a path and install the project and its requirements",
                          {param("path", Type::of(Type::str), true), param("requirements", Type::of(Type::str)),
                           param("index", Type::target_of(target_pypi)),
                           param("python", Type::of(Type::str), false, "\"3\""),
                           param("system_packages", Type::of(Type::bool_), false, "false"),
                           param("env", Type::of(Type::record), false, "{}")},
                          BlockUse::none,
                          returns(Type::artifact_of(artifact_venv)),
                          nullptr,
                          plan_virtualenv});
}

} // namespace chain::stdlib
