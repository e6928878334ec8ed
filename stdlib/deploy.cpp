#include "actions.hpp"
#include "builtin.hpp"
#include "remote_deploy.hpp"
#include "sha256.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace chain::stdlib {

namespace {

/// The container a release of an image runs in: named by the target folder too, so that staging and
/// production on one machine never share a name.
std::string container_name(const Value& artifact, const std::string& dir, const std::string& release) {
    std::string name = artifact.field("name") ? text_of(*artifact.field("name")) : "app";
    return fmt::format("{}-{}-{}", name, image_tag(release), sha256_hex(dir).substr(0, 8));
}

/// An image to a folder: the folder keeps the releases' records and `current`, podman runs them. The health
/// command runs in a container of the new image before anything of it starts, so an unhealthy release never
/// runs; then its container starts beside the live one and `current` switches, which stops the other.
void plan_image_deploy(const Value& artifact, const std::string& dir, const std::string& release,
                       const std::string& strategy, const std::string& health, std::vector<Step>& steps) {
    std::string release_dir = dir + "/releases/" + release;
    std::string image = artifact.field("image") ? text_of(*artifact.field("image")) : "";
    std::string container = container_name(artifact, dir, release);
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

/// To hosts: one step, `chain deploy-hosts`, which reaches every host over ssh and rolls the release out
/// batch by batch, switching every host back when one fails (stdlib/remote_deploy.cpp). One process
/// for the whole rollout, since what it undoes on a failure spans the hosts. The key goes in its
/// environment, never in its argv.
void plan_hosts_deploy(const Invocation& call, const Value& artifact, const Value& target, const std::string& release,
                       std::vector<Step>& steps) {
    ReleaseTarget remote;
    remote.dir = target.text;
    remote.release = release;
    remote.strategy = call.text(2, "direct");
    remote.health = call.text(3);
    remote.batch = call.arg(5) ? static_cast<int>(call.arg(5)->number) : 1;
    remote.known_hosts = text_of(*target.field("known_hosts"));
    remote.user = target.field("user") ? text_of(*target.field("user")) : "";
    remote.connect_timeout = target.field("connect_timeout")
                                 ? static_cast<int>(std::max<std::int64_t>(1, target.field("connect_timeout")->number / 1000))
                                 : 10;
    for (const Value& host : target.field("names")->items) {
        remote.hosts.push_back(text_of(host));
        if (std::string problem = host_name_problem(remote.hosts.back()); !problem.empty()) {
            steps.push_back(refusal("deploy", problem));
            return;
        }
    }
    if (remote.hosts.empty()) {
        steps.push_back(refusal("deploy", "hosts(...) names no host: give it at least one"));
        return;
    }
    if (remote.batch < 1) {
        steps.push_back(refusal("deploy", fmt::format("batch: {} is no number of hosts: give 1 or more", remote.batch)));
        return;
    }
    if (artifact.artifact_kind & artifact_image) {
        remote.kind = "image";
        remote.artifact = text_of(*artifact.field("file"));
        remote.image = text_of(*artifact.field("image"));
        remote.container = container_name(artifact, remote.dir, release);
    } else if (const Value* file = artifact.field("file"); file && (artifact.artifact_kind & artifact_deb)) {
        remote.kind = "deb";
        remote.artifact = text_of(*file);
    } else {
        remote.kind = "dir";
        remote.artifact = artifact.text;
    }
    remote.report = call.in_scratch("deploy-report.txt");
    Step rollout = command("deploy", joined({"chain", "deploy-hosts"}, deploy_hosts_args(remote)));
    rollout.env.emplace_back("CHAIN_SSH_KEY", text_of(*target.field("key")));
    rollout.report_format = "text";
    rollout.report_path = remote.report;
    std::string batches = remote.strategy == "rolling"
                              ? fmt::format("{} host{} at a time", remote.batch, remote.batch == 1 ? "" : "s")
                              : "every host at once";
    rollout.action = fmt::format("{} to {} over ssh, {}:", remote.strategy, remote.dir, batches);
    for (const std::string& host : remote.hosts) {
        rollout.action += fmt::format("\n{}: copy {} into releases/{}{}, {}then switch current", host,
                                      remote.kind == "image" ? "the image" : remote.kind == "deb" ? "the .deb" : "the folder",
                                      release, remote.kind == "deb" ? " (dpkg-deb --extract)" : "",
                                      remote.health.empty() ? "" : "check health there, ");
    }
    rollout.action += "\na failure switches every host switched so far back";
    steps.push_back(std::move(rollout));
}

Value plan_deploy(const Invocation& call, std::vector<Step>& steps) {
    const Value& artifact = *call.arg(0);
    const Value& target = *call.arg(1);
    std::string strategy = call.text(2, "direct");
    // The release is named by the version it holds: given, or known from the package, or this run's.
    const Value* packaged = artifact.field("version");
    std::string release = call.text(4, packaged ? text_of(*packaged) : std::string(call.version));
    // The release names a folder under the target's releases/, which is emptied and, with direct, the
    // others removed: a name that is not a version could lead anywhere.
    if (std::string problem = release_name_problem(release); !problem.empty()) {
        steps.push_back(refusal("deploy", problem));
        return Value::none();
    }
    if (target.target_kind == target_hosts) {
        plan_hosts_deploy(call, artifact, target, release, steps);
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
                           param("health", Type::of(Type::str)), param("version", Type::of(Type::str)),
                           param("batch", Type::of(Type::int_), false, "1")},
                          BlockUse::none,
                          returns(Type::of(Type::none)),
                          nullptr,
                          plan_deploy,
                          Effect::always});
}

} // namespace chain::stdlib
