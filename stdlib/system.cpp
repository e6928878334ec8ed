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
        if (step.root.empty()) {
            step.root = root;
        }
        steps.push_back(std::move(step));
    }
    return Value::none();
}

Value plan_deploy(const Invocation& call, std::vector<Step>& steps) {
    const Value& artifact = *call.arg(0);
    const Value& target = *call.arg(1);
    std::string strategy = call.text(2, "direct");
    std::string release = call.version;
    if (target.target_kind == target_hosts) {
        std::string user = target.field("user") ? text_of(*target.field("user")) + "@" : "";
        for (const Value& host : target.field("names")->items) {
            std::string where = user + text_of(host);
            std::string dir = target.text;
            steps.push_back(action("deploy", fmt::format("copy {} to {}:{}/releases/{} over ssh", artifact.text, where,
                                                         dir, release)));
            if (call.arg(3)) {
                steps.push_back(command("deploy", {"ssh", where, "cd " + shell_quote(dir + "/releases/" + release) +
                                                                     " && " + call.text(3)}));
            }
            steps.push_back(command("deploy", {"ssh", where, "ln -sfn releases/" + shell_quote(release) + " " +
                                                                 shell_quote(dir + "/current.new") + " && mv -T " +
                                                                 shell_quote(dir + "/current.new") + " " +
                                                                 shell_quote(dir + "/current")}));
        }
        return Value::none();
    }
    std::string dir = target.text;
    std::string release_dir = dir + "/releases/" + release;
    steps.push_back(action("deploy", fmt::format("install {} into {} ({})", artifact.text, release_dir, strategy)));
    if (call.arg(3)) {
        Step health = command("deploy", {"sh", "-c", call.text(3)});
        health.workdir = release_dir;
        health.env.emplace_back("CHAIN_RELEASE", release_dir);
        steps.push_back(std::move(health));
    }
    steps.push_back(action("deploy", fmt::format("switch {}/current to releases/{} atomically{}", dir, release,
                                                 strategy == "blue_green" ? ", keeping the previous release" : "")));
    return Value::none();
}

Value plan_trigger(const Invocation& call, std::vector<Step>& steps) {
    Step step = command("trigger", {call.chain_program, "run", call.ref_is_tag ? "--tag" : "--branch", call.ref_name,
                                    call.text(0) + "/pipeline.chain"});
    if (const Value* with = call.arg(1)) {
        for (const auto& [name, value] : with->fields) {
            step.env.emplace_back("CHAIN_UPSTREAM_" + name, text_of(value));
        }
    }
    steps.push_back(std::move(step));
    return Value::none();
}

} // namespace

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
                          },
                          plan_chroot});
    out.push_back(Builtin{"deploy",
                          "Install a release beside the live one and switch to it",
                          {param("a", Type::artifact_of(artifact_deb | artifact_dir | artifact_image), true),
                           param("to", Type::target_of(target_local | target_hosts), true),
                           enum_param("strategy", {"direct", "blue_green", "rolling"}, false, "direct"),
                           param("health", Type::of(Type::str))},
                          BlockUse::none,
                          returns(Type::of(Type::none)),
                          nullptr,
                          plan_deploy});
    out.push_back(Builtin{"trigger",
                          "Run a downstream repository's pipeline on the same ref kind, with these artifacts",
                          {param("repo", Type::of(Type::str), true), param("with", Type::of(Type::record), false, "{}")},
                          BlockUse::none,
                          returns(Type::of(Type::none)),
                          nullptr,
                          plan_trigger});
}

} // namespace chain::stdlib
