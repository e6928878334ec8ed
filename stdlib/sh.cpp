#include "builtin.hpp"

namespace chain::stdlib {

namespace {

Value plan_sh(const Invocation& call, std::vector<Step>& steps) {
    const Value& cmd = *call.arg(0);
    Step& step = steps.emplace_back();
    step.builtin = "sh";
    if (cmd.kind == Value::Kind::list) {
        step.argv = call.texts(0);
    } else {
        // The only place a shell runs: the string's `${...}` values were quoted into single words.
        step.argv = {"sh", "-c", cmd.shell};
    }
    return Value::none();
}

} // namespace

void add_sh(std::vector<Builtin>& out) {
    Param command{"cmd", {Type::of(Type::str), Type::list_of(Type::of(Type::str))}, {}, true, ""};
    out.push_back(Builtin{"sh",
                          "Run a command: a list is the argv itself, an artifact its path; a string runs with "
                          "`sh -c`, each `${...}` in it one shell-quoted word (a list: one per item)",
                          {command, param("env", Type::of(Type::record), false, "{}"),
                           param("effect", Type::of(Type::bool_), false, "false")},
                          BlockUse::none,
                          returns(Type::of(Type::none)),
                          nullptr,
                          plan_sh,
                          Effect::declared});
}

} // namespace chain::stdlib
