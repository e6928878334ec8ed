#include "builtin.hpp"

#include <fmt/format.h>
#include <cctype>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>

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

/// An OCI image: the venv or dir at its path over `base` (an image reference, scratch, or the debootstrap
/// base of `dist` imported into podman), built with podman and saved as an OCI archive, which is the
/// artifact (content-addressed like any other).
Value plan_image(const Invocation& call, const Value* from, const std::string& name, const std::string& version,
                 const std::string& out, std::vector<Step>& steps) {
    std::string context = call.in_scratch("image");
    std::string source = from ? from->text : "";
    const Value* venv_path = from ? from->field("path") : nullptr;
    std::string install_at = venv_path ? text_of(*venv_path) : "/opt/" + name;
    std::string base = call.text(4, "scratch");
    if (call.arg(7)) {
        std::string dist = call.text(7);
        std::string rootfs = debootstrap_base("package", dist, call.texts(8), default_debian_mirror,
                                              call.scratch, steps);
        base = "localhost/chain-base:" + image_tag(std::filesystem::path(rootfs).filename().string());
        std::string archive_folder = call.in_scratch("base");
        std::string archive = archive_folder + "/rootfs.tar";
        steps.push_back(perform("package", "start " + archive_folder + " afresh", {"fresh-dir", archive_folder}));
        steps.push_back(command("package", {"tar", "--create", "--file", archive, "--directory", rootfs, "."}));
        steps.push_back(command("package", podman_argv({"import", "--quiet", archive, base})));
        steps.push_back(perform("package", fmt::format("empty {}: its archive is imported", archive_folder),
                                {"fresh-dir", archive_folder}));
    }
    std::string entrypoint;
    if (const Value* words = call.arg(5)) {
        nlohmann::json list = nlohmann::json::array();
        for (const Value& word : words->items) {
            list.push_back(text_of(word));
        }
        entrypoint = list.dump();
    }
    std::string image = fmt::format("localhost/{}:{}", name, image_tag(version));
    steps.push_back(perform("package", "start " + context + " afresh", {"fresh-dir", context}));
    steps.push_back(perform("package",
                            fmt::format("write {}/Containerfile: FROM {}, {} at {}{}", context, base, source, install_at,
                                        entrypoint.empty() ? "" : ", ENTRYPOINT " + entrypoint),
                            {"containerfile", context, base, install_at, entrypoint}));
    steps.push_back(perform("package", fmt::format("copy {} to {}/root{}", source, context, install_at),
                            {"copy-tree", source, context + "/root" + install_at}));
    steps.push_back(command("package", podman_argv({"build", "--quiet", "--iidfile", out + "/image-id", "--tag", image,
                                                    "--file", context + "/Containerfile", context})));
    steps.push_back(
        command("package", podman_argv({"save", "--format", "oci-archive", "--output", out + "/image.tar", image})));
    Value artifact = artifact_at(out, artifact_image);
    artifact.fields.emplace_back("file", Value::of_text(out + "/image.tar"));
    artifact.fields.emplace_back("image", Value::of_text(image));
    artifact.fields.emplace_back("name", Value::of_text(name));
    artifact.fields.emplace_back("version", Value::of_text(version));
    return artifact;
}

/// The step that fails unless what `format` built at `built` has `version`: a project whose build ignores
/// CHAIN_VERSION would otherwise be published under its own version, which nobody asked for.
Step version_check(const std::string& format, const std::string& built, const std::string& version) {
    return perform("package", fmt::format("check that the {} built in {} is version {}", format, built, version),
                   {"built-version", format, built, version});
}

Value plan_package(const Invocation& call, std::vector<Step>& steps) {
    std::string format = call.text(0);
    std::string out = call.destination();
    std::string version = call.text(3, std::string(call.version));
    if (format == "sdist" || format == "wheel") {
        Step step = command("package", {"python3", "-m", "build", "--no-isolation", "--" + format, "--outdir", out});
        step.env.emplace_back("CHAIN_VERSION", version);
        step.env.emplace_back("SETUPTOOLS_SCM_PRETEND_VERSION", version);
        steps.push_back(std::move(step));
        steps.push_back(version_check(format, out, version));
        return artifact_at(out, format == "sdist" ? artifact_sdist : artifact_wheel);
    }
    const Value* from = call.arg(1);
    std::string source = from ? from->text : "";
    std::string name = call.text(2, "app");
    if (format == "deb") {
        std::string tree = call.in_scratch("deb");
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
        steps.push_back(version_check(format, file, version));
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
    return plan_image(call, from, name, version, out, steps);
}

} // namespace

std::string image_tag(const std::string& version) {
    std::string tag = version;
    for (char& c : tag) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.' && c != '-') {
            c = '-';
        }
    }
    return tag;
}

std::string canonical_version(const std::string& version) {
    // PEP 440's "permissive" form, as the packaging library reads it.
    static const std::regex pep440(
        R"(\s*v?(?:([0-9]+)!)?([0-9]+(?:\.[0-9]+)*))"
        R"((?:[-_.]?(alpha|beta|preview|pre|a|b|c|rc)[-_.]?([0-9]+)?)?)"
        R"((?:-([0-9]+)|[-_.]?(post|rev|r)[-_.]?([0-9]+)?)?)"
        R"((?:[-_.]?(dev)[-_.]?([0-9]+)?)?)"
        R"((?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?\s*)",
        std::regex::icase);
    std::string lower;
    for (char c : version) {
        lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    std::smatch match;
    if (!std::regex_match(lower, match, pep440)) {
        return version;
    }
    auto number = [](const std::string& digits) {
        std::size_t first = digits.find_first_not_of('0');
        return first == std::string::npos ? std::string("0") : digits.substr(first);
    };
    std::vector<std::string> release;
    for (std::size_t at = 0, end; at <= match[2].str().size(); at = end + 1) {
        end = match[2].str().find('.', at);
        end = end == std::string::npos ? match[2].str().size() : end;
        release.push_back(number(match[2].str().substr(at, end - at)));
    }
    while (release.size() > 1 && release.back() == "0") {
        release.pop_back();
    }
    std::string out = match[1].matched && number(match[1]) != "0" ? number(match[1]) + "!" : "";
    for (std::size_t i = 0; i < release.size(); ++i) {
        out += (i ? "." : "") + release[i];
    }
    if (match[3].matched) {
        std::string pre = match[3];
        pre = pre == "alpha" ? "a" : pre == "beta" ? "b" : (pre == "c" || pre == "pre" || pre == "preview") ? "rc" : pre;
        out += pre + (match[4].matched ? number(match[4]) : "0");
    }
    if (match[5].matched) {
        out += ".post" + number(match[5]);
    } else if (match[6].matched) {
        out += ".post" + (match[7].matched ? number(match[7]) : "0");
    }
    if (match[8].matched) {
        out += ".dev" + (match[9].matched ? number(match[9]) : "0");
    }
    if (match[10].matched) {
        out += "+" + std::regex_replace(match[10].str(), std::regex("[-_]"), ".");
    }
    return out;
}

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
         param("entrypoint", Type::list_of(Type::of(Type::str))), param("maintainer", Type::of(Type::str)),
         param("dist", Type::of(Type::str)), param("packages", str_list()),
         param("env", Type::of(Type::record), false, "{}")},
        BlockUse::none,
        [](const CallSite& call) { return Type::artifact_of(artifact_of_format(call.word(0))); },
        [](const CallSite& call) {
            std::vector<CallProblem> problems;
            const std::string& format = call.word(0);
            if ((format == "deb" || format == "tar" || format == "image") && !call.has(1)) {
                problems.push_back({0, "E0210", fmt::format("package(format: {}) needs the argument 'from'", format),
                                    "the venv or dir artifact to package, like from: venv"});
            }
            if (call.has(4) && call.has(7)) {
                problems.push_back({7, "E0210", "package takes one base: an image in 'base' or a debootstrap base in 'dist'",
                                    "base: \"debian:bookworm\" for an image, dist: \"bookworm\" for the chroot's base"});
            }
            for (auto [index, name] : {std::pair<std::size_t, const char*>{4, "base"}, {5, "entrypoint"},
                                        {7, "dist"}, {8, "packages"}}) {
                if (format != "image" && call.has(index)) {
                    problems.push_back({index, "E0210",
                                        fmt::format("only package(format: image) takes the argument '{}'", name),
                                        "drop it, or build an image with format: image"});
                }
            }
            if (call.has(8) && !call.has(7)) {
                problems.push_back({8, "E0210", "package(packages:) needs the argument 'dist'",
                                    "the packages are added to the debootstrap base of dist, like dist: \"bookworm\""});
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
