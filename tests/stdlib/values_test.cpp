#include "invoke.hpp"

using namespace chain;
using namespace chain::test;

TEST_CASE("value builtins make values and no steps") {
    CHECK(invoke("version", {}).value.text == "1.4.0rc3");
    CHECK(invoke("ref", {}).value.text == "release/1.4");
    Planned apt = invoke("apt", {{"location", text("../.apt")}, {"dist", text("trixie")}});
    CHECK(apt.steps.empty());
    CHECK(apt.value.target_kind == target_apt);
    CHECK(text_of(*apt.value.field("dist")) == "trixie");
    CHECK(invoke("pypi", {{"location", text("https://pypi.example/simple")}}).value.field("url") != nullptr);
    CHECK(invoke("pypi", {{"location", text("../.index")}}).value.field("url") == nullptr);
}

TEST_CASE("file and dir take what the steps made into the artifact folder") {
    Planned file = invoke("file", {{"path", text("dist/app.tar.gz")}}, "out/bundle");
    REQUIRE(file.steps.size() == 1);
    CHECK(file.steps[0].action == "take dist/app.tar.gz into out/bundle");
    CHECK(file.steps[0].action_args == std::vector<std::string>{"collect", "dist/app.tar.gz", "out/bundle"});
    CHECK(file.value.text == "out/bundle/app.tar.gz");
}
