#include "invoke.hpp"

using namespace chain;
using namespace chain::test;

TEST_CASE("deploy blue/green to a folder: install beside, check health in the release, then switch") {
    stdlib::Value local;
    local.kind = stdlib::Value::Kind::target;
    local.target_kind = target_local;
    local.text = "/srv/app";
    Planned planned = invoke("deploy", {{"a", stdlib::artifact_at("out/deb", artifact_deb)},
                                        {"to", local},
                                        {"strategy", text("blue_green")},
                                        {"health", text("bin/app --check")}});
    REQUIRE(planned.steps.size() == 3);
    CHECK(planned.steps[1].argv == Argv{"sh", "-c", "bin/app --check"});
    CHECK(planned.steps[1].workdir == "/srv/app/releases/1.4.0rc3");
    CHECK(planned.steps[1].env ==
          std::vector<std::pair<std::string, std::string>>{{"CHAIN_RELEASE", "/srv/app/releases/1.4.0rc3"}});
    CHECK(planned.steps[2].action ==
          "switch /srv/app/current to releases/1.4.0rc3 atomically, keeping the previous release");
}

TEST_CASE("deploy to hosts goes over ssh, host by host") {
    stdlib::Value hosts;
    hosts.kind = stdlib::Value::Kind::target;
    hosts.target_kind = target_hosts;
    hosts.text = "/srv";
    hosts.fields.emplace_back("names", texts({"web1", "web2"}));
    hosts.fields.emplace_back("user", text("deploy"));
    Planned planned = invoke("deploy", {{"a", stdlib::artifact_at("out/deb", artifact_deb)}, {"to", hosts}});
    REQUIRE(planned.steps.size() == 4);
    CHECK(planned.steps[1].argv ==
          Argv{"ssh", "deploy@web1", "ln -sfn releases/1.4.0rc3 /srv/current.new && mv -T /srv/current.new /srv/current"});
    CHECK(planned.steps[3].argv[1] == "deploy@web2");
}
