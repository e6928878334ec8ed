#pragma once
// `chain serve`: the state folder, the queue, the worker pool and the HTTP server put together.

#include "config.hpp"
#include "routes.hpp"

#include <functional>
#include <string>

namespace chain::server {

/// Serves until SIGTERM or SIGINT: then stops accepting, stops the running runs within the grace period
/// and returns 0; 2 when the state folder or the address cannot be used (the reason printed).
/// `chain_program`: this chain, which runs each run. `add_pages`: the HTML routes, added after the API's.
int serve(const ServerConfig& config, const std::string& chain_program,
          const std::function<void(Router&)>& add_pages = {});

} // namespace chain::server
