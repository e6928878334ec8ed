#include "server/pages.hpp"

#include "server/page_html.hpp"

#include <fmt/format.h>

namespace chain::pages {

namespace {

/// A URL as shown: a password or token in it (https://user:TOKEN@host/...) replaced by ***.
std::string shown_url(std::string_view url) {
    std::size_t scheme = url.find("://");
    if (scheme == std::string_view::npos) {
        return std::string(url);
    }
    std::size_t host = scheme + 3;
    std::size_t at = url.find('@', host);
    std::size_t path = url.find('/', host);
    if (at == std::string_view::npos || (path != std::string_view::npos && at > path)) {
        return std::string(url);
    }
    return fmt::format("{}***{}", url.substr(0, host), url.substr(at));
}

std::string ref_cell(const nlohmann::json& run, std::string_view ref) {
    std::string cell = escape(ref_name(ref));
    if (is_tag_ref(ref)) {
        cell += " <span class=\"tag\">tag</span>";
    }
    if (std::string message = json_text(run, "message"); !message.empty()) {
        cell +=
            fmt::format("<br><span class=\"muted\">{}</span>", escape(message.substr(0, message.find('\n'))));
    }
    return cell;
}

/// The time a run last changed: when it finished, started, or was queued.
std::string last_time(const nlohmann::json& run) {
    for (std::string_view key : {"finished_at", "started_at", "queued_at"}) {
        if (std::string time = json_text(run, key); !time.empty()) {
            return time_html(time);
        }
    }
    return "";
}

std::string repository_section(const nlohmann::json& repository) {
    std::string name = json_text(repository, "name");
    std::string html =
        fmt::format("<section class=\"repository\">\n<h2><a href=\"/repositories/{}\">{}</a></h2>\n",
                    url_segment(name), escape(name));
    if (std::string url = json_text(repository, "url"); !url.empty()) {
        html += fmt::format("<p class=\"muted mono\">{}</p>\n", escape(shown_url(url)));
    }
    const nlohmann::json* branches = repository.is_object() && repository.contains("branches") &&
                                             repository["branches"].is_array() &&
                                             !repository["branches"].empty()
                                         ? &repository["branches"]
                                         : nullptr;
    if (!branches) {
        return html + "<p class=\"muted\">No runs yet: push to the repository, or send its "
                      "webhook.</p>\n</section>\n";
    }
    html += "<table>\n<thead><tr><th>Branch or tag</th><th>Last run</th><th>Status</th><th>Commit</th>"
            "<th>Version</th><th>Pushed by</th><th>When</th><th "
            "class=\"num\">Duration</th><th>Badge</th></tr></thead>\n"
            "<tbody>\n";
    for (const nlohmann::json& branch : *branches) {
        std::string ref = json_text(branch, "ref");
        const nlohmann::json& run =
            branch.is_object() && branch.contains("last_run") ? branch["last_run"] : nlohmann::json();
        html +=
            fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
                        "<td class=\"num\">{}</td><td><a href=\"/badge/{}/{}.svg\">svg</a></td></tr>\n",
                        ref_cell(run, ref), run_link(run), run.is_object() ? run_status_label(run) : "",
                        commit_html(json_text(run, "commit")), escape(json_text(run, "version")),
                        escape(json_text(run, "pusher")), last_time(run),
                        escape(duration_text(json_number(run, "duration_seconds"))), url_segment(name),
                        url_segment(ref_name(ref)));
    }
    return html + "</tbody>\n</table>\n</section>\n";
}

} // namespace

std::string render_repositories(const nlohmann::json& repositories) {
    std::string body = "<h1>Repositories</h1>\n";
    if (!repositories.is_array() || repositories.empty()) {
        body += "<p>No repositories yet: list each under <code>[[repository]]</code> in the server's "
                "configuration.</p>\n";
    } else {
        for (const nlohmann::json& repository : repositories) {
            body += repository_section(repository);
        }
    }
    return document("Repositories", "", body);
}

std::string render_repository(std::string_view name, const nlohmann::json& runs) {
    std::string body = fmt::format("<h1>{}</h1>\n", escape(name));
    std::string rows;
    if (runs.is_array()) {
        for (const nlohmann::json& run : runs) {
            if (json_text(run, "repository") != name) {
                continue;
            }
            std::string ref = json_text(run, "ref");
            rows += fmt::format(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td>"
                "<td>{}</td><td>{}</td><td>{}</td></tr>\n",
                run_link(run), ref_cell(run, ref), commit_html(json_text(run, "commit")),
                escape(json_text(run, "version")), run_status_label(run),
                escape(duration_text(json_number(run, "duration_seconds"))), escape(json_text(run, "pusher")),
                time_html(json_text(run, "queued_at")),
                run.contains("upstream") ? run_link(run["upstream"]) : "");
        }
    }
    if (rows.empty()) {
        body += "<p class=\"muted\">No runs yet: push to the repository, or send its webhook.</p>\n";
    } else {
        body +=
            "<table>\n<thead><tr><th>Run</th><th>Branch or "
            "tag</th><th>Commit</th><th>Version</th><th>Status</th>"
            "<th class=\"num\">Duration</th><th>Pushed by</th><th>Queued</th><th>Upstream</th></tr></thead>\n"
            "<tbody>\n" +
            rows + "</tbody>\n</table>\n";
    }
    std::string crumbs =
        fmt::format("<a class=\"crumb\" href=\"/repositories/{}\">{}</a>", url_segment(name), escape(name));
    return document(name, crumbs, body);
}

std::string render_message(std::string_view title, std::string_view message) {
    return document(title, "", fmt::format("<h1>{}</h1>\n<p>{}</p>\n", escape(title), escape(message)));
}

std::string log_name(std::string_view step_log) {
    // [.chain/]runs/RUN-ID/logs/REST, as chain run writes it: a run id has no '/'.
    std::string_view path = step_log.starts_with(".chain/") ? step_log.substr(7) : step_log;
    if (path.starts_with("runs/")) {
        std::size_t slash = path.find('/', 5);
        if (slash != std::string_view::npos && path.substr(slash + 1).starts_with("logs/")) {
            return std::string(path.substr(slash + 1 + 5));
        }
    }
    return std::string(step_log);
}

} // namespace chain::pages
