#include "invoke.hpp"

using namespace chain;
using namespace chain::test;
using chain::stdlib::joined;

TEST_CASE("virtualenv creates the venv, installs the requirements and the project from the index") {
    stdlib::Value index = target(target_pypi, "https://pypi.example/simple");
    index.fields.emplace_back("url", text("https://pypi.example/simple"));
    Planned planned = invoke("virtualenv", {{"path", text("/opt/app")}, {"requirements", text("requirements.txt")},
                                            {"index", index}},
                             "out");
    REQUIRE(planned.steps.size() == 6);
    CHECK(planned.steps[0].argv == Argv{"python3", "-m", "venv", "--clear", ".chain/scratch/build/venv"});
    Argv pip{".chain/scratch/build/venv/bin/python", "-m", "pip", "install", "--no-build-isolation",
             "--index-url", "https://pypi.example/simple"};
    CHECK(planned.steps[1].argv == joined(pip, {"--find-links", "/usr/share/python-wheels", "wheel"}));
    CHECK(planned.steps[2].argv == joined(pip, {"-r", "requirements.txt"}));
    CHECK(planned.steps[3].argv == joined(pip, {"."}));
    CHECK(planned.steps[3].env == std::vector<std::pair<std::string, std::string>>{{"CHAIN_VERSION", "1.4.0rc3"}});
    CHECK(planned.steps[4].action_args == Argv{"collect", ".chain/scratch/build/venv", "out", "inside"});
    CHECK(planned.steps[5].action_args == Argv{"relocate", "out", "/opt/app"});
    CHECK(text_of(*planned.value.field("path")) == "/opt/app");
}

TEST_CASE("virtualenv reads a folder index as a path") {
    stdlib::Value index = target(target_pypi, "../.index");
    Planned planned = invoke("virtualenv", {{"path", text("/opt/app")}, {"index", index}}, "out");
    REQUIRE(planned.steps.size() == 5);
    CHECK(planned.steps[2].argv == Argv{".chain/scratch/build/venv/bin/python", "-m", "pip", "install",
                                        "--no-build-isolation", "--index-url", "../.index/simple", "."});
}
