#include "builtin.hpp"

namespace chain::stdlib {

void add_system_builtins(std::vector<Builtin>& out) {
    out.push_back(Builtin{"chroot",
                          "Run the block's steps inside a chroot: an existing `root`, or a cached base of `dist`",
                          {param("dist", Type::of(Type::str)), param("root", Type::of(Type::str)),
                           enum_param("tool", {"debootstrap", "pbuilder"}, false, "debootstrap")},
                          BlockUse::required,
                          returns(Type::of(Type::none)),
                          [](const CallSite& call) {
                              std::vector<CallProblem> problems;
                              if (call.has(0) == call.has(1)) {
                                  problems.push_back({CallProblem::whole_call, "E0210",
                                                      "chroot needs exactly one of the arguments 'dist' and 'root'",
                                                      "dist: \"bookworm\" for a cached base, root: \"DIR\" for "
                                                      "an existing chroot"});
                              }
                              return problems;
                          }});
    out.push_back(Builtin{"deploy",
                          "Install a release beside the live one and switch to it",
                          {param("a", Type::artifact_of(artifact_deb | artifact_dir | artifact_image), true),
                           param("to", Type::target_of(target_local | target_hosts), true),
                           enum_param("strategy", {"direct", "blue_green", "rolling"}, false, "direct"),
                           param("health", Type::of(Type::str))},
                          BlockUse::none,
                          returns(Type::of(Type::none)),
                          nullptr});
    out.push_back(Builtin{"trigger",
                          "Run a downstream repository's pipeline on the same ref kind, with these artifacts",
                          {param("repo", Type::of(Type::str), true), param("with", Type::of(Type::record), false, "{}")},
                          BlockUse::none,
                          returns(Type::of(Type::none)),
                          nullptr});
}

} // namespace chain::stdlib
