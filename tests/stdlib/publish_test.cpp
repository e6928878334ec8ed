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
    CHECK(planned.steps[0].action_args == Argv{"pep503", "out/wheel", "../.index"});
}

TEST_CASE("publish of a deb goes to reprepro") {
    stdlib::Value apt = target(target_apt, "../.apt");
    apt.fields.emplace_back("dist", text("bookworm"));
    stdlib::Value deb = stdlib::artifact_at("out/deb", artifact_deb);
    deb.fields.emplace_back("file", text("out/deb/app_1.4.0~rc3.deb"));
    Planned planned = invoke("publish", {{"a", deb}, {"to", apt}});
    REQUIRE(planned.steps.size() == 2);
    CHECK(planned.steps[0].action_args == Argv{"reprepro-conf", "../.apt", "bookworm"});
    CHECK(planned.steps[1].argv == Argv{"reprepro", "-b", "../.apt", "includedeb", "bookworm", "out/deb/app_1.4.0~rc3.deb"});
}

TEST_CASE("publish of a wheel to an index URL uploads with twine") {
    stdlib::Value index = target(target_pypi, "https://pypi.acme.test/legacy/");
    index.fields.emplace_back("url", text("https://pypi.acme.test/legacy/"));
    Planned planned = invoke("publish", {{"a", stdlib::artifact_at("out/wheel", artifact_wheel)}, {"to", index}});
    REQUIRE(planned.steps.size() == 1);
    CHECK(planned.steps[0].argv == Argv{"python3", "-m", "twine", "upload", "--non-interactive", "--repository-url",
                                        "https://pypi.acme.test/legacy/", "out/wheel/*"});
}
