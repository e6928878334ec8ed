#include "builtin.hpp"
#include "sha256.hpp"

#include <fmt/format.h>

namespace chain::stdlib {

namespace {

/// What a virtualenv built inside the chroot needs, offline: Python, venv, and the wheels of pip,
/// setuptools and wheel; then the packages asked for.
std::string base_packages(const std::vector<std::string>& extra) {
    std::string packages = "python3,python3-venv,python3-pip-whl,python3-setuptools-whl,python3-wheel-whl";
    for (const std::string& package : extra) {
        packages += "," + package;
    }
    return packages;
}

/// debootstrap, chroot(2) and bind mounts are root's.
Step need_root(const std::string& builtin, const std::string& dist) {
    return perform(builtin, fmt::format("check that chain runs as root, which {}(dist: {}) needs", builtin, dist),
                   {"need-root", fmt::format("{}(dist: \"{}\")", builtin, dist)});
}

} // namespace

std::string chroot_base_path(const std::string& dist, const std::vector<std::string>& extra_packages) {
    std::string base = ".chain/cache/chroot/" + dist;
    if (!extra_packages.empty()) {
        base += "-" + sha256_hex(base_packages(extra_packages)).substr(0, 12); // another package set, another base
    }
    return base;
}

std::string debootstrap_base(const std::string& builtin, const std::string& dist,
                             const std::vector<std::string>& extra_packages, const std::string& mirror,
                             std::string_view scratch, std::vector<Step>& steps) {
    std::string base = chroot_base_path(dist, extra_packages);
    steps.push_back(need_root(builtin, dist));
    // Made in the stage's own work folder, so that two stages making the same base never share a
    // half-made one; the first to finish renames its copy into the cache.
    std::string partial = std::string(scratch) + "/chroot-base";
    Step clear = perform(builtin, fmt::format("empty {} unless {} is made", partial, base), {"fresh-dir", partial});
    clear.creates = base;
    steps.push_back(std::move(clear));
    Step create = command(builtin, {"debootstrap", "--variant=minbase", "--include=" + base_packages(extra_packages),
                                    dist, partial, mirror});
    create.creates = base;
    steps.push_back(std::move(create));
    Step keep = perform(builtin, fmt::format("rename {} to {}: the base is made once", partial, base),
                        {"rename", partial, base});
    keep.creates = base;
    steps.push_back(std::move(keep));
    return base;
}

namespace {

/// The steps that make `root` a fresh copy of the cached base of `dist`, making the base first when
/// it is not there yet.
void prepare_root(const Invocation& call, const std::string& root, std::vector<Step>& steps) {
    std::string dist = call.text(0);
    std::string mirror = call.text(4, default_debian_mirror);
    if (call.text(2, "debootstrap") == "pbuilder") {
        std::string base = chroot_base_path(dist, call.texts(3)) + ".tgz";
        steps.push_back(need_root("chroot", dist));
        Step create = command("chroot", {"pbuilder", "create", "--distribution", dist, "--basetgz", base, "--mirror",
                                         mirror, "--extrapackages", base_packages(call.texts(3))});
        create.creates = base;
        steps.push_back(std::move(create));
        steps.push_back(perform("chroot", fmt::format("empty {}", root), {"fresh-dir", root}));
        steps.push_back(command("chroot", {"tar", "-xzf", base, "-C", root}));
        return;
    }
    std::string base = debootstrap_base("chroot", dist, call.texts(3), mirror, call.scratch, steps);
    steps.push_back(perform("chroot", fmt::format("empty {}", root), {"fresh-dir", root}));
    steps.push_back(command("chroot", {"cp", "-a", base + "/.", root}));
}

Value plan_chroot(const Invocation& call, std::vector<Step>& steps) {
    std::string root;
    if (const Value* existing = call.arg(1)) {
        root = text_of(*existing);
    } else {
        root = call.in_scratch("chroot");
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
                           param("mirror", Type::of(Type::str), false, fmt::format("\"{}\"", default_debian_mirror)),
                           param("env", Type::of(Type::record), false, "{}")},
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
