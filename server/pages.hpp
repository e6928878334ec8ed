#pragma once

// The web pages of chain serve: pure functions from the JSON values the API serves (/api/repositories,
// /api/runs, /api/runs/ID) to complete HTML documents and SVG images, so a page can never show what the
// API does not say. Everything that comes from a repository is escaped here; the server masks secrets
// before anything reaches these functions.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace chain::pages {

/// `/`: each repository (GET /api/repositories) with the status of each branch's and tag's last run.
std::string render_repositories(const nlohmann::json& repositories);

/// `/repositories/NAME`: the repository's runs, newest first, as GET /api/runs lists them.
std::string render_repository(std::string_view name, const nlohmann::json& runs);

/// The part of one log the run page shows: `text` begins at byte `start` of the log, and the page asks
/// the server for what follows it (`/api/runs/ID/log/NAME?offset=START+SIZE`).
struct LogExcerpt {
    std::string text;
    std::uint64_t start = 0;
};

/// The most of a log a run page holds; the server reads a longer log from this far before its end.
inline constexpr std::uint64_t log_excerpt_bytes = 256 * 1024;

/// The name under /api/runs/ID/log/ of a step's "log" in run.json: the log's path inside the run's logs
/// folder (.chain/runs/RUN-ID/logs/INSTANCE/N-BUILTIN.log -> INSTANCE/N-BUILTIN.log).
std::string log_name(std::string_view step_log);

/// `/runs/ID`: GET /api/runs/ID (the run, its record, its log names); `linked` the run objects of its
/// upstream and downstream runs, and of the runs it approves or is approved by, for their repository and
/// status (a run missing there is shown by id); `logs` what each log holds so far, by log name (a log missing
/// there is shown empty and linked).
std::string render_run(const nlohmann::json& run, const nlohmann::json& linked = nlohmann::json::array(),
                       const std::map<std::string, LogExcerpt>& logs = {});

/// `/badge/REPO/BRANCH.svg`: a status badge in the look of shields.io, `label | status`.
std::string render_badge(std::string_view label, std::string_view status);

/// A page with a title and one sentence (a run or repository that does not exist, say).
std::string render_message(std::string_view title, std::string_view message);

/// The Content-Security-Policy header to send with every page (the pages carry it as a meta element too).
std::string content_security_policy();

} // namespace chain::pages
