#include "invoke.hpp"

#include "stdlib/actions.hpp"

#include <filesystem>
#include <fstream>

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
    CHECK(file.steps[0].action_args == std::vector<std::string>{"collect", "dist/app.tar.gz", "out/bundle", "inside"});
    CHECK(file.value.text == "out/bundle/app.tar.gz");
}

TEST_CASE("the collect action copies a file, or a folder's contents, into the artifact folder") {
    char pattern[] = "/tmp/chain-collect-XXXXXX";
    std::filesystem::path root = mkdtemp(pattern);
    std::filesystem::create_directories(root / "dist/sub");
    std::ofstream(root / "dist/app.tar.gz") << "tar";
    std::ofstream(root / "dist/sub/x") << "x";
    CHECK(stdlib::perform_action(invoke("file", {{"path", text("dist/app.tar.gz")}}, "out/file").steps.at(0), root).empty());
    CHECK(std::filesystem::exists(root / "out/file/app.tar.gz"));
    CHECK(stdlib::perform_action(invoke("dir", {{"path", text("dist")}}, "out/dir").steps.at(0), root).empty());
    CHECK(std::filesystem::exists(root / "out/dir/sub/x"));
    CHECK(stdlib::perform_action(invoke("file", {{"path", text("missing")}}, "out/m").steps.at(0), root) ==
          (root / "missing").string() + " does not exist: the steps before did not make it");
    CHECK(stdlib::perform_action(stdlib::action("publish", "copy into an index"), root) ==
          "chain cannot perform this step yet: copy into an index");
    std::filesystem::remove_all(root);
}
