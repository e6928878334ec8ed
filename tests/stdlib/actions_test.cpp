// The steps chain performs itself, on real folders; the .deb ones with the real dpkg-deb and reprepro.
#include "stdlib/actions.hpp"
#include "stdlib/builtin.hpp"
#include "stdlib/reports.hpp"
#include "tests/temp_folder.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <sys/wait.h>

using namespace chain;
namespace fs = std::filesystem;

namespace {

using Folder = test::TempFolder;

std::string perform(const Folder& folder, std::vector<std::string> args) {
    return stdlib::perform_action(stdlib::perform("test", "an action", std::move(args)), folder.root);
}

int shell(const std::string& command) {
    int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

} // namespace

TEST_CASE("publishing to a folder index lays out PEP 503 pages with hashes") {
    Folder folder;
    folder.write("out/wheel/Acme_Utils-1.0-py3-none-any.whl", "wheel bytes");
    folder.write("out/sdist/acme-utils-1.0.tar.gz", "sdist bytes");
    CHECK(perform(folder, {"pep503", "out/wheel", "index", "report"}) == "");
    CHECK(folder.read("report") == "published 1 file\n");
    CHECK(perform(folder, {"pep503", "out/sdist", "index", "report"}) == "");
    std::string project = folder.read("index/simple/acme-utils/index.html");
    CHECK(project.find("<a href=\"Acme_Utils-1.0-py3-none-any.whl#sha256="
                       "67c0d8f7de19e30c2d5891030a0b37cbfcdd240852b53055c0b28290ad52290b\">") != std::string::npos);
    CHECK(project.find("acme-utils-1.0.tar.gz#sha256=") != std::string::npos);
    CHECK(folder.read("index/simple/index.html").find("<a href=\"acme-utils/\">acme-utils</a>") != std::string::npos);

    // A file already published stays as it was.
    folder.write("out/wheel/Acme_Utils-1.0-py3-none-any.whl", "rebuilt bytes");
    CHECK(perform(folder, {"pep503", "out/wheel", "index", "report"}) == "");
    CHECK(folder.read("index/simple/acme-utils/Acme_Utils-1.0-py3-none-any.whl") == "wheel bytes");
    CHECK(folder.read("report") == "Acme_Utils-1.0-py3-none-any.whl already in the index, not replaced\n");
    CHECK(stdlib::summarize_report("text", folder.root / "report") ==
          "Acme_Utils-1.0-py3-none-any.whl already in the index, not replaced");
    folder.write("out/wheel/Acme_Utils-1.1-py3-none-any.whl", "next bytes");
    folder.write("out/wheel/Acme_Utils-1.2-py3-none-any.whl", "next bytes");
    CHECK(perform(folder, {"pep503", "out/wheel", "index", "report"}) == "");
    CHECK(folder.read("report") ==
          "published 2 files; Acme_Utils-1.0-py3-none-any.whl already in the index, not replaced\n");

    folder.write("out/empty/readme.txt", "no distributions");
    CHECK(perform(folder, {"pep503", "out/empty", "index", "report"}).ends_with("holds no wheel or sdist"));
}

TEST_CASE("a virtualenv made in a work folder is relocated to where its package installs it") {
    Folder folder;
    std::string made_at = (folder.root / "scratch/venv").string();
    folder.write("out/venv/bin/pip", "#!" + made_at + "/bin/python3\nimport pip\n");
    folder.write("out/venv/bin/activate", "VIRTUAL_ENV=\"" + made_at + "\"\nexport VIRTUAL_ENV\n");
    fs::permissions(folder.root / "out/venv/bin/pip", fs::perms::owner_all);
    fs::create_symlink("/usr/bin/python3", folder.root / "out/venv/bin/python");
    CHECK(perform(folder, {"relocate", "out/venv", "/opt/app"}) == "");
    CHECK(folder.read("out/venv/bin/pip") == "#!/opt/app/bin/python3\nimport pip\n");
    CHECK(folder.read("out/venv/bin/activate") == "VIRTUAL_ENV=\"/opt/app\"\nexport VIRTUAL_ENV\n");
    CHECK((fs::status(folder.root / "out/venv/bin/pip").permissions() & fs::perms::owner_exec) != fs::perms::none);
    CHECK(fs::read_symlink(folder.root / "out/venv/bin/python") == "/usr/bin/python3");
}

TEST_CASE("a .deb laid out by chain builds with dpkg-deb and goes into a reprepro repository") {
    Folder folder;
    folder.write("out/venv/bin/app", "#!/bin/sh\necho app\n");
    CHECK(perform(folder, {"debtree", "out/venv", "tree", "/opt/app", "app", "1.0~rc1", "Acme <ops@acme.test>"}) == "");
    std::string control = folder.read("tree/DEBIAN/control");
    CHECK(control.starts_with("Package: app\nVersion: 1.0~rc1\nArchitecture: "));
    CHECK(control.find("Maintainer: Acme <ops@acme.test>\nDepends: python3\n") != std::string::npos);
    CHECK(folder.read("tree/opt/app/bin/app") == "#!/bin/sh\necho app\n");
    std::string deb = (folder.root / "app_1.0~rc1.deb").string();
    REQUIRE(shell("dpkg-deb --build --root-owner-group " + (folder.root / "tree").string() + " " + deb +
                  " >/dev/null") == 0);
    CHECK(shell("dpkg-deb --contents " + deb + " | grep -q ' ./opt/app/bin/app$'") == 0);

    CHECK(perform(folder, {"reprepro-conf", "apt", "bookworm"}) == "");
    CHECK(perform(folder, {"reprepro-conf", "apt", "bookworm"}) == "");
    CHECK(folder.read("apt/conf/distributions").starts_with("Codename: bookworm\n"));
    REQUIRE(shell("reprepro -b " + (folder.root / "apt").string() + " includedeb bookworm " + deb +
                  " >/dev/null 2>&1") == 0);
    std::size_t field = control.find("Architecture: ") + 14;
    std::string architecture = control.substr(field, control.find('\n', field) - field);
    CHECK(fs::exists(folder.root / ("apt/pool/main/a/app/app_1.0~rc1_" + architecture + ".deb")));
    CHECK(folder.read("apt/dists/bookworm/main/binary-" + architecture + "/Packages").find("Package: app\n") !=
          std::string::npos);
}

TEST_CASE("switching releases: blue/green keeps the previous release, direct keeps only the live one") {
    Folder folder;
    for (std::string version : {"1.0", "1.1", "1.2"}) {
        CHECK(perform(folder, {"fresh-dir", "deploy/releases/" + version}) == "");
        folder.write("deploy/releases/" + version + "/VERSION", version);
    }
    CHECK(perform(folder, {"switch", "deploy", "1.0", "blue_green"}) == "");
    CHECK(folder.read("deploy/current/VERSION") == "1.0");
    CHECK_FALSE(fs::exists(folder.root / "deploy/previous"));
    CHECK(perform(folder, {"switch", "deploy", "1.1", "blue_green"}) == "");
    CHECK(fs::read_symlink(folder.root / "deploy/current") == "releases/1.1");
    CHECK(fs::read_symlink(folder.root / "deploy/previous") == "releases/1.0");
    CHECK_FALSE(fs::exists(folder.root / "deploy/current.new"));
    CHECK(perform(folder, {"switch", "deploy", "1.2", "direct"}) == "");
    CHECK(folder.read("deploy/current/VERSION") == "1.2");
    CHECK_FALSE(fs::exists(folder.root / "deploy/previous"));
    CHECK_FALSE(fs::exists(folder.root / "deploy/releases/1.0"));
    CHECK_FALSE(fs::exists(folder.root / "deploy/releases/1.1"));
}

TEST_CASE("an image's release names its image and container; switch stops the one that was live, direct removes") {
    // A real container of a real image: podman, with chain's storage, on an image of one empty folder.
    Folder folder;
    folder.write("context/Containerfile", "FROM scratch\nCOPY empty/ /empty/\n");
    folder.write("context/empty/.keep", "");
    std::string podman = "podman --storage-driver vfs ";
    std::string image = "localhost/chain-actions-test:1";
    std::string container = "chain-actions-test-1";
    REQUIRE(shell(podman + "build --quiet --tag " + image + " " + (folder.root / "context").string() + " >/dev/null") == 0);
    REQUIRE(shell(podman + "create --name " + container + " " + image + " /empty >/dev/null") == 0);
    CHECK(perform(folder, {"fresh-dir", "deploy/releases/1.0"}) == "");
    CHECK(perform(folder, {"image-release", "deploy/releases/1.0", image, container}) == "");
    CHECK(folder.read("deploy/releases/1.0/image") == image);
    CHECK(folder.read("deploy/releases/1.0/container") == container);
    CHECK(perform(folder, {"switch", "deploy", "1.0", "blue_green"}) == "");
    CHECK(perform(folder, {"fresh-dir", "deploy/releases/1.1"}) == "");
    CHECK(perform(folder, {"switch", "deploy", "1.1", "blue_green"}) == "");
    CHECK(shell(podman + "container exists " + container) == 0); // stopped, kept as previous
    CHECK(perform(folder, {"switch", "deploy", "1.1", "direct"}) == "");
    CHECK_FALSE(fs::exists(folder.root / "deploy/releases/1.0"));
    CHECK(shell(podman + "container exists " + container) != 0);
    // Without podman the switch is made but the stage learns that the container was not stopped.
    CHECK(perform(folder, {"fresh-dir", "deploy/releases/1.2"}) == "");
    CHECK(perform(folder, {"image-release", "deploy/releases/1.2", image, container}) == "");
    CHECK(perform(folder, {"switch", "deploy", "1.2", "blue_green"}) == "");
    CHECK(perform(folder, {"fresh-dir", "deploy/releases/1.3"}) == "");
    std::string path = std::getenv("PATH");
    setenv("PATH", (folder.root / "no-programs").c_str(), 1);
    std::string error = perform(folder, {"switch", "deploy", "1.3", "blue_green"});
    setenv("PATH", path.c_str(), 1);
    CHECK(error == "command not found: podman");
    CHECK(fs::read_symlink(folder.root / "deploy/current") == "releases/1.3");
    shell(podman + "rm --force --ignore " + container + " >/dev/null 2>&1; " + podman + "rmi --force " + image +
          " >/dev/null 2>&1");
}

TEST_CASE("a base made whole takes its name in the cache, unless another stage's got there first") {
    Folder folder;
    folder.write("scratch/a/base/usr/marker", "a");
    folder.write("scratch/b/base/usr/marker", "b");
    CHECK(perform(folder, {"rename", "scratch/a/base", "cache/chroot/bookworm"}) == "");
    CHECK(perform(folder, {"rename", "scratch/b/base", "cache/chroot/bookworm"}) == "");
    CHECK(folder.read("cache/chroot/bookworm/usr/marker") == "a");
    CHECK_FALSE(fs::exists(folder.root / "scratch/b/base"));
}

TEST_CASE("an action that cannot be performed says so") {
    Folder folder;
    CHECK(stdlib::perform_action(stdlib::action("x", "describe only"), folder.root) ==
          "chain cannot perform this step yet: describe only");
    CHECK(perform(folder, {"pep503", "only-one-argument"}) == "chain cannot perform this step: an action");
    CHECK(perform(folder, {"collect", "missing", "out", "inside"}).ends_with("does not exist: the steps before did not make it"));
}
