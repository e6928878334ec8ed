#include "builtin.hpp"

namespace chain::stdlib {

void add_shell_builtins(std::vector<Builtin>& out) {
    Param command{"cmd", {Type::of(Type::str), Type::list_of(Type::of(Type::str))}, {}, true, ""};
    out.push_back(Builtin{"sh",
                          "Run a command: a list is the argv itself; a string runs with `sh -c`",
                          {command, param("env", Type::of(Type::record), false, "{}")},
                          BlockUse::none,
                          returns(Type::of(Type::none)),
                          nullptr});
}

} // namespace chain::stdlib
