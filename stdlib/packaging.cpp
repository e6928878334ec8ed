#include "builtin.hpp"

#include <fmt/format.h>

namespace chain::stdlib {

namespace {

std::uint16_t artifact_of_format(const std::string& format) {
    if (format == "sdist") {
        return artifact_sdist;
    }
    if (format == "wheel") {
        return artifact_wheel;
    }
    if (format == "deb") {
        return artifact_deb;
    }
    if (format == "tar") {
        return artifact_file;
    }
    if (format == "image") {
        return artifact_image;
    }
    return artifact_sdist | artifact_wheel | artifact_deb | artifact_file | artifact_image;
}

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

} // namespace

void add_packaging_builtins(std::vector<Builtin>& out) {
    out.push_back(Builtin{
        "package",
        "Build an sdist or wheel of the project, a .deb or tar of a venv or dir, or an image",
        {enum_param("format", {"sdist", "wheel", "deb", "tar", "image"}, true),
         param("from", Type::artifact_of(artifact_venv | artifact_dir)), param("name", Type::of(Type::str)),
         param("version", Type::of(Type::str)), param("base", Type::of(Type::str)),
         param("entrypoint", Type::list_of(Type::of(Type::str)))},
        BlockUse::none,
        [](const CallSite& call) { return Type::artifact_of(artifact_of_format(call.word(0))); },
        [](const CallSite& call) {
            std::vector<CallProblem> problems;
            const std::string& format = call.word(0);
            if ((format == "deb" || format == "tar" || format == "image") && !call.has(1)) {
                problems.push_back({0, "E0210", fmt::format("package(format: {}) needs the argument 'from'", format),
                                    "the venv or dir artifact to package, like from: venv"});
            }
            if (format == "deb" && !call.has(2)) {
                problems.push_back({0, "E0210", "package(format: deb) needs the argument 'name'",
                                    "the Debian package name, like name: \"acme-web\""});
            }
            return problems;
        }});
    out.push_back(Builtin{
        "publish",
        "Publish an artifact: wheel or sdist to pypi(), deb to apt(), image to registry()",
        {param("a", Type::artifact_of(artifact_sdist | artifact_wheel | artifact_deb | artifact_image), true),
         param("to", Type::target_of(target_pypi | target_apt | target_registry), true)},
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
        }});
}

} // namespace chain::stdlib
