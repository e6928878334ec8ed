#include "actions.hpp"
#include "builtin.hpp"
#include "sha256.hpp"

#include <fmt/format.h>

namespace chain::stdlib {

namespace {

/// An image to a folder: the folder keeps the releases' records and `current`, podman runs them. The health
/// command runs in a container of the new image before anything of it starts, so an unhealthy release never
/// runs; then its container starts beside the live one and `current` switches, which stops the other.
void plan_image_deploy(const Value& artifact, const std::string& dir, const std::string& release,
                       const std::string& strategy, const std::string& health, std::vector<Step>& steps) {
    std::string release_dir = dir + "/releases/" + release;
    std::string image = artifact.field("image") ? text_of(*artifact.field("image")) : "";
    std::string name = artifact.field("name") ? text_of(*artifact.field("name")) : "app";
    // Named by the target folder too, so that staging and production of one machine never share a name.
    std::string container = fmt::format("{}-{}-{}", name, image_tag(release), sha256_hex(dir).substr(0, 8));
    steps.push_back(perform("deploy", fmt::format("empty {} for the new release", release_dir),
                            {"fresh-dir", release_dir}));
    steps.push_back(load_image("deploy", artifact));
    if (!health.empty()) {
        steps.push_back(command("deploy", podman_argv({"run", "--rm", "--entrypoint", "/bin/sh", image, "-c", health})));
    }
    steps.push_back(command("deploy", podman_argv({"run", "--detach", "--replace", "--name", container, image})));
    steps.push_back(perform("deploy", fmt::format("record {} and its container {} in {}", image, container, release_dir),
                            {"image-release", release_dir, image, container}));
    steps.push_back(perform("deploy",
                            fmt::format("switch {}/current to releases/{} atomically{}", dir, release,
                                        strategy == "direct"
                                            ? ", removing the other releases and their containers"
                                            : ", stopping the container that was live and keeping it as previous"),
                            {"switch", dir, release, strategy}));
}

Value plan_deploy(const Invocation& call, std::vector<Step>& steps) {
    const Value& artifact = *call.arg(0);
    const Value& target = *call.arg(1);
    std::string strategy = call.text(2, "direct");
    // The release is named by the version it holds: given, or known from the package, or this run's.
    const Value* packaged = artifact.field("version");
    std::string release = call.text(4, packaged ? text_of(*packaged) : call.version);
    // The release names a folder under the target's releases/, which is emptied and, with direct, the
    // others removed: a name that is not a version could lead anywhere.
    if (std::string problem = release_name_problem(release); !problem.empty()) {
        steps.push_back(refusal("deploy", problem));
        return Value::none();
    }
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
    if (artifact.artifact_kind & artifact_image) {
        plan_image_deploy(artifact, dir, release, strategy, call.text(3), steps);
        return Value::none();
    }
    std::string release_dir = dir + "/releases/" + release;
    steps.push_back(perform("deploy", fmt::format("empty {} for the new release", release_dir),
                            {"fresh-dir", release_dir}));
    if (const Value* file = artifact.field("file"); file && (artifact.artifact_kind & artifact_deb)) {
        steps.push_back(command("deploy", {"dpkg-deb", "--extract", text_of(*file), release_dir}));
    } else {
        steps.push_back(perform("deploy", fmt::format("copy {} into {}", artifact.text, release_dir),
                                {"copy-tree", artifact.text, release_dir}));
    }
    if (call.arg(3)) {
        Step health = command("deploy", {"sh", "-c", call.text(3)});
        health.workdir = release_dir;
        health.env.emplace_back("CHAIN_RELEASE", release_dir);
        steps.push_back(std::move(health));
    }
    steps.push_back(perform("deploy",
                            fmt::format("switch {}/current to releases/{} atomically{}", dir, release,
                                        strategy == "direct" ? ", removing the other releases"
                                                             : ", keeping the release that was live as previous"),
                            {"switch", dir, release, strategy}));
    return Value::none();
}

} // namespace

void add_deploy(std::vector<Builtin>& out) {
    out.push_back(Builtin{"deploy",
                          "Install a release beside the live one and switch to it",
                          {param("a", Type::artifact_of(artifact_deb | artifact_dir | artifact_image), true),
                           param("to", Type::target_of(target_local | target_hosts), true),
                           enum_param("strategy", {"direct", "blue_green", "rolling"}, false, "direct"),
                           param("health", Type::of(Type::str)), param("version", Type::of(Type::str))},
                          BlockUse::none,
                          returns(Type::of(Type::none)),
                          nullptr,
                          plan_deploy});
}

} // namespace chain::stdlib
