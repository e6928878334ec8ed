#include "server.hpp"

#include "api.hpp"
#include "database.hpp"
#include "http.hpp"
#include "runs.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <memory>

namespace chain::server {

namespace fs = std::filesystem;

namespace {

/// One server per state folder: `STATE/server.lock`, held with flock while it serves.
bool lock_state(const fs::path& state) {
    int fd = ::open((state / "server.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    return fd >= 0 && ::flock(fd, LOCK_EX | LOCK_NB) == 0; // held until the process ends
}

} // namespace

int serve(const ServerConfig& config, const std::string& chain_program,
          const std::function<void(Router&, const ServerParts&)>& add_pages) {
    std::error_code error;
    fs::create_directories(config.state / "runs", error);
    if (error) {
        fmt::print(stderr, "chain serve: error: cannot make the state folder {}: {}\n", config.state.string(),
                   error.message());
        return 2;
    }
    if (!lock_state(config.state)) {
        fmt::print(stderr, "chain serve: error: another chain serve uses the state folder {}\n",
                   config.state.string());
        return 2;
    }
    std::unique_ptr<RunDatabase> database;
    try {
        database = std::make_unique<RunDatabase>(config.state / "runs.sqlite");
    } catch (const std::exception& failure) {
        fmt::print(stderr, "chain serve: error: cannot open {}: {}\n",
                   (config.state / "runs.sqlite").string(), failure.what());
        return 2;
    }
    RunPool pool(config, *database, chain_program);
    Router router;
    add_api_routes(router, config, *database, pool);
    if (add_pages) {
        add_pages(router, ServerParts{config, *database, pool});
    }
    HttpSettings settings;
    settings.host = config.host;
    settings.port = config.port;
    settings.timeout = std::chrono::seconds(config.request_timeout);
    std::unique_ptr<HttpServer> http;
    try {
        http = std::make_unique<HttpServer>(settings, router);
    } catch (const std::exception& failure) {
        fmt::print(stderr, "chain serve: error: {}\n", failure.what());
        return 2;
    }
    // Runs reach the server on loopback whatever address it listens on.
    std::string host = config.host == "0.0.0.0" ? "127.0.0.1" : config.host == "::" ? "[::1]" : config.host;
    if (host.find(':') != std::string::npos && host.front() != '[') {
        host = "[" + host + "]";
    }
    std::string url = fmt::format("http://{}:{}", host, http->port());
    pool.start(url);
    std::size_t count = config.repositories.size();
    fmt::print("chain serve: listening on {} ({} {}, {} {} at once, state in {})\n", url, count,
               count == 1 ? "repository" : "repositories", config.jobs, config.jobs == 1 ? "run" : "runs",
               config.state.string());
    std::fflush(stdout);
    http->serve_until_signal();
    fmt::print("chain serve: stopping: no new runs; running runs get {} seconds to stop\n",
               config.grace_seconds);
    std::fflush(stdout);
    pool.stop(std::chrono::seconds(config.grace_seconds));
    http->stop();
    fmt::print("chain serve: stopped\n");
    return 0;
}

} // namespace chain::server
