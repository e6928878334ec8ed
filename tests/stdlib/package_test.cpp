#include "invoke.hpp"

using namespace chain;
using namespace chain::test;

TEST_CASE("package builds a wheel or sdist without isolation, with the version") {
    Planned wheel = invoke("package", {{"format", text("wheel")}, {"version", text("1.4.0rc3")}}, "out/wheel");
    REQUIRE(wheel.steps.size() == 2);
    CHECK(wheel.steps[0].argv == Argv{"python3", "-m", "build", "--no-isolation", "--wheel", "--outdir", "out/wheel"});
    CHECK(wheel.steps[0].env ==
          std::vector<std::pair<std::string, std::string>>{{"CHAIN_VERSION", "1.4.0rc3"},
                                                           {"SETUPTOOLS_SCM_PRETEND_VERSION", "1.4.0rc3"}});
    CHECK(wheel.steps[1].action_args == Argv{"built-version", "wheel", "out/wheel", "1.4.0rc3"});
    CHECK(wheel.value.artifact_kind == artifact_wheel);
    CHECK(invoke("package", {{"format", text("sdist")}}, "out/sdist").steps[0].argv[4] == "--sdist");
}

TEST_CASE("package makes a .deb of a venv with dpkg-deb, versioned the Debian way") {
    stdlib::Value venv = stdlib::artifact_at("out/venv", artifact_venv);
    venv.fields.emplace_back("path", text("/opt/app"));
    Planned deb = invoke("package", {{"format", text("deb")}, {"from", venv}, {"name", text("app")}}, "out/deb");
    REQUIRE(deb.steps.size() == 3);
    CHECK(deb.steps[0].action_args == Argv{"debtree", "out/venv", ".chain/scratch/build/deb", "/opt/app", "app",
                                           "1.4.0~rc3", "chain <chain@localhost>"});
    CHECK(deb.steps[1].argv ==
          Argv{"dpkg-deb", "--build", "--root-owner-group", ".chain/scratch/build/deb", "out/deb/app_1.4.0~rc3.deb"});
    CHECK(deb.steps[2].action_args == Argv{"built-version", "deb", "out/deb/app_1.4.0~rc3.deb", "1.4.0rc3"});
    CHECK(deb.value.artifact_kind == artifact_deb);
    CHECK(text_of(*deb.value.field("file")) == "out/deb/app_1.4.0~rc3.deb");
    CHECK(text_of(*deb.value.field("version")) == "1.4.0rc3");
}

TEST_CASE("package makes a tar of a folder") {
    Planned tar = invoke("package", {{"format", text("tar")}, {"from", stdlib::artifact_at("out/site", artifact_dir)},
                                     {"name", text("site")}},
                         "out/tar");
    CHECK(tar.steps[0].argv == Argv{"tar", "-czf", "out/tar/site-1.4.0rc3.tar.gz", "-C", "out/site", "."});
}

TEST_CASE("two spellings of one PEP 440 version have one canonical form") {
    CHECK(stdlib::canonical_version("1.0.0rc13") == "1rc13");
    CHECK(stdlib::canonical_version("v1.0.0-RC.13") == "1rc13");
    CHECK(stdlib::canonical_version("1.0.0c13") == "1rc13");
    CHECK(stdlib::canonical_version("1.4.0.alpha") == "1.4a0");
    CHECK(stdlib::canonical_version("1.4-2") == "1.4.post2");
    CHECK(stdlib::canonical_version("1.4.1.dev05") == "1.4.1.dev5");
    CHECK(stdlib::canonical_version("1!01.4+Local-7") == "1!1.4+local.7");
    CHECK(stdlib::canonical_version("1.17.0") != stdlib::canonical_version("1.0.0rc13"));
    CHECK(stdlib::canonical_version("not a version") == "not a version");
}

TEST_CASE("PEP 440 versions become Debian versions that sort the same way") {
    CHECK(stdlib::debian_version("1.4.0") == "1.4.0");
    CHECK(stdlib::debian_version("1.4.0rc3") == "1.4.0~rc3");
    CHECK(stdlib::debian_version("1.4.1.dev5") == "1.4.1~dev5");
    CHECK(stdlib::debian_version("1.4.0.post2") == "1.4.0+post2");
}

TEST_CASE("package makes an image over the debootstrap base of a dist, imported into podman") {
    stdlib::Value venv = stdlib::artifact_at("out/venv", artifact_venv);
    venv.fields.emplace_back("path", text("/opt/app"));
    Planned image = invoke("package",
                           {{"format", text("image")}, {"from", venv}, {"name", text("app")},
                            {"dist", text("bookworm")}, {"entrypoint", texts({"/opt/app/bin/app"})}},
                           "out/img");
    REQUIRE(image.steps.size() == 13);
    CHECK(image.steps[0].action_args == Argv{"need-root", "package(dist: \"bookworm\")"});
    CHECK(image.steps[2].argv[0] == "debootstrap");
    CHECK(image.steps[2].creates == ".chain/cache/chroot/bookworm");
    CHECK(image.steps[5].argv == Argv{"tar", "--create", "--file", ".chain/scratch/build/base/rootfs.tar", "--directory",
                                      ".chain/cache/chroot/bookworm", "."});
    CHECK(image.steps[6].argv == Argv{"podman", "--storage-driver", "vfs", "import", "--quiet",
                                      ".chain/scratch/build/base/rootfs.tar", "localhost/chain-base:bookworm"});
    CHECK(image.steps[9].action_args == Argv{"containerfile", ".chain/scratch/build/image",
                                             "localhost/chain-base:bookworm", "/opt/app", "[\"/opt/app/bin/app\"]"});
    CHECK(image.steps[11].argv == Argv{"podman", "--storage-driver", "vfs", "build", "--quiet", "--iidfile",
                                       "out/img/image-id", "--tag", "localhost/app:1.4.0rc3", "--file",
                                       ".chain/scratch/build/image/Containerfile", ".chain/scratch/build/image"});
    CHECK(image.value.artifact_kind == artifact_image);
    CHECK(text_of(*image.value.field("image")) == "localhost/app:1.4.0rc3");
}

TEST_CASE("an image's base is scratch unless given, and its tag is the version in a form OCI accepts") {
    Planned image = invoke("package", {{"format", text("image")},
                                       {"from", stdlib::artifact_at("out/site", artifact_dir)},
                                       {"name", text("site")},
                                       {"version", text("1.4.0+local.7")}},
                           "out/img");
    REQUIRE(image.steps.size() == 5);
    CHECK(image.steps[1].action_args == Argv{"containerfile", ".chain/scratch/build/image", "scratch", "/opt/site", ""});
    CHECK(text_of(*image.value.field("image")) == "localhost/site:1.4.0-local.7");
    CHECK(text_of(*image.value.field("version")) == "1.4.0+local.7");
    CHECK(stdlib::image_tag("1.4.0rc3") == "1.4.0rc3");
    CHECK(stdlib::image_tag("0.1.dev4+g1a2b3c") == "0.1.dev4-g1a2b3c");
}
