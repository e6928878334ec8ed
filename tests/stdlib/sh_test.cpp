#include "invoke.hpp"

using namespace chain;
using namespace chain::test;

TEST_CASE("sh with a list runs that argv, with no shell") {
    Planned planned = invoke("sh", {{"cmd", texts({"make", "-j", "feature/$(rm -rf ~)"})}});
    REQUIRE(planned.steps.size() == 1);
    CHECK(planned.steps[0].argv == Argv{"make", "-j", "feature/$(rm -rf ~)"});
}

TEST_CASE("sh with a string runs sh -c, interpolated values quoted as single words") {
    stdlib::Value cmd = text("echo hello");
    cmd.shell = "echo " + stdlib::shell_quote("it's $(danger)");
    Planned planned = invoke("sh", {{"cmd", cmd}});
    REQUIRE(planned.steps.size() == 1);
    CHECK(planned.steps[0].argv == Argv{"sh", "-c", "echo 'it'\\''s $(danger)'"});
}
