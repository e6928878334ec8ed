#pragma once
// chain-server.toml: where the server listens, where it keeps its state, and the repositories it builds.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace chain::server {

/// One `[[repository]]`: a name the webhooks and `trigger` use, what git fetches, and its webhook secret.
struct RepositoryConfig {
    std::string name;
    std::string url;
    std::string secret_env;
    std::string secret; // the value of secret_env
};

/// The whole file, with defaults for what it leaves out and paths made absolute.
struct ServerConfig {
    std::filesystem::path file;
    std::string host = "127.0.0.1";
    std::uint16_t port = 8080;
    std::filesystem::path state;   // absolute
    unsigned jobs = 1;             // runs at once
    std::string token_env;         // empty: re-run and approve are refused to everyone
    std::string token;             // the value of token_env
    unsigned keep_runs = 200;      // finished runs kept per repository
    unsigned request_timeout = 10; // seconds a client may take to send a request
    unsigned grace_seconds = 30;   // after SIGTERM, how long running runs get to stop
    std::vector<RepositoryConfig> repositories;

    const RepositoryConfig* repository(std::string_view name) const;
    /// The values a log or page must never show: the token and every webhook secret.
    std::vector<std::string> secrets() const;
};

/// Reads and validates the file: `FILE:LINE: error: ...` lines in `errors` for each problem (bad TOML, an
/// unknown key, a wrong type, a repository listed twice, a secret variable that is not set).
std::optional<ServerConfig> load_config(const std::filesystem::path& file, std::vector<std::string>& errors);

} // namespace chain::server
