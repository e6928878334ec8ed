#pragma once
// What the server answers: the webhooks, the JSON API and the trigger requests of runs, as one route table.
// The HTML pages (server/pages.hpp) add their routes to the same table.

#include "config.hpp"
#include "database.hpp"
#include "routes.hpp"
#include "runs.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace chain::server {

/// A run as the API shows it: id, repository, ref, commit, status, version, pusher, times, upstream and
/// downstream run ids.
nlohmann::json run_json(const RunRow& run, RunDatabase& database);

/// The run record chain run wrote (the live one while it runs); null while queued or when there is none.
nlohmann::json run_record(const ServerConfig& config, const RunRow& run);

/// GET /api/repositories: each configured repository with the last run of each of its branches and tags.
nlohmann::json repositories_json(const ServerConfig& config, RunDatabase& database);

/// GET /api/runs: the runs (of `repository`, or all when empty), newest first.
nlohmann::json runs_json(RunDatabase& database, const std::string& repository);

/// GET /api/runs/ID: run_json with the run record (`record`) and the names of its logs (`logs`).
nlohmann::json run_details_json(const ServerConfig& config, RunDatabase& database, const RunRow& run);

/// What a log of the run holds so far (`chain.log`, or a step's log by its name under the run's `logs/`),
/// with the server's secrets masked; nothing when there is no such log.
std::optional<std::string> read_log(const ServerConfig& config, const RunRow& run, const std::string& name);

/// Adds the webhooks (`POST /hooks/{github,gitlab,gitea}`), the JSON API (`/api/...`) and the trigger
/// endpoint of running runs (`POST /internal/runs/ID/trigger`) to `router`.
void add_api_routes(Router& router, const ServerConfig& config, RunDatabase& database, RunPool& pool);

} // namespace chain::server
