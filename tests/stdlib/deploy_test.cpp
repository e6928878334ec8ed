#include "invoke.hpp"
#include "stdlib/sha256.hpp"

using namespace chain;
using namespace chain::test;

TEST_CASE("deploy blue/green to a folder: install beside, check health in the release, then switch") {
    stdlib::Value local = target(target_local, "/srv/app");
    stdlib::Value deb = stdlib::artifact_at("out/deb", artifact_deb);
    deb.fields.emplace_back("file", text("out/deb/app_1.4.0~rc3.deb"));
    Planned planned = invoke("deploy", {{"a", deb}, {"to", local}, {"strategy", text("blue_green")},
                                        {"health", text("bin/app --check")}});
    REQUIRE(planned.steps.size() == 4);
    CHECK(planned.steps[0].action_args == Argv{"fresh-dir", "/srv/app/releases/1.4.0rc3"});
    CHECK(planned.steps[1].argv ==
          Argv{"dpkg-deb", "--extract", "out/deb/app_1.4.0~rc3.deb", "/srv/app/releases/1.4.0rc3"});
    CHECK(planned.steps[2].argv == Argv{"sh", "-c", "bin/app --check"});
    CHECK(planned.steps[2].workdir == "/srv/app/releases/1.4.0rc3");
    CHECK(planned.steps[2].env ==
          std::vector<std::pair<std::string, std::string>>{{"CHAIN_RELEASE", "/srv/app/releases/1.4.0rc3"}});
    CHECK(planned.steps[3].action_args == Argv{"switch", "/srv/app", "1.4.0rc3", "blue_green"});
}

TEST_CASE("deploy of a folder copies it into the release") {
    stdlib::Value local = target(target_local, "../.deploy");
    Planned planned = invoke("deploy", {{"a", stdlib::artifact_at("out/site", artifact_dir)}, {"to", local}});
    REQUIRE(planned.steps.size() == 3);
    CHECK(planned.steps[1].action_args == Argv{"copy-tree", "out/site", "../.deploy/releases/1.4.0rc3"});
    CHECK(planned.steps[2].action_args == Argv{"switch", "../.deploy", "1.4.0rc3", "direct"});
}

TEST_CASE("deploy to hosts goes over ssh, host by host") {
    stdlib::Value hosts = target(target_hosts, "/srv");
    hosts.fields.emplace_back("names", texts({"web1", "web2"}));
    hosts.fields.emplace_back("user", text("deploy"));
    Planned planned = invoke("deploy", {{"a", stdlib::artifact_at("out/deb", artifact_deb)}, {"to", hosts}});
    REQUIRE(planned.steps.size() == 4);
    CHECK(planned.steps[1].argv ==
          Argv{"ssh", "deploy@web1", "ln -sfn releases/1.4.0rc3 /srv/current.new && mv -T /srv/current.new /srv/current"});
    CHECK(planned.steps[3].argv[1] == "deploy@web2");
}

TEST_CASE("a release is named by the version given, or by the package's own") {
    stdlib::Value local = target(target_local, "/srv/app");
    Planned given = invoke("deploy", {{"a", stdlib::artifact_at("out/site", artifact_dir)},
                                      {"to", local},
                                      {"version", text("2.0.0")}});
    CHECK(given.steps[0].action_args == Argv{"fresh-dir", "/srv/app/releases/2.0.0"});
    stdlib::Value deb = stdlib::artifact_at("out/deb", artifact_deb);
    deb.fields.emplace_back("file", text("out/deb/app_1.9.0.deb"));
    deb.fields.emplace_back("version", text("1.9.0"));
    Planned packaged = invoke("deploy", {{"a", deb}, {"to", local}});
    CHECK(packaged.steps.back().action_args == Argv{"switch", "/srv/app", "1.9.0", "direct"});
}

TEST_CASE("deploy of an image: health in a container of it first, then it runs beside the live one, then the switch") {
    stdlib::Value local = target(target_local, "/srv/app");
    stdlib::Value image = stdlib::artifact_at("out/img", artifact_image);
    image.fields.emplace_back("file", text("out/img/image.tar"));
    image.fields.emplace_back("image", text("localhost/app:1.4.0rc3"));
    image.fields.emplace_back("name", text("app"));
    image.fields.emplace_back("version", text("1.4.0rc3"));
    Planned planned = invoke("deploy", {{"a", image}, {"to", local}, {"strategy", text("blue_green")},
                                        {"health", text("/opt/app/bin/app --check")}});
    std::string container = "app-1.4.0rc3-" + sha256_hex("/srv/app").substr(0, 8);
    REQUIRE(planned.steps.size() == 6);
    CHECK(planned.steps[0].action_args == Argv{"fresh-dir", "/srv/app/releases/1.4.0rc3"});
    CHECK(planned.steps[1].argv ==
          Argv{"podman", "--storage-driver", "vfs", "load", "--quiet", "--input", "out/img/image.tar"});
    CHECK(planned.steps[2].argv == Argv{"podman", "--storage-driver", "vfs", "run", "--rm", "--entrypoint", "/bin/sh",
                                        "localhost/app:1.4.0rc3", "-c", "/opt/app/bin/app --check"});
    CHECK(planned.steps[3].argv == Argv{"podman", "--storage-driver", "vfs", "run", "--detach", "--replace", "--name",
                                        container, "localhost/app:1.4.0rc3"});
    CHECK(planned.steps[4].action_args ==
          Argv{"image-release", "/srv/app/releases/1.4.0rc3", "localhost/app:1.4.0rc3", container});
    CHECK(planned.steps[5].action_args == Argv{"switch", "/srv/app", "1.4.0rc3", "blue_green"});
    Planned staging = invoke("deploy", {{"a", image}, {"to", target(target_local, "/srv/staging")}});
    CHECK(staging.steps[2].argv[7] != container); // another target folder, another container
}
