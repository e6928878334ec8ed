#include "invoke.hpp"
#include "stdlib/remote_deploy.hpp"
#include "stdlib/sha256.hpp"
#include "stdlib/ssh.hpp"

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

TEST_CASE("deploy to hosts is one step, chain deploy-hosts, with the key in its environment only") {
    stdlib::Value hosts = target(target_hosts, "/srv/app");
    hosts.fields.emplace_back("names", texts({"web1", "deploy@web2:2222"}));
    hosts.fields.emplace_back("key", text("-----BEGIN OPENSSH PRIVATE KEY-----"));
    hosts.fields.emplace_back("known_hosts", text("ci/known_hosts"));
    hosts.fields.emplace_back("user", text("deploy"));
    stdlib::Value deb = stdlib::artifact_at("out/deb", artifact_deb);
    deb.fields.emplace_back("file", text("out/deb/app_1.4.0~rc3.deb"));
    Planned planned = invoke("deploy", {{"a", deb}, {"to", hosts}, {"strategy", text("rolling")},
                                        {"health", text("bin/app --check")}, {"batch", stdlib::Value::of_int(2)}});
    REQUIRE(planned.steps.size() == 1);
    const stdlib::Step& step = planned.steps[0];
    CHECK(step.argv == Argv{"chain", "deploy-hosts", "--dir", "/srv/app", "--release", "1.4.0rc3", "--kind", "deb",
                            "--artifact", "out/deb/app_1.4.0~rc3.deb", "--strategy", "rolling", "--batch", "2",
                            "--known-hosts", "ci/known_hosts", "--connect-timeout", "10", "--user", "deploy",
                            "--health", "bin/app --check", "--report", step.report_path, "--",
                            "web1", "deploy@web2:2222"});
    CHECK(step.env == std::vector<std::pair<std::string, std::string>>{{"CHAIN_SSH_KEY", "-----BEGIN OPENSSH PRIVATE KEY-----"}});
    CHECK(step.report_format == "text");
    std::string error;
    std::optional<stdlib::ReleaseTarget> read = stdlib::parse_deploy_hosts_args({step.argv.begin() + 2, step.argv.end()}, error);
    REQUIRE(read);
    CHECK(read->hosts == Argv{"web1", "deploy@web2:2222"});
    CHECK(read->batch == 2);
    CHECK(read->health == "bin/app --check");
}

TEST_CASE("a host name that ssh could read as an option, or a shell as code, is refused when planned") {
    for (std::string name : {"-oProxyCommand=touch /tmp/pwned", "web1 -p 22", "web1;reboot", "$(reboot)", "web1:0",
                             "web1:99999", "a@b@c", "[::1", "-l@web1", "web1:22:33"}) {
        CAPTURE(name);
        CHECK_FALSE(stdlib::host_name_problem(name).empty());
        stdlib::Value hosts = target(target_hosts, "/srv/app");
        hosts.fields.emplace_back("names", texts({"web1", name}));
        hosts.fields.emplace_back("key", text("k"));
        hosts.fields.emplace_back("known_hosts", text("ci/known_hosts"));
        Planned planned = invoke("deploy", {{"a", stdlib::artifact_at("out/site", artifact_dir)}, {"to", hosts}});
        REQUIRE(planned.steps.size() == 1);
        CHECK(planned.steps[0].action_args[0] == "refuse");
    }
    for (std::string name : {"web1", "web1.example.com:22", "deploy@web2", "deploy_1@10.0.0.7:2222", "[::1]:2222",
                             "[fe80::1]"}) {
        CAPTURE(name);
        CHECK(stdlib::host_name_problem(name).empty());
    }
    stdlib::HostAddress address = stdlib::parse_host("[::1]:2222", "deploy");
    CHECK(address.user == "deploy");
    CHECK(address.host == "::1");
    CHECK(address.port == 2222);
    CHECK(address.text() == "deploy@[::1]:2222");
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
