#include "invoke.hpp"

using namespace chain;
using namespace chain::test;

TEST_CASE("virtualenv creates the venv, installs the requirements and the project from the index") {
    stdlib::Value index;
    index.kind = stdlib::Value::Kind::target;
    index.target_kind = target_pypi;
    index.text = "https://pypi.example/simple";
    index.fields.emplace_back("url", text("https://pypi.example/simple"));
    Planned planned = invoke("virtualenv", {{"path", text("/opt/app")}, {"requirements", text("requirements.txt")},
                                            {"index", index}},
                             "out");
    REQUIRE(planned.steps.size() == 4);
    CHECK(planned.steps[0].argv == Argv{"python3", "-m", "venv", "/opt/app"});
    CHECK(planned.steps[1].argv == Argv{"/opt/app/bin/pip", "install", "--index-url", "https://pypi.example/simple",
                                        "-r", "requirements.txt"});
    CHECK(planned.steps[2].argv ==
          Argv{"/opt/app/bin/pip", "install", "--index-url", "https://pypi.example/simple", "."});
    CHECK(planned.steps[3].argv.empty());
    CHECK(text_of(*planned.value.field("path")) == "/opt/app");
}
