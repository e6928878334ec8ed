#include "builtin.hpp"

#include <fmt/format.h>

namespace chain::stdlib {

namespace {

Value plan_chroot(const Invocation& call, std::vector<Step>& steps) {
    std::string root;
    if (const Value* existing = call.arg(1)) {
        root = text_of(*existing);
    } else {
        std::string dist = call.text(0);
        std::string base = ".chain/cache/chroot/" + dist;
        root = call.scratch + "/chroot";
        if (call.text(2, "debootstrap") == "pbuilder") {
            steps.push_back(command("chroot", {"pbuilder", "create", "--distribution", dist, "--basetgz",
                                               base + ".tgz"}));
            steps.push_back(action("chroot", fmt::format("unpack {}.tgz into {}", base, root)));
        } else {
            steps.push_back(action("chroot", fmt::format("make the cached base {} once with debootstrap "
                                                         "--variant=minbase {} {} MIRROR (MIRROR: apt's own)",
                                                         base, dist, base)));
            steps.push_back(action("chroot", fmt::format("copy {} to {}", base, root)));
        }
    }
    for (Step step : call.block) {
        // The argv is the one spawned, chroot included; `root` says where chain's own actions happen.
        if (step.root.empty()) {
            step.root = root;
            if (!step.argv.empty()) {
                step.argv.insert(step.argv.begin(), {"chroot", root});
            }
        }
        steps.push_back(std::move(step));
    }
    return Value::none();
}

} // namespace

void add_chroot(std::vector<Builtin>& out) {
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
                          },
                          plan_chroot});
}

} // namespace chain::stdlib
