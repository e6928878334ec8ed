#include "invoke.hpp"

#include "stdlib/trigger.hpp"

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

TEST_CASE("trigger's ref names the downstream's branch, or its tag as refs/tags/NAME") {
    CHECK(stdlib::downstream_ref("", false, "release/1.4") == "refs/heads/release/1.4");
    CHECK(stdlib::downstream_ref("", true, "v1.0.0") == "refs/tags/v1.0.0");
    CHECK(stdlib::downstream_ref("develop", true, "v1.0.0") == "refs/heads/develop");
    CHECK(stdlib::downstream_ref("refs/tags/v2.0.0", false, "develop") == "refs/tags/v2.0.0");

    Planned branch = invoke("trigger", {{"repo", text("../acme-web")}, {"ref", text("develop")}});
    REQUIRE(branch.steps.size() == 1);
    CHECK(branch.steps[0].argv == Argv{"chain", "run", "--branch", "develop", "--record-copy",
                                       ".chain/scratch/build/downstream-run.json", "../acme-web/pipeline.chain"});
    Planned tag = invoke("trigger", {{"repo", text("../acme-web")}, {"ref", text("refs/tags/v2.0.0")}});
    CHECK(tag.steps[0].argv[2] == "--tag");
    CHECK(tag.steps[0].argv[3] == "v2.0.0");
}

TEST_CASE("a ref that git would refuse, or a command read as an option, is refused before anything runs") {
    for (const char* ref : {"develop", "release/1.4", "refs/heads/feature/x-y", "refs/tags/v1.0.0", "topic/@x", "a.b"}) {
        CHECK(stdlib::downstream_ref_problem(ref) == "");
    }
    using Case = std::pair<std::string, std::string>;
    for (const auto& [ref, reason] : std::vector<Case>{
             {"--upload-pack=/tmp/x", "a part of it starts with '-' (a command would read it as an option)"},
             {"refs/heads/-x", "a part of it starts with '-' (a command would read it as an option)"},
             {"topic/-x", "a part of it starts with '-' (a command would read it as an option)"},
             {"..", "it has '..'"},
             {"refs/heads/../x", "it has '..'"},
             {"a b", "it has a space"},
             {"x\x01y", "it has a control character"},
             {"x\x7f", "it has a control character"},
             {"x\ny", "it has a control character"},
             {"a~1", "it has '~', which git does not allow in a ref"},
             {"a:b", "it has ':', which git does not allow in a ref"},
             {"a\\b", "it has '\\', which git does not allow in a ref"},
             {"x@{1}", "it has '@{' or is '@'"},
             {"@", "it has '@{' or is '@'"},
             {"/x", "it has an empty part (a '/' at either end, or '//')"},
             {"x//y", "it has an empty part (a '/' at either end, or '//')"},
             {"refs/heads/", "it is empty"},
             {"x.", "it ends with '.'"},
             {".hidden/x", "a part of it starts with '.'"},
             {"x.lock", "a part of it ends with '.lock'"},
             {"refs/remotes/origin/x", "a full ref is refs/heads/NAME or refs/tags/NAME"},
         }) {
        INFO(ref);
        CHECK(stdlib::downstream_ref_problem(ref).ends_with("cannot name a branch or tag: " + reason));
    }
    // Control characters are shown escaped, never written to a terminal as they are.
    CHECK(stdlib::downstream_ref_problem("x\x1b[31m") == "'x\\x1b[31m' cannot name a branch or tag: it has a control character");

    Planned planned = invoke("trigger", {{"repo", text("../acme-web")}, {"ref", text("--upload-pack=/tmp/x")}});
    REQUIRE(planned.steps.size() == 1);
    CHECK(planned.steps[0].argv.empty());
    CHECK(planned.steps[0].action_args ==
          Argv{"refuse", "trigger's ref '--upload-pack=/tmp/x' cannot name a branch or tag: a part of it starts with "
                         "'-' (a command would read it as an option)"});
}
