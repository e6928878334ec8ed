// Publishing copies only what the build wrote: a link in the artifact folder (to /etc/shadow, say) is
// refused, a file not named as a wheel or sdist is refused, and every name in the index pages is text.

#include "stdlib/actions.hpp"
#include "tests/temp_folder.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

namespace fs = std::filesystem;
using chain::stdlib::perform_action;
using chain::stdlib::Step;
using chain::test::TempFolder;

namespace {

Step action(std::vector<std::string> args) {
    Step step;
    step.builtin = "publish";
    step.action = "publish";
    step.action_args = std::move(args);
    return step;
}

} // namespace

TEST_CASE("a wheel that is a symbolic link is refused and nothing is copied into the index") {
    TempFolder repo;
    repo.write("secret", "root:hash:19000::::::\n");
    repo.write("dist/good-1.0-py3-none-any.whl", "wheel");
    fs::create_symlink(repo.root / "secret", repo.root / "dist" / "evil-1.0-py3-none-any.whl");
    std::string error = perform_action(action({"pep503", "dist", "index", "report"}), repo.root);
    CHECK(error == "refusing to publish " + (repo.root / "dist" / "evil-1.0-py3-none-any.whl").string() +
                       ": it is a symbolic link, not a regular file");
    CHECK_FALSE(fs::exists(repo.root / "index" / "simple" / "evil"));
    CHECK_FALSE(fs::exists(repo.root / "index" / "simple" / "good"));
}

TEST_CASE("a file named as no wheel or sdist is refused, markup and all") {
    TempFolder repo;
    repo.write("dist/x<script>alert(1)<\\script>-1.0-py3-none-any.whl", "wheel");
    std::string error = perform_action(action({"pep503", "dist", "index", "report"}), repo.root);
    CHECK(error.starts_with("refusing to publish " + (repo.root / "dist").string() + "/x<script>"));
    CHECK(error.ends_with(": it is not named as a wheel (NAME-VERSION-PYTHON-ABI-PLATFORM.whl, PEP 427) or an "
                          "sdist (NAME-VERSION.tar.gz, PEP 625)"));
    CHECK_FALSE(fs::exists(repo.root / "index"));
}

TEST_CASE("wheels and sdists named by their rules are published, and the index pages escape every name") {
    TempFolder repo;
    repo.write("dist/acme_utils-1.0+local.1-py3-none-any.whl", "wheel");
    repo.write("dist/acme-utils-1.0.tar.gz", "sdist");
    // A project folder someone else put in the index: its name reaches the page only as text.
    fs::create_directories(repo.root / "index" / "simple" / "a\"><script>x");
    REQUIRE(perform_action(action({"pep503", "dist", "index", "report"}), repo.root).empty());
    CHECK(repo.read("index/simple/acme-utils/acme_utils-1.0+local.1-py3-none-any.whl") == "wheel");
    CHECK(repo.read("index/simple/acme-utils/acme-utils-1.0.tar.gz") == "sdist");
    std::string page = repo.read("index/simple/index.html");
    CHECK(page.find("<script>") == std::string::npos);
    CHECK(page.find("<a href=\"a&quot;&gt;&lt;script&gt;x/\">a&quot;&gt;&lt;script&gt;x</a>") != std::string::npos);
    CHECK(page.find("<a href=\"acme-utils/\">acme-utils</a>") != std::string::npos);
}

TEST_CASE("a package for an apt repository that is a symbolic link is refused") {
    TempFolder repo;
    repo.write("secret", "key");
    fs::create_directories(repo.root / "out");
    fs::create_symlink(repo.root / "secret", repo.root / "out" / "acme_1.0_amd64.deb");
    CHECK(perform_action(action({"regular-file", "out/acme_1.0_amd64.deb"}), repo.root) ==
          "refusing to publish out/acme_1.0_amd64.deb: it is a symbolic link, not a regular file");
    repo.write("out/real_1.0_amd64.deb", "deb");
    CHECK(perform_action(action({"regular-file", "out/real_1.0_amd64.deb"}), repo.root).empty());
}
