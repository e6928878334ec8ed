#include "actions.hpp"

#include "builtin.hpp"
#include "coverage_floor.hpp"
#include "files.hpp"
#include "sha256.hpp"

#include <boost/process.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <regex>
#include <sys/utsname.h>
#include <unistd.h>

namespace chain::stdlib {

namespace fs = std::filesystem;
namespace bp = boost::process;

namespace {

using Arguments = std::vector<std::string>;

/// An artifact of an earlier stage is a symbolic link into the store; its contents are what is meant.
fs::path followed(const fs::path& path) { return fs::is_symlink(path) ? fs::canonical(path) : path; }

/// Why `file()`/`dir()` may not read `source` (as the pipeline wrote it), or "": a relative path must stay
/// in the pipeline's folder `root`, as written and with its symbolic links followed; an absolute one is
/// read as written only when the pipeline wrote it literally (`as_written`), never when a parameter or
/// another value made it.
std::string outside_repository(const fs::path& root, const std::string& source, bool as_written) {
    if (fs::path(source).is_absolute()) {
        return as_written ? ""
                          : fmt::format("refusing to read {}: an absolute path that the pipeline does not write "
                                        "literally (it came from a parameter or a value) is not read",
                                        source);
    }
    std::string leaves = leaves_repository(root, source);
    if (leaves.empty()) {
        return "";
    }
    return fmt::format("refusing to read {}: {}{}", source, leaves,
                       leaves == leaves_through_dot_dot ? "; write an absolute path to read a file outside on purpose" : "");
}

/// `collect SOURCE DESTINATION as-written|inside`: a folder's contents, or a file, copied into the artifact
/// folder. Symbolic links inside a folder are copied as links, not followed; the copy is writable (a
/// source in the store is read-only) until the store keeps it.
std::string collect(const Step&, const fs::path& root, const Arguments& args) {
    if (std::string refused = outside_repository(root, args[0], args[2] == "as-written"); !refused.empty()) {
        return refused;
    }
    // Inside a chroot the repository is at the same path (chain chroot-exec), so paths need no mapping.
    fs::path source = followed(root / args[0]);
    fs::path destination = root / args[1];
    if (!fs::exists(source)) {
        return source.string() + " does not exist: the steps before did not make it";
    }
    fs::create_directories(destination);
    if (fs::is_directory(source)) {
        fs::copy(source, destination,
                 fs::copy_options::recursive | fs::copy_options::copy_symlinks | fs::copy_options::overwrite_existing);
    } else {
        fs::copy_file(source, destination / source.filename(), fs::copy_options::overwrite_existing);
    }
    make_writable(destination);
    return "";
}

/// PEP 503: a project's name in the index is lower case with each run of `-`, `_` and `.` one `-`.
std::string normalized_project(std::string_view name) {
    std::string out;
    for (char c : name) {
        if (c == '-' || c == '_' || c == '.') {
            if (out.empty() || out.back() != '-') {
                out += '-';
            }
        } else {
            out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
    }
    return out;
}

/// Whether a file's name says it is meant as a distribution, whatever else it says.
bool looks_like_distribution(const std::string& file) {
    return file.ends_with(".whl") || file.ends_with(".tar.gz") || file.ends_with(".zip");
}

/// The project of a wheel or an sdist named as their specifications say, or "" for any other name: a
/// wheel is `NAME-VERSION(-BUILD)?-PYTHON-ABI-PLATFORM.whl` (PEP 427), an sdist `NAME-VERSION.tar.gz`
/// (PEP 625; `.zip`, and `-` in the name, as setuptools before 69.3 made them), with a name and version of
/// letters, digits and `._` (the version also `!+`), so that no name carries markup or a path into the index.
std::string project_of_distribution(const std::string& file) {
    static const std::regex wheel(R"(([A-Za-z0-9](?:[A-Za-z0-9._]*[A-Za-z0-9])?)-[A-Za-z0-9_.!+]+(?:-[0-9][A-Za-z0-9_.]*)?)"
                                  R"(-[A-Za-z0-9_.]+-[A-Za-z0-9_.]+-[A-Za-z0-9_.]+\.whl)");
    static const std::regex sdist(R"(([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)-[A-Za-z0-9_.!+]+\.(?:tar\.gz|zip))");
    std::smatch match;
    if (std::regex_match(file, match, wheel) || std::regex_match(file, match, sdist)) {
        return normalized_project(match[1].str());
    }
    return "";
}

/// `text` for an HTML page, where it is markup no more.
std::string html_escaped(std::string_view text) {
    std::string out;
    for (char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
        }
    }
    return out;
}

std::string html_page(const std::string& title, const std::vector<std::pair<std::string, std::string>>& links) {
    std::string page = fmt::format("<!DOCTYPE html>\n<html>\n  <head><meta name=\"pypi:repository-version\" "
                                   "content=\"1.0\"><title>{}</title></head>\n  <body>\n",
                                   html_escaped(title));
    for (const auto& [href, text] : links) {
        page += fmt::format("    <a href=\"{}\">{}</a><br/>\n", html_escaped(href), html_escaped(text));
    }
    return page + "  </body>\n</html>\n";
}

/// `pep503 ARTIFACT INDEX REPORT`: each wheel and sdist of the artifact not yet there into INDEX/simple/PROJECT/,
/// and the index pages rewritten, so that `pip install --index-url file://INDEX/simple NAME` finds them;
/// REPORT says what was published and what was there already.
std::string publish_to_index(const Step&, const fs::path& root, const Arguments& args) {
    fs::path artifact = followed(root / args[0]);
    fs::path simple = root / args[1] / "simple";
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(artifact)) {
        std::string name = entry.path().filename().string();
        if (!looks_like_distribution(name)) {
            continue;
        }
        // Only what the build wrote is published: a link could bring any file of this machine into the index.
        if (!entry.is_regular_file() || entry.is_symlink()) {
            return fmt::format("refusing to publish {}: it is {}, not a regular file", entry.path().string(),
                               entry.is_symlink() ? "a symbolic link" : "not a file");
        }
        if (project_of_distribution(name).empty()) {
            return fmt::format("refusing to publish {}: it is not named as a wheel (NAME-VERSION-PYTHON-ABI-PLATFORM.whl, "
                               "PEP 427) or an sdist (NAME-VERSION.tar.gz, PEP 625)",
                               entry.path().string());
        }
        files.push_back(entry.path());
    }
    if (files.empty()) {
        return artifact.string() + " holds no wheel or sdist";
    }
    std::sort(files.begin(), files.end());
    std::size_t published_count = 0;
    std::string kept;
    for (const fs::path& file : files) {
        std::string name = file.filename().string();
        fs::path project = simple / project_of_distribution(name);
        fs::create_directories(project);
        fs::path published = project / name;
        if (fs::exists(published)) {
            // As `twine upload --skip-existing`: a published file is never replaced. A rerun of the same
            // commit builds the same version again, byte for byte different only in time stamps.
            kept += fmt::format("{}{} already in the index, not replaced", kept.empty() ? "" : "; ", name);
            continue;
        }
        fs::path temporary = published;
        temporary += ".tmp";
        fs::copy_file(file, temporary, fs::copy_options::overwrite_existing);
        fs::rename(temporary, published);
        ++published_count;
    }
    std::string summary = published_count == 0 && !kept.empty()
                              ? kept
                              : fmt::format("published {} file{}{}", published_count, published_count == 1 ? "" : "s",
                                            kept.empty() ? "" : "; " + kept);
    replace_file(root / args[2], summary + "\n");
    std::vector<std::pair<std::string, std::string>> projects;
    for (const auto& project : fs::directory_iterator(simple)) {
        if (!project.is_directory()) {
            continue;
        }
        std::vector<std::pair<std::string, std::string>> links;
        for (const auto& entry : fs::directory_iterator(project.path())) {
            std::string name = entry.path().filename().string();
            if (entry.is_regular_file() && !entry.is_symlink() && !project_of_distribution(name).empty()) {
                links.emplace_back(name + "#sha256=" + sha256_hex(read_file(entry.path())), name);
            }
        }
        std::sort(links.begin(), links.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
        std::string title = project.path().filename().string();
        replace_file(project.path() / "index.html", html_page("Links for " + title, links));
        projects.emplace_back(title + "/", title);
    }
    std::sort(projects.begin(), projects.end());
    replace_file(simple / "index.html", html_page("Simple index", projects));
    return "";
}

/// The name and version a wheel's or sdist's file name carries (PEP 427, PEP 625), or nothing.
std::optional<std::pair<std::string, std::string>> distribution_version(const std::string& file) {
    std::string stem;
    if (file.ends_with(".whl")) {
        std::size_t name_end = file.find('-');
        std::size_t version_end = file.find('-', name_end + 1);
        if (name_end == std::string::npos || version_end == std::string::npos) {
            return std::nullopt;
        }
        return std::pair{file.substr(0, name_end), file.substr(name_end + 1, version_end - name_end - 1)};
    }
    for (std::string suffix : {".tar.gz", ".zip"}) {
        if (file.ends_with(suffix)) {
            stem = file.substr(0, file.size() - suffix.size());
        }
    }
    std::size_t name_end = stem.rfind('-');
    if (name_end == std::string::npos || name_end == 0) {
        return std::nullopt;
    }
    return std::pair{stem.substr(0, name_end), stem.substr(name_end + 1)};
}

/// The `Package` and `Version` of a .deb's control file, as dpkg-deb reads them; or the error in words.
std::pair<std::pair<std::string, std::string>, std::string> deb_version(const fs::path& file) {
    boost::filesystem::path dpkg_deb = bp::search_path("dpkg-deb");
    if (dpkg_deb.empty()) {
        return {{}, "command not found: dpkg-deb"};
    }
    bp::ipstream out;
    bp::child child(dpkg_deb, std::vector<std::string>{"--field", file.string(), "Package", "Version"},
                    bp::std_out > out, bp::std_err > bp::null);
    std::pair<std::string, std::string> fields;
    for (std::string line; std::getline(out, line);) {
        if (line.starts_with("Package: ")) {
            fields.first = line.substr(9);
        } else if (line.starts_with("Version: ")) {
            fields.second = line.substr(9);
        }
    }
    child.wait();
    if (child.exit_code() != 0 || fields.second.empty()) {
        return {{}, fmt::format("dpkg-deb cannot read the control file of {}", file.string())};
    }
    return {fields, ""};
}

/// `built-version FORMAT BUILT VERSION`: what `package` built (the wheels or sdists in the folder BUILT,
/// or the .deb BUILT) carries VERSION, compared as PEP 440 versions (a .deb's as the Debian form of it).
std::string check_built_version(const Step&, const fs::path& root, const Arguments& args) {
    const std::string& format = args[0];
    const std::string& wanted = args[2];
    std::vector<std::pair<std::string, std::string>> built;
    if (format == "deb") {
        auto [fields, error] = deb_version(followed(root / args[1]));
        if (!error.empty()) {
            return error;
        }
        if (fields.second != debian_version(wanted)) {
            return fmt::format("built {}_{}.deb but the pipeline asked for {} (Debian version {})", fields.first,
                               fields.second, wanted, debian_version(wanted));
        }
        return "";
    }
    fs::path folder = followed(root / args[1]);
    for (const auto& entry : fs::directory_iterator(folder)) {
        std::string name = entry.path().filename().string();
        bool ours = format == "wheel" ? name.ends_with(".whl") : name.ends_with(".tar.gz") || name.ends_with(".zip");
        if (!ours) {
            continue;
        }
        auto named = distribution_version(name);
        if (!named) {
            return fmt::format("cannot tell the version of {}: it is not named NAME-VERSION as PEP 427 and 625 say",
                               entry.path().string());
        }
        built.push_back(*named);
    }
    if (built.empty()) {
        return fmt::format("the build made no {} in {}", format, folder.string());
    }
    std::sort(built.begin(), built.end());
    for (const auto& [name, version] : built) {
        if (canonical_version(version) != canonical_version(wanted)) {
            return fmt::format("built {}-{} but the pipeline asked for {}: make setup.py read the version from the "
                               "CHAIN_VERSION environment variable (or use setuptools-scm)",
                               name, version, wanted);
        }
    }
    return "";
}

/// `regular-file FILE`: FILE is a regular file, not a link to one (a package to publish, say).
std::string need_regular_file(const Step&, const fs::path& root, const Arguments& args) {
    fs::path file = root / args[0];
    fs::file_status status = fs::symlink_status(file);
    if (fs::is_regular_file(status)) {
        return "";
    }
    return fmt::format("refusing to publish {}: it is {}, not a regular file", args[0],
                       fs::is_symlink(status) ? "a symbolic link" : fs::exists(status) ? "not a file" : "missing");
}

/// `relocate VENV PATH`: a virtualenv made in a work folder is made to live at PATH, where its package
/// installs it: the scripts' `#!` lines and the activate scripts name PATH instead.
std::string relocate_virtualenv(const Step&, const fs::path& root, const Arguments& args) {
    fs::path venv = followed(root / args[0]);
    const std::string& path = args[1];
    std::string pip = fs::is_regular_file(venv / "bin" / "pip") ? read_file(venv / "bin" / "pip") : "";
    if (!pip.starts_with("#!") || pip.find("/bin/python") == std::string::npos) {
        return (venv / "bin" / "pip").string() + " has no #! line naming the virtualenv's python";
    }
    std::string made_at = pip.substr(2, pip.find("/bin/python") - 2);
    for (const auto& entry : fs::directory_iterator(venv / "bin")) {
        if (!entry.is_regular_file() || entry.is_symlink()) {
            continue;
        }
        std::string text = read_file(entry.path());
        if (text.find('\0') != std::string::npos || text.find(made_at) == std::string::npos) {
            continue;
        }
        for (std::size_t at = text.find(made_at); at != std::string::npos; at = text.find(made_at, at + path.size())) {
            text.replace(at, made_at.size(), path);
        }
        auto permissions = fs::status(entry.path()).permissions();
        replace_file(entry.path(), text);
        fs::permissions(entry.path(), permissions);
    }
    return "";
}

std::string debian_architecture() {
    struct utsname machine {};
    uname(&machine);
    static const std::map<std::string, std::string> names = {
        {"x86_64", "amd64"}, {"aarch64", "arm64"}, {"armv7l", "armhf"}, {"i686", "i386"}, {"ppc64le", "ppc64el"},
        {"s390x", "s390x"},  {"riscv64", "riscv64"}};
    auto it = names.find(machine.machine);
    return it == names.end() ? machine.machine : it->second;
}

/// `debtree SOURCE TREE INSTALL_AT NAME VERSION MAINTAINER`: the tree dpkg-deb builds: SOURCE at
/// INSTALL_AT, and DEBIAN/control.
std::string lay_out_package(const Step&, const fs::path& root, const Arguments& args) {
    fs::path source = followed(root / args[0]);
    fs::path tree = root / args[1];
    if (!fs::is_directory(source)) {
        return source.string() + " is not a folder";
    }
    remove_tree(tree);
    fs::path install_at = tree / fs::path(args[2]).relative_path();
    fs::create_directories(install_at);
    fs::copy(source, install_at, fs::copy_options::recursive | fs::copy_options::copy_symlinks);
    make_writable(install_at);
    fs::create_directories(tree / "DEBIAN");
    std::ofstream(tree / "DEBIAN" / "control")
        << fmt::format("Package: {}\nVersion: {}\nArchitecture: {}\nMaintainer: {}\nDepends: python3\n"
                       "Section: misc\nPriority: optional\nDescription: {} (a virtualenv at {})\n",
                       args[3], args[4], debian_architecture(), args[5], args[3], args[2]);
    return "";
}

/// `reprepro-conf REPOSITORY DIST`: the configuration reprepro needs, written once.
std::string configure_apt_repository(const Step&, const fs::path& root, const Arguments& args) {
    fs::path conf = root / args[0] / "conf";
    fs::create_directories(conf);
    fs::path distributions = conf / "distributions";
    std::string wanted = fmt::format("Codename: {}\nArchitectures: {} source\nComponents: main\n"
                                     "Description: packages published by chain\n",
                                     args[1], debian_architecture());
    std::string text = fs::exists(distributions) ? read_file(distributions) : "";
    if (text.find("Codename: " + args[1] + "\n") == std::string::npos) {
        replace_file(distributions, text.empty() ? wanted : text + "\n" + wanted);
    }
    return "";
}

/// `fresh-dir DIR`: an empty folder, whatever was there before (a release of the same version that
/// failed its health check, say).
std::string fresh_folder(const Step&, const fs::path& root, const Arguments& args) {
    fs::path folder = root / args[0];
    remove_tree(folder);
    fs::create_directories(folder);
    return "";
}

/// `copy-tree SOURCE DESTINATION`: a dir artifact installed as a release, writable like any copy (the
/// store's object is read-only).
std::string copy_tree(const Step&, const fs::path& root, const Arguments& args) {
    fs::copy(followed(root / args[0]), root / args[1], fs::copy_options::recursive | fs::copy_options::copy_symlinks);
    make_writable(root / args[1]);
    return "";
}

/// Runs podman with chain's storage on `args`; what went wrong in words (with podman's own), or "".
std::string run_podman(const std::vector<std::string>& args) {
    std::vector<std::string> argv = podman_argv(args);
    boost::filesystem::path podman = bp::search_path(argv[0]);
    argv.erase(argv.begin());
    if (podman.empty()) {
        return "command not found: podman";
    }
    bp::ipstream errors;
    bp::child child(podman, argv, bp::std_out > bp::null, bp::std_err > errors);
    std::string said;
    for (std::string line; std::getline(errors, line);) {
        said += (said.empty() ? "" : " ") + line;
    }
    child.wait();
    if (child.exit_code() == 0) {
        return "";
    }
    return fmt::format("podman {} {} failed (exit {}){}", args[0], args.back(), child.exit_code(),
                       said.empty() ? "" : ": " + said);
}

/// The container a deployed image's release runs in, or "" for a release of files.
std::string release_container(const fs::path& release) {
    fs::path record = release / "container";
    return fs::exists(record) ? read_file(record) : "";
}

/// `image-release RELEASE IMAGE CONTAINER`: the release folder of a deployed image names the image and
/// the container that runs it, which switch stops or removes when the release goes out of service.
std::string record_image_release(const Step&, const fs::path& root, const Arguments& args) {
    replace_file(root / args[0] / "image", args[1]);
    replace_file(root / args[0] / "container", args[2]);
    return "";
}

/// `switch DIR VERSION STRATEGY`: DIR/current points at releases/VERSION, replaced in one rename, so
/// that a reader sees the old or the new release and never none. blue_green and rolling keep the
/// release that was live as DIR/previous (its container, for an image, stopped but kept); direct removes
/// every other release (and its container).
std::string switch_release(const Step&, const fs::path& root, const Arguments& args) {
    if (std::string problem = release_name_problem(args[1]); !problem.empty()) {
        return problem;
    }
    fs::path dir = root / args[0];
    std::string target = "releases/" + args[1];
    fs::path current = dir / "current";
    std::error_code none;
    fs::path live = fs::read_symlink(current, none);
    fs::path next = dir / "current.new";
    fs::remove(next, none);
    fs::create_directory_symlink(target, next);
    if (!live.empty() && live != target && args[2] != "direct") {
        fs::path previous_next = dir / "previous.new";
        fs::remove(previous_next, none);
        fs::create_directory_symlink(live, previous_next);
        fs::rename(previous_next, dir / "previous");
    }
    fs::rename(next, current);
    if (args[2] == "direct") {
        fs::remove(dir / "previous", none);
        for (const auto& entry : fs::directory_iterator(dir / "releases")) {
            if (entry.path().filename() != args[1]) {
                if (std::string container = release_container(entry.path()); !container.empty()) {
                    if (std::string error = run_podman({"rm", "--force", "--ignore", "--", container}); !error.empty()) {
                        return error;
                    }
                }
                remove_tree(entry.path());
            }
        }
        return "";
    }
    if (!live.empty() && live != target) {
        if (std::string container = release_container(dir / live); !container.empty()) {
            return run_podman({"stop", "--ignore", "--", container});
        }
    }
    return "";
}

/// `refuse ERROR`: a step planned only to stop the stage with ERROR.
std::string refuse(const Step&, const fs::path&, const Arguments& args) { return args[0]; }

/// `need-root WHAT`: fails with a clear message unless chain runs as root.
std::string need_root(const Step&, const fs::path&, const Arguments& args) {
    return geteuid() == 0 ? "" : args[0] + " needs root (debootstrap, chroot(2) and bind mounts are root's); run chain as root";
}

/// `rename FROM TO`: a folder made whole under a temporary name takes its final one; when another stage
/// made TO first, that one is kept and FROM removed.
std::string rename_path(const Step&, const fs::path& root, const Arguments& args) {
    fs::create_directories((root / args[1]).parent_path());
    std::error_code error;
    fs::rename(root / args[0], root / args[1], error);
    if (error && fs::is_directory(root / args[1])) {
        remove_tree(root / args[0]);
        return "";
    }
    return error ? "cannot rename " + args[0] + " to " + args[1] + ": " + error.message() : "";
}

/// `containerfile CONTEXT BASE INSTALL_AT ENTRYPOINT`: CONTEXT/Containerfile that puts CONTEXT/root/ over
/// BASE, with ENTRYPOINT (a JSON array, or empty for none); CONTEXT/root/INSTALL_AT's parent is made for
/// the tree copied there next.
std::string write_containerfile(const Step&, const fs::path& root, const Arguments& args) {
    fs::path context = root / args[0];
    fs::create_directories((context / "root" / fs::path(args[2]).relative_path()).parent_path());
    std::string text = "FROM " + args[1] + "\nCOPY root/ /\n";
    if (!args[3].empty()) {
        text += "ENTRYPOINT " + args[3] + "\n";
    }
    replace_file(context / "Containerfile", text);
    return "";
}

/// `coverage-floor FLOOR REPORT NEW_FLOOR SUMMARY`: coverage's ratchet (coverage_floor.hpp).
std::string check_coverage_floor(const Step&, const fs::path& root, const Arguments& args) {
    return ratchet_coverage(root, args[0], args[1], args[2], args[3]);
}

struct Performer {
    std::size_t arguments;
    std::function<std::string(const Step&, const fs::path&, const Arguments&)> perform;
};

const std::map<std::string, Performer>& performers() {
    static const std::map<std::string, Performer> table = {
        {"collect", {3, collect}},
        {"pep503", {3, publish_to_index}},
        {"relocate", {2, relocate_virtualenv}},
        {"debtree", {6, lay_out_package}},
        {"reprepro-conf", {2, configure_apt_repository}},
        {"fresh-dir", {1, fresh_folder}},
        {"copy-tree", {2, copy_tree}},
        {"switch", {3, switch_release}},
        {"need-root", {1, need_root}},
        {"refuse", {1, refuse}},
        {"regular-file", {1, need_regular_file}},
        {"built-version", {3, check_built_version}},
        {"rename", {2, rename_path}},
        {"containerfile", {4, write_containerfile}},
        {"image-release", {3, record_image_release}},
        {"coverage-floor", {4, check_coverage_floor}},
    };
    return table;
}

} // namespace

std::string release_name_problem(std::string_view release) {
    auto allowed = [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || std::string_view(".+~:_-").find(c) != std::string_view::npos;
    };
    if (!release.empty() && std::isalnum(static_cast<unsigned char>(release[0])) &&
        std::all_of(release.begin(), release.end(), allowed)) {
        return "";
    }
    return fmt::format("'{}' is not a release name: a release is named by a version (PEP 440 or Debian), of "
                       "letters, digits and . + ~ : _ - starting with a letter or digit; give deploy a version: "
                       "that is one",
                       release);
}

Step refusal(std::string builtin, std::string error) {
    // Not in one call: its arguments may be evaluated in any order, the move of `error` first.
    std::string description = "refuse: " + error;
    return perform(std::move(builtin), std::move(description), {"refuse", std::move(error)});
}

std::string perform_action(const Step& step, const fs::path& root) {
    if (step.action_args.empty()) {
        return "chain cannot perform this step yet: " + step.action;
    }
    auto performer = performers().find(step.action_args[0]);
    if (performer == performers().end() || step.action_args.size() != performer->second.arguments + 1) {
        return "chain cannot perform this step: " + step.action;
    }
    try {
        return performer->second.perform(step, root, Arguments(step.action_args.begin() + 1, step.action_args.end()));
    } catch (const fs::filesystem_error& error) {
        return error.what();
    }
}

} // namespace chain::stdlib
