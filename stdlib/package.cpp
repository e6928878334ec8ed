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

std::string basename_of(const std::string& path) {
    std::size_t slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

Value plan_package(const Invocation& call, std::vector<Step>& steps) {
    std::string format = call.text(0);
    std::string out = call.destination();
    std::string version = call.text(3, call.version);
    if (format == "sdist" || format == "wheel") {
        Step step = command("package", {"python3", "-m", "build", "--no-isolation", "--" + format, "--outdir", out});
        step.env.emplace_back("CHAIN_VERSION", version);
        step.env.emplace_back("SETUPTOOLS_SCM_PRETEND_VERSION", version);
        steps.push_back(std::move(step));
        return artifact_at(out, format == "sdist" ? artifact_sdist : artifact_wheel);
    }
    const Value* from = call.arg(1);
    std::string source = from ? from->text : "";
    std::string name = call.text(2, "app");
    if (format == "deb") {
        std::string tree = call.scratch + "/deb";
        const Value* venv_path = from ? from->field("path") : nullptr;
        std::string install_at = venv_path ? text_of(*venv_path) : "/opt/" + name;
        std::string deb_version = debian_version(version);
        std::string file = fmt::format("{}/{}_{}.deb", out, name, deb_version);
        steps.push_back(perform("package",
                                fmt::format("lay out {}: {} at {}, and DEBIAN/control for {} {} "
                                            "(Architecture: the machine's, Depends: python3)",
                                            tree, source, install_at, name, deb_version),
                                {"debtree", source, tree, install_at, name, deb_version,
                                 call.text(6, "chain <chain@localhost>")}));
        steps.push_back(command("package", {"dpkg-deb", "--build", "--root-owner-group", tree, file}));
        Value deb = artifact_at(out, artifact_deb);
        deb.fields.emplace_back("file", Value::of_text(file));
        deb.fields.emplace_back("version", Value::of_text(version));
        return deb;
    }
    if (format == "tar") {
        steps.push_back(command("package", {"tar", "-czf", fmt::format("{}/{}-{}.tar.gz", out, name, version), "-C",
                                            source, "."}));
        return artifact_at(out, artifact_file);
    }
    std::string context = call.scratch + "/image";
    steps.push_back(action("package", fmt::format("write {}/Containerfile: FROM {}, {} at {}", context,
                                                  call.text(4, "scratch"), source, basename_of(source))));
    steps.push_back(command("package", {"podman", "build", "--storage-driver", "vfs", "--tag",
                                        fmt::format("{}:{}", name, debian_version(version)), context}));
    return artifact_at(out, artifact_image);
}

} // namespace

std::string debian_version(const std::string& pep440) {
    // PEP 440 pre-releases and dev releases sort before the release, post releases after it: in Debian
    // that is '~' and '+'.
    std::string out = pep440;
    for (auto [from, to] : {std::pair{std::string(".dev"), std::string("~dev")}, {"rc", "~rc"}, {".post", "+post"}}) {
        if (std::size_t at = out.find(from); at != std::string::npos) {
            out.replace(at, from.size(), to);
        }
    }
    return out;
}

void add_package(std::vector<Builtin>& out) {
    out.push_back(Builtin{
        "package",
        "Build an sdist or wheel of the project, a .deb or tar of a venv or dir, or an image",
        {enum_param("format", {"sdist", "wheel", "deb", "tar", "image"}, true),
         param("from", Type::artifact_of(artifact_venv | artifact_dir)), param("name", Type::of(Type::str)),
         param("version", Type::of(Type::str)), param("base", Type::of(Type::str)),
         param("entrypoint", Type::list_of(Type::of(Type::str))), param("maintainer", Type::of(Type::str))},
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
        },
        plan_package});
}

} // namespace chain::stdlib
