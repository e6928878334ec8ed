#include "builtin.hpp"

namespace chain::stdlib {

namespace {

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
    steps.push_back(collect("virtualenv", path, call.destination()));
    Value venv = artifact_at(call.destination(), artifact_venv);
    venv.fields.emplace_back("path", Value::of_text(path));
    return venv;
}

} // namespace

void add_virtualenv(std::vector<Builtin>& out) {
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
