#include "invoke.hpp"

using namespace chain;
using namespace chain::test;

TEST_CASE("trigger runs the downstream pipeline on the same ref, with the artifacts in its environment") {
    stdlib::Value with;
    with.kind = stdlib::Value::Kind::record;
    with.fields.emplace_back("acme-utils", stdlib::artifact_at(".chain/out/build/wheel", artifact_wheel));
    Planned planned = invoke("trigger", {{"repo", text("../acme-web")}, {"with", with}});
    REQUIRE(planned.steps.size() == 1);
    CHECK(planned.steps[0].argv == Argv{"chain", "run", "--branch", "release/1.4", "--record-copy",
                                        ".chain/scratch/build/downstream-run.json", "../acme-web/pipeline.chain"});
    CHECK(planned.steps[0].report_format == "chain-run");
    CHECK(planned.steps[0].report_path == ".chain/scratch/build/downstream-run.json");
    CHECK(planned.steps[0].env ==
          std::vector<std::pair<std::string, std::string>>{{"CHAIN_UPSTREAM_acme-utils", ".chain/out/build/wheel"}});
}

TEST_CASE("trigger publishes the wheels and sdists it passes to the index first") {
    stdlib::Value with;
    with.kind = stdlib::Value::Kind::record;
    with.fields.emplace_back("acme-utils", stdlib::artifact_at(".chain/out/build/wheel", artifact_wheel));
    with.fields.emplace_back("notes", text("not an artifact"));
    stdlib::Value index = target(target_pypi, "../.index");
    Planned planned = invoke("trigger", {{"repo", text("../acme-web")}, {"with", with}, {"index", index}});
    REQUIRE(planned.steps.size() == 2);
    CHECK(planned.steps[0].action_args == Argv{"pep503", ".chain/out/build/wheel", "../.index",
                                                 ".chain/scratch/build/published-1.txt"});
    CHECK(planned.steps[1].argv[1] == "run");
}
