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
