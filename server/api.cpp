#include "api.hpp"

#include "hmac.hpp"
#include "page_routes.hpp"
#include "pages.hpp"
#include "webhook.hpp"

#include "interpreter/secrets.hpp"
#include "stdlib/trigger.hpp"

#include <charconv>
#include <fmt/format.h>
#include <fstream>
#include <sstream>

namespace chain::server {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t listed_runs = 1000;

nlohmann::json optional_json(const auto& value) {
    return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

std::string read_text(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

/// `relative` inside `root` (both as written, and with the symbolic links of what exists followed); nothing
/// when it would leave it. Every file the API serves is found through this.
std::optional<fs::path> inside(const fs::path& root, const std::string& relative) {
    std::error_code error;
    fs::path base = fs::weakly_canonical(root, error);
    if (error || relative.empty() || fs::path(relative).is_absolute()) {
        return std::nullopt;
    }
    fs::path joined = (root / relative).lexically_normal();
    fs::path resolved = fs::weakly_canonical(joined, error);
    if (error) {
        return std::nullopt;
    }
    auto [end, unused] = std::mismatch(base.begin(), base.end(), resolved.begin(), resolved.end());
    if (end != base.end()) {
        return std::nullopt;
    }
    return resolved;
}

std::optional<std::int64_t> run_id(const RouteParams& params) {
    const std::string& text = params.at("id");
    std::int64_t id = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (error != std::errc() || end != text.data() + text.size() || id <= 0) {
        return std::nullopt;
    }
    return id;
}

/// The token from `Authorization: Bearer TOKEN` or the `chain_token` cookie, compared in constant time; a
/// server without a token refuses everyone.
bool authorised(const Request& request, const ServerConfig& config) {
    if (config.token.empty()) {
        return false;
    }
    std::string given;
    if (auto found = request.headers.find("authorization");
        found != request.headers.end() && found->second.rfind("Bearer ", 0) == 0) {
        given = found->second.substr(7);
    } else if (auto cookies = request.headers.find("cookie"); cookies != request.headers.end()) {
        std::string_view rest = cookies->second;
        while (!rest.empty()) {
            std::size_t semicolon = rest.find(';');
            std::string_view cookie = rest.substr(0, semicolon);
            rest = semicolon == std::string_view::npos ? std::string_view() : rest.substr(semicolon + 1);
            cookie.remove_prefix(std::min(cookie.find_first_not_of(' '), cookie.size()));
            if (cookie.rfind("chain_token=", 0) == 0) {
                given = std::string(cookie.substr(12));
            }
        }
    }
    return !given.empty() && equal_in_constant_time(given, config.token);
}

/// The log files of a run: chain.log (what chain run printed), then each step's log by its path under the
/// run's `logs/` folder.
std::vector<std::string> log_names(const ServerConfig& config, const RunRow& run) {
    std::vector<std::string> names;
    std::error_code error;
    if (fs::is_regular_file(run_files(config, run.id) / "chain.log", error)) {
        names.push_back("chain.log");
    }
    fs::path folder = chain_run_folder(run);
    if (folder.empty()) {
        return names;
    }
    std::vector<std::string> steps;
    for (auto it = fs::recursive_directory_iterator(folder / "logs", error);
         !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
        if (it->is_regular_file(error)) {
            steps.push_back(it->path().lexically_relative(folder / "logs").generic_string());
        }
    }
    std::sort(steps.begin(), steps.end());
    names.insert(names.end(), steps.begin(), steps.end());
    return names;
}

/// A form of a run page, or any request that asks for HTML: a person in a browser.
bool from_browser(const Request& request) {
    auto header = [&](const char* name) {
        auto found = request.headers.find(name);
        return found == request.headers.end() ? std::string() : found->second;
    };
    return header("content-type").rfind("application/x-www-form-urlencoded", 0) == 0 ||
           header("accept").find("text/html") != std::string::npos;
}

/// A browser is answered by the page of the run it queued; a script gets the run's id as JSON.
Response queued_answer(const Request& request, std::int64_t queued) {
    if (from_browser(request)) {
        Response response;
        response.status = 303;
        response.content_type = "text/plain; charset=utf-8";
        response.headers.emplace_back("Location", fmt::format("/runs/{}", queued));
        response.body = fmt::format("queued as run {}\n", queued);
        return response;
    }
    return json_response(202, nlohmann::json{{"run", queued}});
}

/// Without the token: 403, as a page for a browser.
Response refused(const Request& request, const std::string& message) {
    if (from_browser(request)) {
        return html_response(403, pages::render_message("Not allowed", message));
    }
    return error_response(403, message);
}

/// A new run of the same commit and ref; a run that was triggered keeps its upstream (and what the upstream
/// gave it), so that it runs in the same chain's folder and shows linked.
NewRun again(const RunRow& run, std::string pusher) {
    return NewRun{run.repository,
                  run.ref,
                  run.commit,
                  std::move(pusher),
                  run.approved,
                  run.upstream,
                  run.upstream ? run.upstream_env : std::vector<std::pair<std::string, std::string>>{},
                  std::nullopt};
}

} // namespace

nlohmann::json run_json(const RunRow& run, RunDatabase& database) {
    return nlohmann::json{{"id", run.id},
                          {"repository", run.repository},
                          {"ref", run.ref},
                          {"commit", run.commit},
                          {"status", run.status},
                          {"version", optional_json(run.version)},
                          {"pusher", run.pusher},
                          {"queued_at", run.queued_at},
                          {"started_at", optional_json(run.started_at)},
                          {"finished_at", optional_json(run.finished_at)},
                          {"duration_seconds", optional_json(run.duration_seconds)},
                          {"upstream", optional_json(run.upstream)},
                          {"downstream", database.downstream_of(run.id)},
                          {"approves", optional_json(run.approves)},
                          {"approved_by", database.approvals_of(run.id)}};
}

nlohmann::json run_record(const ServerConfig& config, const RunRow& run) {
    std::error_code error;
    fs::path record = run_files(config, run.id) / "run.json";
    if (!fs::is_regular_file(record, error)) {
        fs::path folder = chain_run_folder(run);
        if (folder.empty()) {
            return nullptr;
        }
        record = folder / "run.json";
    }
    nlohmann::ordered_json document = nlohmann::ordered_json::parse(read_text(record), nullptr, false);
    if (document.is_discarded()) {
        return nullptr;
    }
    // chain run masked the pipeline's secrets; the server's own (its token, the webhook secrets) too.
    mask_json_values(document, config.secrets());
    return nlohmann::json::parse(
        document.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
}

nlohmann::json repositories_json(const ServerConfig& config, RunDatabase& database) {
    nlohmann::json repositories = nlohmann::json::array();
    for (const RepositoryConfig& repository : config.repositories) {
        nlohmann::json branches = nlohmann::json::array();
        for (const RunRow& run : database.last_run_per_branch(repository.name)) {
            branches.push_back({{"ref", run.ref}, {"last_run", run_json(run, database)}});
        }
        repositories.push_back({{"name", repository.name}, {"url", repository.url}, {"branches", branches}});
    }
    return repositories;
}

nlohmann::json runs_json(RunDatabase& database, const std::string& repository) {
    nlohmann::json runs = nlohmann::json::array();
    for (const RunRow& run : database.list(repository, listed_runs)) {
        runs.push_back(run_json(run, database));
    }
    return runs;
}

nlohmann::json run_details_json(const ServerConfig& config, RunDatabase& database, const RunRow& run) {
    nlohmann::json body = run_json(run, database);
    body["record"] = run_record(config, run);
    body["logs"] = log_names(config, run);
    return body;
}

std::optional<std::string> read_log(const ServerConfig& config, const RunRow& run, const std::string& name) {
    std::optional<fs::path> file;
    if (name == "chain.log") {
        file = run_files(config, run.id) / "chain.log";
    } else if (fs::path folder = chain_run_folder(run); !folder.empty()) {
        file = inside(folder / "logs", name);
    }
    std::error_code error;
    if (!file || !fs::is_regular_file(*file, error)) {
        return std::nullopt;
    }
    // chain run masked the pipeline's secrets; the server's own never reach a page either.
    return SecretMasker(config.secrets()).mask(read_text(*file));
}

void add_api_routes(Router& router, const ServerConfig& config, RunDatabase& database, RunPool& pool) {
    router.add("POST", "/hooks/{host}", [&](const Request& request, const RouteParams& params) {
        const std::string& host = params.at("host");
        if (host != "github" && host != "gitlab" && host != "gitea") {
            return error_response(404, "webhooks are /hooks/github, /hooks/gitlab and /hooks/gitea");
        }
        WebhookResult result = read_webhook(host, request.headers, request.body, config);
        if (!result.push) {
            return json_response(result.status, result.status < 300
                                                    ? nlohmann::json{{"message", result.message}}
                                                    : nlohmann::json{{"error", result.message}});
        }
        const PushEvent& push = *result.push;
        std::int64_t id = pool.queue(
            NewRun{push.repository, push.ref, push.commit, push.pusher, {}, std::nullopt, {}, std::nullopt});
        return json_response(202, nlohmann::json{{"message", "queued"}, {"run", id}});
    });

    router.add("GET", "/api/runs", [&](const Request& request, const RouteParams&) {
        auto repository = request.query.find("repository");
        return json_response(
            200, runs_json(database, repository == request.query.end() ? "" : repository->second));
    });

    router.add("GET", "/api/runs/{id}", [&](const Request&, const RouteParams& params) {
        std::optional<std::int64_t> id = run_id(params);
        std::optional<RunRow> run = id ? database.get(*id) : std::nullopt;
        if (!run) {
            return error_response(404, "no such run");
        }
        return json_response(200, run_details_json(config, database, *run));
    });

    router.add("GET", "/api/runs/{id}/log/{*}", [&](const Request& request, const RouteParams& params) {
        std::optional<std::int64_t> id = run_id(params);
        std::optional<RunRow> run = id ? database.get(*id) : std::nullopt;
        if (!run) {
            return error_response(404, "no such run");
        }
        std::optional<std::string> log = read_log(config, *run, params.at("*"));
        if (!log) {
            return error_response(404, "no such log");
        }
        const std::string& text = *log;
        Response response;
        response.content_type = "text/plain; charset=utf-8";
        // A page following a growing log asks for what came after what it has: `?offset=N` (bytes).
        std::size_t offset = 0;
        if (auto given = request.query.find("offset"); given != request.query.end()) {
            const std::string& digits = given->second;
            auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), offset);
            if (error != std::errc() || end != digits.data() + digits.size()) {
                return error_response(400, "offset must be a number of bytes");
            }
        }
        response.headers.emplace_back("X-Log-Length", std::to_string(text.size()));
        response.body = offset < text.size() ? text.substr(offset) : "";
        return response;
    });

    router.add("GET", "/api/runs/{id}/artifacts/{*}", [&](const Request&, const RouteParams& params) {
        std::optional<std::int64_t> id = run_id(params);
        std::optional<RunRow> run = id ? database.get(*id) : std::nullopt;
        if (!run || run->work_dir.empty()) {
            return error_response(404, "no such run, or it has not started");
        }
        // Paths as the run record gives them (`.chain/out/build/wheel/...`), within the run's `.chain/`: the
        // artifacts' links lead into its store.
        std::optional<fs::path> file =
            inside(fs::path(run->work_dir) / ".chain",
                   params.at("*").rfind(".chain/", 0) == 0 ? params.at("*").substr(7) : params.at("*"));
        std::error_code error;
        if (!file) {
            return error_response(404, "no such artifact");
        }
        if (fs::is_directory(*file, error)) {
            nlohmann::json files = nlohmann::json::array();
            for (auto it = fs::recursive_directory_iterator(*file, error);
                 !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
                if (it->is_regular_file(error)) {
                    files.push_back(it->path().lexically_relative(*file).generic_string());
                }
            }
            std::sort(files.begin(), files.end());
            return json_response(200, nlohmann::json{{"files", files}});
        }
        if (!fs::is_regular_file(*file, error)) {
            return error_response(404, "no such artifact");
        }
        Response response;
        response.content_type = "application/octet-stream";
        response.file = *file;
        response.headers.emplace_back("Content-Disposition",
                                      fmt::format("attachment; filename=\"{}\"", file->filename().string()));
        return response;
    });

    router.add("GET", "/api/repositories", [&](const Request&, const RouteParams&) {
        return json_response(200, repositories_json(config, database));
    });

    router.add("POST", "/api/runs/{id}/rerun", [&](const Request& request, const RouteParams& params) {
        if (!authorised(request, config)) {
            return refused(request, "re-running needs the server's token (Authorization: Bearer, or the "
                                    "chain_token cookie: type it once into the run page's Token field)");
        }
        std::optional<std::int64_t> id = run_id(params);
        std::optional<RunRow> run = id ? database.get(*id) : std::nullopt;
        if (!run) {
            return error_response(404, "no such run");
        }
        std::int64_t queued = pool.queue(again(*run, fmt::format("re-run of run {}", run->id)));
        return queued_answer(request, queued);
    });

    router.add(
        "POST", "/api/runs/{id}/approve/{stage}", [&](const Request& request, const RouteParams& params) {
            if (!authorised(request, config)) {
                return refused(request, "approving needs the server's token (Authorization: Bearer, or the "
                                        "chain_token cookie: type it once into the run page's Token field)");
            }
            std::optional<std::int64_t> id = run_id(params);
            std::optional<RunRow> run = id ? database.get(*id) : std::nullopt;
            if (!run) {
                return error_response(404, "no such run");
            }
            const std::string& stage = params.at("stage");
            nlohmann::json record = run_record(config, *run);
            bool known = false;
            if (record.is_object()) {
                for (const auto& entry : record.value("stages", nlohmann::json::array())) {
                    known = known || entry.value("stage", "") == stage;
                }
            }
            if (!known) {
                return error_response(404, fmt::format("run {} has no stage '{}'", run->id, stage));
            }
            NewRun approved = again(*run, fmt::format("approval of {} in run {}", stage, run->id));
            approved.approves = run->id;
            if (std::find(approved.approved.begin(), approved.approved.end(), stage) ==
                approved.approved.end()) {
                approved.approved.push_back(stage);
            }
            std::int64_t queued = pool.queue(approved);
            return queued_answer(request, queued);
        });

    router.add("POST", "/internal/runs/{id}/trigger", [&](const Request& request, const RouteParams& params) {
        std::optional<std::int64_t> id = run_id(params);
        std::optional<RunRow> run = id ? database.get(*id) : std::nullopt;
        auto token = request.headers.find("x-chain-run-token");
        if (!run || run->status != "running" || run->trigger_token.empty() ||
            token == request.headers.end() || !equal_in_constant_time(token->second, run->trigger_token)) {
            return error_response(403, "only a running run of this server may trigger");
        }
        nlohmann::json body = nlohmann::json::parse(request.body, nullptr, false);
        if (!body.is_object() || !body.contains("repository") || !body["repository"].is_string() ||
            !body.contains("ref") || !body["ref"].is_string()) {
            return error_response(400, "a trigger needs \"repository\" and \"ref\"");
        }
        std::string repository = body["repository"].get<std::string>();
        std::string ref = body["ref"].get<std::string>();
        // Checked before anything is fetched: the ref reaches git (libgit2) and the downstream's chain run.
        if (ref.rfind("refs/heads/", 0) != 0 && ref.rfind("refs/tags/", 0) != 0) {
            return error_response(400, "the ref must be refs/heads/... or refs/tags/...");
        }
        if (std::string problem = stdlib::downstream_ref_problem(ref); !problem.empty()) {
            return error_response(400, "the ref " + problem);
        }
        // `trigger("../acme-web")`: the folder's name is the repository's, as beside each other on disk.
        while (repository.size() > 1 && repository.back() == '/') {
            repository.pop_back();
        }
        if (!config.repository(repository) && repository.find('/') != std::string::npos) {
            repository = repository.substr(repository.find_last_of('/') + 1);
        }
        // The artifacts of `with:` reach the downstream's steps as they do under chain run:
        // CHAIN_UPSTREAM_<name>.
        std::vector<std::pair<std::string, std::string>> upstream_env;
        if (body.contains("env") && body["env"].is_object()) {
            for (const auto& [name, value] : body["env"].items()) {
                if (name.rfind("CHAIN_UPSTREAM_", 0) == 0 && value.is_string()) {
                    upstream_env.emplace_back(name, value.get<std::string>());
                }
            }
        }
        TriggerResult result = pool.trigger(*run, repository, ref, std::move(upstream_env));
        if (result.id == 0) {
            return error_response(result.status, result.error);
        }
        return json_response(202, nlohmann::json{{"run", result.id}});
    });
}

} // namespace chain::server
