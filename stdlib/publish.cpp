#include "builtin.hpp"

#include <fmt/format.h>

namespace chain::stdlib {

namespace {

/// Where each kind of artifact can be published.
std::uint8_t target_of_artifact(std::uint16_t kinds) {
    std::uint8_t targets = 0;
    if (kinds & (artifact_sdist | artifact_wheel)) {
        targets |= target_pypi;
    }
    if (kinds & artifact_deb) {
        targets |= target_apt;
    }
    if (kinds & artifact_image) {
        targets |= target_registry;
    }
    return targets;
}

Value plan_publish(const Invocation& call, std::vector<Step>& steps) {
    const Value& artifact = *call.arg(0);
    const Value& target = *call.arg(1);
    if (target.target_kind == target_pypi) {
        if (const Value* url = target.field("url")) {
            // twine expands the pattern itself; credentials come from TWINE_USERNAME and TWINE_PASSWORD.
            steps.push_back(command("publish", {"python3", "-m", "twine", "upload", "--non-interactive",
                                                "--repository-url", text_of(*url), artifact.text + "/*"}));
        } else {
            steps.push_back(publish_to_folder_index("publish", artifact.text, target.text, call.in_scratch("published.txt")));
        }
    } else if (target.target_kind == target_apt) {
        std::string dist = target.field("dist") ? text_of(*target.field("dist")) : "bookworm";
        steps.push_back(perform("publish",
                                fmt::format("write {}/conf/distributions for {} unless it has it", target.text, dist),
                                {"reprepro-conf", target.text, dist}));
        const Value* file = artifact.field("file");
        std::string package = file ? text_of(*file) : artifact.text;
        steps.push_back(perform("publish", fmt::format("check that {} is a regular file, not a link", package),
                                {"regular-file", package}));
        steps.push_back(command("publish", {"reprepro", "-b", target.text, "includedeb", dist, package}));
    } else {
        // From the archive the image was saved to, which is what the artifact store keeps.
        const Value* image = artifact.field("image");
        const Value* name = artifact.field("name");
        const Value* version = artifact.field("version");
        steps.push_back(load_image("publish", artifact));
        std::string destination = fmt::format("docker://{}/{}:{}", target.text, name ? text_of(*name) : "app",
                                              image_tag(version ? text_of(*version) : std::string(call.version)));
        std::vector<std::string> push = podman_argv({"push"});
        const Value* insecure = target.field("insecure");
        if (insecure && insecure->number) {
            push.push_back("--tls-verify=false");
        }
        std::string digest = call.in_scratch("pushed-digest");
        push.insert(push.end(), {"--digestfile", digest, image ? text_of(*image) : "", destination});
        Step step = command("publish", std::move(push));
        step.report_format = "digest";
        step.report_path = digest;
        steps.push_back(std::move(step));
    }
    return Value::none();
}

} // namespace

void add_publish(std::vector<Builtin>& out) {
    out.push_back(Builtin{
        "publish",
        "Publish an artifact: wheel or sdist to pypi(), deb to apt(), image to registry()",
        {param("a", Type::artifact_of(artifact_sdist | artifact_wheel | artifact_deb | artifact_image), true),
         param("to", Type::target_of(target_pypi | target_apt | target_registry), true),
         param("env", Type::of(Type::record), false, "{}")},
        BlockUse::none,
        returns(Type::of(Type::none)),
        [](const CallSite& call) {
            std::vector<CallProblem> problems;
            const Type& artifact = call.types[0];
            const Type& target = call.types[1];
            if (artifact.kind == Type::artifact && target.kind == Type::target &&
                (target_of_artifact(artifact.artifacts) & target.targets) == 0) {
                std::uint8_t wanted = target_of_artifact(artifact.artifacts);
                problems.push_back({1, "E0302",
                                    fmt::format("cannot publish {} to {}", to_string(artifact), with_article(target)),
                                    wanted ? fmt::format("{} goes to {}(...)", to_string(artifact),
                                                         target_kind_name(wanted))
                                           : std::string()});
            }
            return problems;
        },
        plan_publish,
        Effect::always});
}

} // namespace chain::stdlib
