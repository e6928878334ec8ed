#pragma once
// What the server answers: the webhooks, the JSON API and the trigger requests of runs, as one route table.
// The HTML pages (server/pages.hpp) add their routes to the same table.

#include "config.hpp"
#include "database.hpp"
#include "routes.hpp"
#include "runs.hpp"

#include <nlohmann/json.hpp>

namespace chain::server {

/// A run as the API shows it: id, repository, ref, commit, status, version, pusher, times, upstream and
/// downstream run ids.
nlohmann::json run_json(const RunRow& run, RunDatabase& database);

/// The run record chain run wrote (the live one while it runs); null while queued or when there is none.
nlohmann::json run_record(const ServerConfig& config, const RunRow& run);

/// Adds the webhooks (`POST /hooks/{github,gitlab,gitea}`), the JSON API (`/api/...`) and the trigger
/// endpoint of running runs (`POST /internal/runs/ID/trigger`) to `router`.
void add_api_routes(Router& router, const ServerConfig& config, RunDatabase& database, RunPool& pool);

} // namespace chain::server
