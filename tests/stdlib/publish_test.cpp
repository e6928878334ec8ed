#include "invoke.hpp"

using namespace chain;
using namespace chain::test;

namespace {
stdlib::Value target(std::uint8_t kind, std::string location) {
    stdlib::Value value;
    value.kind = stdlib::Value::Kind::target;
    value.target_kind = kind;
    value.text = std::move(location);
    return value;
}
} // namespace

TEST_CASE("publish of a wheel to a folder index is chain's own copy into the PEP 503 layout") {
    Planned planned = invoke("publish", {{"a", stdlib::artifact_at("out/wheel", artifact_wheel)},
                                         {"to", target(target_pypi, "../.index")}});
    REQUIRE(planned.steps.size() == 1);
    CHECK(planned.steps[0].argv.empty());
    CHECK(planned.steps[0].action ==
          "copy each file of out/wheel into the PEP 503 index ../.index/simple and rewrite its index pages");
}

TEST_CASE("publish of a deb goes to reprepro") {
    stdlib::Value apt = target(target_apt, "../.apt");
    apt.fields.emplace_back("dist", text("bookworm"));
    Planned planned = invoke("publish", {{"a", stdlib::artifact_at("out/deb", artifact_deb)}, {"to", apt}});
    CHECK(planned.steps[0].action == "include each .deb of out/deb with reprepro -b ../.apt includedeb bookworm FILE");
}
