#include "server/checkout.hpp"

#include "../temp_folder.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <string>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

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

// The kernel takes the connection into the backlog of a socket that listens and never accepts: git's request
// then waits for an answer that never comes.
TEST_CASE("A fetch from a remote that never answers is stopped at its time limit", "[server][checkout]") {
    int listener = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(listener >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    REQUIRE(::listen(listener, 4) == 0);
    socklen_t length = sizeof address;
    REQUIRE(::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) == 0);
    std::string url = "http://127.0.0.1:" + std::to_string(ntohs(address.sin_port)) + "/acme.git";

    chain::test::TempFolder folder;
    std::string error = fetch_mirror(folder.root / "mirror.git", url, std::chrono::seconds(1));
    ::close(listener);
    CHECK(error == "cannot fetch " + url + ": no answer within 1 s; git was stopped");
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

    std::filesystem::path work = folder.root / "checkout";
    CHECK(check_out(mirror, develop, work) == "");
    CHECK(folder.read("checkout/file") == "one\n");
}
