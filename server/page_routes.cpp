#include "page_routes.hpp"

#include "api.hpp"
#include "pages.hpp"

#include <charconv>
#include <fmt/format.h>

namespace chain::server {

namespace {

std::optional<std::int64_t> parse_run_id(const std::string& text) {
    std::int64_t id = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (error != std::errc() || end != text.data() + text.size() || id <= 0) {
        return std::nullopt;
    }
    return id;
}

/// The end of a long log: its last `log_excerpt_bytes`, from the first whole line in them (or the first
/// whole UTF-8 character of a line longer than that); the page asks for the rest from `start + text.size()`.
pages::LogExcerpt excerpt(std::string text) {
    if (text.size() <= pages::log_excerpt_bytes) {
        return {std::move(text), 0};
    }
    std::size_t start = text.size() - pages::log_excerpt_bytes;
    if (std::size_t line = text.find('\n', start - 1); line != std::string::npos && line + 1 < text.size()) {
        start = line + 1;
    } else {
        while (start < text.size() && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) {
            ++start;
        }
    }
    return {text.substr(start), start};
}

/// The run objects of the runs linked to `run`: its upstream, its downstream runs, the run it approves and
/// the runs that approve it.
nlohmann::json linked_runs(const nlohmann::json& run, RunDatabase& database) {
    std::vector<std::int64_t> ids;
    for (const char* one : {"upstream", "approves"}) {
        if (run[one].is_number_integer()) {
            ids.push_back(run[one].get<std::int64_t>());
        }
    }
    for (const char* many : {"downstream", "approved_by"}) {
        for (const nlohmann::json& id : run[many]) {
            if (id.is_number_integer()) {
                ids.push_back(id.get<std::int64_t>());
            }
        }
    }
    nlohmann::json linked = nlohmann::json::array();
    for (std::int64_t id : ids) {
        if (std::optional<RunRow> other = database.get(id)) {
            linked.push_back(run_json(*other, database));
        }
    }
    return linked;
}

std::string badge_status(RunDatabase& database, const std::string& repository, const std::string& branch) {
    std::vector<RunRow> last = database.last_run_per_branch(repository);
    for (const char* prefix : {"refs/heads/", "refs/tags/"}) {
        for (const RunRow& run : last) {
            if (run.ref == prefix + branch) {
                return run.status;
            }
        }
    }
    return "no runs";
}

} // namespace

Response html_response(int status, std::string body) {
    Response response;
    response.status = status;
    response.content_type = "text/html; charset=utf-8";
    response.body = std::move(body);
    response.headers.emplace_back("Content-Security-Policy", pages::content_security_policy());
    // A run page shows a run that changes; a reload must show it as it is now.
    response.headers.emplace_back("Cache-Control", "no-store");
    return response;
}

void add_page_routes(Router& router, const ServerParts& parts) {
    const ServerConfig& config = parts.config;
    RunDatabase& database = parts.database;

    router.add("GET", "/", [&](const Request&, const RouteParams&) {
        return html_response(200, pages::render_repositories(repositories_json(config, database)));
    });

    router.add("GET", "/repositories/{name}", [&](const Request&, const RouteParams& params) {
        const std::string& name = params.at("name");
        if (!config.repository(name)) {
            return html_response(
                404, pages::render_message("No such repository",
                                           fmt::format("{} is not a repository of this server; the list is "
                                                       "on the first page.",
                                                       name)));
        }
        return html_response(200, pages::render_repository(name, runs_json(database, name)));
    });

    router.add("GET", "/runs/{id}", [&](const Request&, const RouteParams& params) {
        std::optional<std::int64_t> id = parse_run_id(params.at("id"));
        std::optional<RunRow> run = id ? database.get(*id) : std::nullopt;
        if (!run) {
            return html_response(
                404, pages::render_message("No such run", fmt::format("This server has no run {}; its runs "
                                                                      "are listed on each repository's page.",
                                                                      params.at("id"))));
        }
        nlohmann::json details = run_details_json(config, database, *run);
        std::map<std::string, pages::LogExcerpt> logs;
        for (const nlohmann::json& name : details["logs"]) {
            if (std::optional<std::string> text = read_log(config, *run, name.get<std::string>())) {
                logs[name.get<std::string>()] = excerpt(std::move(*text));
            }
        }
        return html_response(200, pages::render_run(details, linked_runs(details, database), logs));
    });

    router.add("GET", "/badge/{repository}/{*}", [&](const Request&, const RouteParams& params) {
        const std::string& repository = params.at("repository");
        std::string branch = params.at("*");
        Response response;
        response.content_type = "image/svg+xml";
        // READMEs on other hosts show the badge through caching proxies: each view must ask again.
        response.headers.emplace_back("Cache-Control", "no-cache");
        if (branch.size() <= 4 || !branch.ends_with(".svg")) {
            return error_response(404, "a badge is /badge/REPOSITORY/BRANCH.svg (a / in BRANCH written %2F)");
        }
        branch.resize(branch.size() - 4);
        if (!config.repository(repository)) {
            response.status = 404;
            response.body = pages::render_badge(repository, "no such repository");
            return response;
        }
        response.body = pages::render_badge(fmt::format("{} {}", repository, branch),
                                            badge_status(database, repository, branch));
        return response;
    });
}

} // namespace chain::server
