#include "server/checkout.hpp"

#include "../temp_folder.hpp"

#include <catch2/catch.hpp>

using namespace chain::server;

// libgit2's TLS and ssh start-up is deferred to the first fetch (interpreter/git_local_only.cpp): a fetch
// over either must find it started, and fail as a refused connection does, not on a half-started library.
TEST_CASE("A fetch over https or ssh starts libgit2's network first, and a refused connection is an error",
          "[server][checkout]") {
    chain::test::TempFolder folder;
    for (std::string url : {"https://127.0.0.1:1/acme/acme-utils.git", "ssh://git@127.0.0.1:1/acme/acme-utils.git"}) {
        INFO(url);
        std::string error = fetch_mirror(folder.root / "mirror.git", url);
        CHECK(error.starts_with("cannot fetch " + url + ": "));
    }
}
