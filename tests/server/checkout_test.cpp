#include "server/checkout.hpp"

#include "../temp_folder.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>

using namespace chain::server;

namespace {

void git(const std::filesystem::path& folder, const std::string& arguments) {
    std::string command = "git -C '" + folder.string() + "' -c user.name=t -c user.email=t@example.invalid " +
                          "-c commit.gpgsign=false -c tag.gpgsign=false " + arguments + " >/dev/null 2>&1";
    REQUIRE(std::system(command.c_str()) == 0);
}

} // namespace

// The server fetches with the git command: its reason for a failed fetch is git's (or ssh's) first line.
TEST_CASE("A fetch over https or ssh from a refused connection is an error in git's words", "[server][checkout]") {
    chain::test::TempFolder folder;
    for (std::string url : {"https://127.0.0.1:1/acme/acme-utils.git", "ssh://git@127.0.0.1:1/acme/acme-utils.git"}) {
        INFO(url);
        std::string error = fetch_mirror(folder.root / "mirror.git", url);
        CHECK(error.starts_with("cannot fetch " + url + ": "));
        CHECK(error.find("127.0.0.1 port 1") != std::string::npos);
    }
}

TEST_CASE("A URL that reads as an option or as a command fetches nothing and runs nothing", "[server][checkout]") {
    chain::test::TempFolder folder;
    std::filesystem::path witness = folder.root / "ran";
    for (std::string url : {"--upload-pack=touch " + witness.string(), "ext::sh -c touch% " + witness.string(),
                            "-oProxyCommand=touch " + witness.string(),
                            "ssh://-oProxyCommand=touch%20" + witness.string() + "/repo.git"}) {
        INFO(url);
        std::string error = fetch_mirror(folder.root / "mirror.git", url);
        CHECK(error.starts_with("cannot fetch " + url + ": "));
        CHECK_FALSE(std::filesystem::exists(witness));
    }
}

TEST_CASE("A fetch brings every branch and tag into the mirror, and drops what the remote no longer has",
          "[server][checkout]") {
    chain::test::TempFolder folder;
    std::filesystem::path origin = folder.root / "origin";
    std::filesystem::create_directories(origin);
    git(origin, "init -q -b develop");
    folder.write("origin/file", "one\n");
    git(origin, "add -A");
    git(origin, "commit -q -m one");
    git(origin, "tag v1.0.0");
    git(origin, "branch release/1.0");
    std::filesystem::path mirror = folder.root / "mirrors" / "acme.git";

    REQUIRE(fetch_mirror(mirror, origin.string()) == "");
    std::string develop = commit_of_ref(mirror, "refs/heads/develop");
    CHECK(develop.size() == 40);
    CHECK(commit_of_ref(mirror, "refs/tags/v1.0.0") == develop);
    CHECK(commit_of_ref(mirror, "refs/heads/release/1.0") == develop);

    git(origin, "branch -D release/1.0");
    folder.write("origin/file", "two\n");
    git(origin, "commit -q -a -m two");
    REQUIRE(fetch_mirror(mirror, origin.string()) == "");
    CHECK(commit_of_ref(mirror, "refs/heads/release/1.0") == "");
    CHECK(commit_of_ref(mirror, "refs/heads/develop") != develop);

    std::filesystem::path work = folder.root / "work";
    CHECK(check_out(mirror, develop, work) == "");
    CHECK(folder.read("work/file") == "one\n");
}
