#pragma once
// `chain serve`: the state folder, the queue, the worker pool and the HTTP server put together.

#include "config.hpp"
#include "database.hpp"
#include "routes.hpp"
#include "runs.hpp"

#include <functional>
#include <string>

namespace chain::server {

/// What routes beside the API's are given: the configuration, the runs, and the pool that queues them.
struct ServerParts {
    const ServerConfig& config;
    RunDatabase& database;
    RunPool& pool;
};

/// Serves until SIGTERM or SIGINT: then stops accepting, stops the running runs within the grace period
/// and returns 0; 2 when the state folder or the address cannot be used (the reason printed).
/// `chain_program`: this chain, which runs each run. `add_pages`: the HTML routes (server/pages.hpp), added
/// to the same table after the API's.
int serve(const ServerConfig& config, const std::string& chain_program,
          const std::function<void(Router&, const ServerParts&)>& add_pages = {});

} // namespace chain::server
