#include "invoke.hpp"

using namespace chain;
using namespace chain::test;

TEST_CASE("publish of a wheel to a folder index is chain's own copy into the PEP 503 layout") {
    Planned planned = invoke("publish", {{"a", stdlib::artifact_at("out/wheel", artifact_wheel)},
                                         {"to", target(target_pypi, "../.index")}});
    REQUIRE(planned.steps.size() == 1);
    CHECK(planned.steps[0].argv.empty());
    CHECK(planned.steps[0].action == "copy each wheel and sdist of out/wheel into the PEP 503 index ../.index/simple "
                                     "and rewrite its index pages");
    CHECK(planned.steps[0].action_args == Argv{"pep503", "out/wheel", "../.index", ".chain/scratch/build/published.txt"});
}

TEST_CASE("publish of a deb goes to reprepro") {
    stdlib::Value apt = target(target_apt, "../.apt");
    apt.fields.emplace_back("dist", text("bookworm"));
    stdlib::Value deb = stdlib::artifact_at("out/deb", artifact_deb);
    deb.fields.emplace_back("file", text("out/deb/app_1.4.0~rc3.deb"));
    Planned planned = invoke("publish", {{"a", deb}, {"to", apt}});
    REQUIRE(planned.steps.size() == 3);
    CHECK(planned.steps[0].action_args == Argv{"reprepro-conf", "../.apt", "bookworm"});
    CHECK(planned.steps[1].action_args == Argv{"regular-file", "out/deb/app_1.4.0~rc3.deb"});
    CHECK(planned.steps[2].argv == Argv{"reprepro", "-b", "../.apt", "includedeb", "bookworm", "out/deb/app_1.4.0~rc3.deb"});
}

TEST_CASE("publish of a wheel to an index URL uploads with twine") {
    stdlib::Value index = target(target_pypi, "https://pypi.acme.test/legacy/");
    index.fields.emplace_back("url", text("https://pypi.acme.test/legacy/"));
    Planned planned = invoke("publish", {{"a", stdlib::artifact_at("out/wheel", artifact_wheel)}, {"to", index}});
    REQUIRE(planned.steps.size() == 1);
    CHECK(planned.steps[0].argv == Argv{"python3", "-m", "twine", "upload", "--non-interactive", "--repository-url",
                                        "https://pypi.acme.test/legacy/", "out/wheel/*"});
}

TEST_CASE("publish of an image loads its archive and pushes it, tagged with its version, reporting the digest") {
    stdlib::Value registry = target(target_registry, "127.0.0.1:5000/acme");
    registry.fields.emplace_back("insecure", stdlib::Value::of_bool(true));
    stdlib::Value image = stdlib::artifact_at("out/img", artifact_image);
    image.fields.emplace_back("file", text("out/img/image.tar"));
    image.fields.emplace_back("image", text("localhost/app:1.4.0-local.7"));
    image.fields.emplace_back("name", text("app"));
    image.fields.emplace_back("version", text("1.4.0+local.7"));
    Planned planned = invoke("publish", {{"a", image}, {"to", registry}});
    REQUIRE(planned.steps.size() == 2);
    CHECK(planned.steps[0].argv ==
          Argv{"podman", "--storage-driver", "vfs", "load", "--quiet", "--input", "out/img/image.tar"});
    CHECK(planned.steps[1].argv == Argv{"podman", "--storage-driver", "vfs", "push", "--tls-verify=false",
                                        "--digestfile", ".chain/scratch/build/pushed-digest",
                                        "localhost/app:1.4.0-local.7", "docker://127.0.0.1:5000/acme/app:1.4.0-local.7"});
    CHECK(planned.steps[1].report_format == "digest");
}
