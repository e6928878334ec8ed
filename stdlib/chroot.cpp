#include "builtin.hpp"
#include "sha256.hpp"

#include <fmt/format.h>

namespace chain::stdlib {

namespace {

/// What a virtualenv built inside the chroot needs, offline: Python, venv, and the wheels of pip,
/// setuptools and wheel.
constexpr const char* base_packages = "python3,python3-venv,python3-pip-whl,python3-setuptools-whl,python3-wheel-whl";

/// The steps that make `root` a fresh copy of the cached base of `dist`, making the base first when
/// it is not there yet.
void prepare_root(const Invocation& call, const std::string& root, std::vector<Step>& steps) {
    std::string dist = call.text(0);
    std::string packages = base_packages;
    for (const std::string& package : call.texts(3)) {
        packages += "," + package;
    }
    std::string base = ".chain/cache/chroot/" + dist;
    if (packages != base_packages) {
        base += "-" + sha256_hex(packages).substr(0, 12); // another package set, another base
    }
    steps.push_back(perform("chroot", fmt::format("check that chain runs as root, which chroot(dist: {}) needs", dist),
                            {"need-root", fmt::format("chroot(dist: \"{}\")", dist)}));
    if (call.text(2, "debootstrap") == "pbuilder") {
        Step create = command("chroot", {"pbuilder", "create", "--distribution", dist, "--basetgz", base + ".tgz",
                                         "--mirror", call.text(4, "http://deb.debian.org/debian"),
                                         "--extrapackages", packages});
        create.creates = base + ".tgz";
        steps.push_back(std::move(create));
        steps.push_back(perform("chroot", fmt::format("empty {}", root), {"fresh-dir", root}));
        steps.push_back(command("chroot", {"tar", "-xzf", base + ".tgz", "-C", root}));
        return;
    }
    // Made in the stage's own work folder, so that two stages making the same base never share a
    // half-made one; the first to finish renames its copy into the cache.
    std::string partial = call.scratch + "/chroot-base";
    Step clear = perform("chroot", fmt::format("empty {} unless {} is made", partial, base), {"fresh-dir", partial});
    clear.creates = base;
    steps.push_back(std::move(clear));
    Step create = command("chroot", {"debootstrap", "--variant=minbase", "--include=" + packages, dist, partial,
                                     call.text(4, "http://deb.debian.org/debian")});
    create.creates = base;
    steps.push_back(std::move(create));
    Step keep = perform("chroot", fmt::format("rename {} to {}: the base is made once", partial, base),
                        {"rename", partial, base});
    keep.creates = base;
    steps.push_back(std::move(keep));
    steps.push_back(perform("chroot", fmt::format("empty {}", root), {"fresh-dir", root}));
    steps.push_back(command("chroot", {"cp", "-a", base + "/.", root}));
}

Value plan_chroot(const Invocation& call, std::vector<Step>& steps) {
    std::string root;
    if (const Value* existing = call.arg(1)) {
        root = text_of(*existing);
    } else {
        root = call.scratch + "/chroot";
        prepare_root(call, root, steps);
    }
    for (Step step : call.block) {
        if (step.root.empty()) {
            step.root = root;
            if (!step.argv.empty()) {
                step.argv.insert(step.argv.begin(), {"chain", "chroot-exec", root, "--"});
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
                           enum_param("tool", {"debootstrap", "pbuilder"}, false, "debootstrap"),
                           param("packages", str_list(), false, "[]"),
                           param("mirror", Type::of(Type::str), false, "\"http://deb.debian.org/debian\"")},
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
