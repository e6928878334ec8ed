#include "server/config.hpp"

#include "../temp_folder.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>

using namespace chain::server;

TEST_CASE("The configuration's keys, defaults and paths", "[server][config]") {
    chain::test::TempFolder folder;
    setenv("CHAIN_TEST_TOKEN", "the-token", 1);
    setenv("CHAIN_TEST_SECRET", "the-secret", 1);
    folder.write("chain-server.toml",
                 "listen = \"0.0.0.0:9000\"\nstate = \"var/state\"\njobs = 3\n"
                 "token_env = \"CHAIN_TEST_TOKEN\"\nkeep_runs = 5\n\n"
                 "[[repository]]\nname = \"acme-utils\"\nurl = \"repos/acme-utils.git\"\n"
                 "secret_env = \"CHAIN_TEST_SECRET\"\n");
    std::vector<std::string> errors;
    std::optional<ServerConfig> config = load_config(folder.root / "chain-server.toml", errors);
    REQUIRE(errors.empty());
    REQUIRE(config);
    CHECK(config->host == "0.0.0.0");
    CHECK(config->port == 9000);
    CHECK(config->state == folder.root / "var/state");
    CHECK(config->jobs == 3);
    CHECK(config->keep_runs == 5);
    CHECK(config->token == "the-token");
    REQUIRE(config->repositories.size() == 1);
    CHECK(config->repositories[0].url == (folder.root / "repos/acme-utils.git").string());
    CHECK(config->repositories[0].secret == "the-secret");

    folder.write("small.toml", "");
    config = load_config(folder.root / "small.toml", errors);
    REQUIRE(config);
    CHECK(config->host == "127.0.0.1");
    CHECK(config->port == 8080);
    CHECK(config->state == folder.root / "chain-server");
    CHECK(config->jobs == 1);
    CHECK(config->keep_runs == 200);
}

TEST_CASE("Each mistake in the configuration is an error at its line", "[server][config]") {
    chain::test::TempFolder folder;
    setenv("CHAIN_TEST_SECRET", "the-secret", 1);
    unsetenv("CHAIN_TEST_UNSET");
    folder.write("bad.toml",
                 "listen = \"localhost\"\njobs = 0\nport = 80\n\n"
                 "[[repository]]\nname = \"a\"\nurl = \"/a.git\"\nsecret_env = \"CHAIN_TEST_SECRET\"\n\n"
                 "[[repository]]\nname = \"a\"\nurl = \"/b.git\"\nsecret_env = \"CHAIN_TEST_UNSET\"\n");
    std::vector<std::string> errors;
    CHECK_FALSE(load_config(folder.root / "bad.toml", errors));
    std::string file = (folder.root / "bad.toml").string();
    CHECK(errors ==
          std::vector<std::string>{
              file + ":3: error: unknown key 'port' at the top; the keys are grace_seconds, jobs, keep_runs, "
                     "listen, repository, request_timeout, state, token_env",
              file + ":1: error: listen = \"localhost\" is not HOST:PORT (such as 127.0.0.1:8080)",
              file + ":2: error: 'jobs' must be a whole number from 1 to 1000000",
              file + ":11: error: repository 'a' is listed twice",
              file + ":13: error: the webhook secret variable CHAIN_TEST_UNSET is not set: set it in the "
                     "server's environment"});

    folder.write("broken.toml", "listen = \"127.0.0.1:8080\"\n[[repository]\n");
    errors.clear();
    CHECK_FALSE(load_config(folder.root / "broken.toml", errors));
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].rfind((folder.root / "broken.toml").string() + ":2: error: ", 0) == 0);
}

TEST_CASE("The server listens on an IP address, not a host name", "[server][config]") {
    chain::test::TempFolder folder;
    folder.write("name.toml", "\n listen = \"localhost:8080\"\n");
    std::vector<std::string> errors;
    CHECK_FALSE(load_config(folder.root / "name.toml", errors));
    CHECK(errors ==
          std::vector<std::string>{(folder.root / "name.toml").string() +
                                   ":2: error: listen = \"localhost:8080\": the host must be an IP address "
                                   "(127.0.0.1, 0.0.0.0, [::1])"});
    errors.clear();
    folder.write("v6.toml", "listen = \"[::1]:8080\"\n");
    std::optional<ServerConfig> config = load_config(folder.root / "v6.toml", errors);
    REQUIRE(config);
    CHECK(config->host == "::1");
}
