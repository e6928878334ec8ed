#include "server/page_graph.hpp"
#include "server/page_html.hpp"
#include "server/pages.hpp"

#include <fmt/format.h>

#include <set>

namespace chain::pages {

namespace {

const nlohmann::json null_json;

const nlohmann::json& member(const nlohmann::json& object, std::string_view key) {
    if (!object.is_object()) {
        return null_json;
    }
    auto found = object.find(key);
    return found == object.end() ? null_json : *found;
}

/// An argv as a person would type it in a shell: words with anything but plain characters single-quoted.
std::string shell_words(const nlohmann::json& argv) {
    std::string line;
    for (const nlohmann::json& word_json : argv) {
        std::string word = word_json.is_string() ? word_json.get<std::string>() : word_json.dump();
        bool plain =
            !word.empty() && word.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                                    "0123456789_@%+=:,./-") == std::string::npos;
        if (!line.empty()) {
            line += ' ';
        }
        if (plain) {
            line += word;
            continue;
        }
        line += '\'';
        for (char c : word) {
            line += c == '\'' ? std::string("'\\''") : std::string(1, c);
        }
        line += '\'';
    }
    return line;
}

/// A log as shown: without the terminal's colour codes (ESC [ ... letter), which read as noise in a page.
std::string without_terminal_codes(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\x1b' && i + 1 < text.size() && text[i + 1] == '[') {
            std::size_t end = i + 2;
            while (end < text.size() && !(text[end] >= '@' && text[end] <= '~')) {
                ++end;
            }
            i = end;
            continue;
        }
        out += text[i];
    }
    return out;
}

/// A stage instance's status as a person reads it: a manual stage that waits is `manual`, a failure that
/// allow_failure forgives is `failed (allowed)`.
std::string stage_status(const nlohmann::json& stage) {
    std::string status = json_text(stage, "status");
    if (status == "skipped" && json_text(stage, "reason").starts_with("manual:")) {
        return "manual";
    }
    if (status == "failed" && member(stage, "allowed") == true) {
        return "failed (allowed)";
    }
    return status;
}

std::string ms_text(const nlohmann::json& object) {
    double ms = json_number(object, "duration_ms");
    return ms < 0 ? "" : duration_text(ms / 1000);
}

/// How long a stage instance ran; nothing for one that did not run.
std::string ran_for(const nlohmann::json& stage) {
    std::string status = json_text(stage, "status");
    bool ran = status != "skipped" && status != "not-run" && status != "up-to-date";
    return ran ? ms_text(stage) : "";
}

struct RunView {
    long long id;
    bool live;
    const std::map<std::string, LogExcerpt>& logs;
    std::set<std::string> shown_logs; ///< logs shown under their step
};

std::string log_html(RunView& view, const std::string& name) {
    view.shown_logs.insert(name);
    std::string raw_link = fmt::format("/api/runs/{}/log/{}", view.id, url_path(name));
    auto found = view.logs.find(name);
    LogExcerpt excerpt = found == view.logs.end() ? LogExcerpt{} : found->second;
    std::uint64_t end = excerpt.start + excerpt.text.size();
    if (excerpt.text.size() > log_excerpt_bytes) {
        // The end of a long log, from a line's beginning.
        std::size_t cut = excerpt.text.size() - log_excerpt_bytes;
        std::size_t line = excerpt.text.find('\n', cut);
        cut = line == std::string::npos ? cut : line + 1;
        excerpt.start += cut;
        excerpt.text.erase(0, cut);
    }
    std::string note = excerpt.start > 0 ? fmt::format("<p class=\"muted\">The first {} bytes are not shown: "
                                                       "<a href=\"{}\">open the whole log</a>.</p>",
                                                       excerpt.start, raw_link)
                                         : fmt::format("<a class=\"muted\" href=\"{}\">raw</a>", raw_link);
    return fmt::format("{}<pre class=\"log\" data-log=\"{}\" data-offset=\"{}\">{}</pre>", note, escape(name),
                       end, escape(without_terminal_codes(excerpt.text)));
}

std::string step_html(RunView& view, const nlohmann::json& step, bool failed_stage) {
    std::string html = "<div class=\"step\">";
    html += fmt::format("<div class=\"muted\">step {} · {}",
                        json_number(step, "step") >= 0 ? member(step, "step").dump() : "?",
                        escape(json_text(step, "builtin")));
    if (const nlohmann::json& code = member(step, "exit_code"); code.is_number_integer()) {
        html += fmt::format(" · exit {}", code.get<long long>());
    }
    html += fmt::format(" · {}</div>", escape(ms_text(step)));
    if (const nlohmann::json& argv = member(step, "argv"); argv.is_array()) {
        html += fmt::format("<div class=\"argv\"><code>{}</code></div>", escape(shell_words(argv)));
    } else if (std::string action = json_text(step, "action"); !action.empty()) {
        html += fmt::format("<div class=\"argv\"><code>{}</code></div>", escape(action));
    }
    if (std::string summary = json_text(step, "summary"); !summary.empty()) {
        html += fmt::format("<div class=\"summary\">{}</div>", escape(summary));
    }
    if (std::string error = json_text(step, "error"); !error.empty()) {
        html += fmt::format("<div class=\"error\">{}</div>", escape(error));
    }
    if (std::string log = json_text(step, "log"); !log.empty()) {
        bool open = view.live || (failed_stage && member(step, "exit_code") != 0);
        html += fmt::format("<details{}><summary>log</summary>{}</details>", open ? " open" : "",
                            log_html(view, log_name(log)));
    }
    return html + "</div>\n";
}

std::string stage_html(RunView& view, const nlohmann::json& stage, std::size_t index,
                       std::set<std::string>& approvable) {
    std::string status = stage_status(stage);
    std::string html =
        fmt::format("<section class=\"stage\" id=\"stage-{}\">\n<header><h3 class=\"mono\">{}</h3>{}", index,
                    escape(json_text(stage, "name")), status_label(status));
    if (std::string duration = ran_for(stage); !duration.empty()) {
        html += fmt::format("<span class=\"muted\">{}</span>", escape(duration));
    }
    if (double attempts = json_number(stage, "attempts"); attempts > 1) {
        html += fmt::format("<span class=\"muted\">{} attempts</span>", attempts);
    }
    std::string name = json_text(stage, "stage");
    if (status == "manual" && !view.live && approvable.insert(name).second) {
        html +=
            fmt::format("<form method=\"post\" action=\"/api/runs/{}/approve/{}\"><button class=\"primary\" "
                        "type=\"submit\">Approve {}</button></form>",
                        view.id, url_segment(name), escape(name));
    }
    html += "</header>\n";
    if (std::string reason = json_text(stage, "reason"); !reason.empty()) {
        html += fmt::format("<p class=\"muted\">{}</p>\n", escape(reason));
    }
    if (const nlohmann::json& steps = member(stage, "steps"); steps.is_array()) {
        for (const nlohmann::json& step : steps) {
            std::string outcome = json_text(stage, "status");
            html += step_html(view, step, outcome == "failed" || outcome == "interrupted");
        }
    }
    return html + "</section>\n";
}

std::string artifacts_html(const RunView& view, const nlohmann::json& stages) {
    std::string rows;
    for (const nlohmann::json& stage : stages) {
        const nlohmann::json& artifacts = member(stage, "artifacts");
        if (!artifacts.is_object()) {
            continue;
        }
        for (const auto& [name, artifact] : artifacts.items()) {
            std::string path = json_text(artifact, "path");
            std::string file = path.substr(path.find_last_of('/') + 1);
            rows += fmt::format(
                "<tr><td class=\"mono\">{}</td><td class=\"mono\">{}</td><td><a href=\"/api/runs/{}/"
                "artifacts/{}\" download>{}</a></td><td class=\"mono hash\">{}</td></tr>\n",
                escape(json_text(stage, "name")), escape(name), view.id, url_path(path),
                escape(file.empty() ? name : file), escape(json_text(artifact, "sha256")));
        }
    }
    if (rows.empty()) {
        return "";
    }
    return "<h2>Artifacts</h2>\n<table>\n<thead><tr><th>Stage</th><th>Artifact</th><th>Download</th>"
           "<th>SHA-256</th></tr></thead>\n<tbody>\n" +
           rows + "</tbody>\n</table>\n";
}

/// A linked run: its link, repository and status when `linked` has it.
std::string linked_run_html(const nlohmann::json& id, const nlohmann::json& linked) {
    if (run_id(id) < 0) {
        return "";
    }
    if (linked.is_array()) {
        for (const nlohmann::json& run : linked) {
            if (run_id(run) == run_id(id)) {
                return fmt::format("{} {} {} {}", run_link(id), escape(json_text(run, "repository")),
                                   escape(ref_name(json_text(run, "ref"))), run_status_label(run));
            }
        }
    }
    return run_link(id);
}

std::string facts_html(const nlohmann::json& run, const nlohmann::json& linked) {
    std::string repository = json_text(run, "repository");
    std::string ref = json_text(run, "ref");
    std::vector<std::pair<std::string, std::string>> facts{
        {"Repository",
         fmt::format("<a href=\"/repositories/{}\">{}</a>", url_segment(repository), escape(repository))},
        {is_tag_ref(ref) ? "Tag" : "Branch", escape(ref_name(ref))},
        {"Commit", fmt::format("<code>{}</code>", escape(json_text(run, "commit")))},
        {"Message", escape(json_text(run, "message"))},
        {"Version", escape(json_text(run, "version"))},
        {"Pushed by", escape(json_text(run, "pusher"))},
        {"Queued", time_html(json_text(run, "queued_at"))},
        {"Started", time_html(json_text(run, "started_at"))},
        {"Finished", time_html(json_text(run, "finished_at"))},
        {"Duration", escape(duration_text(json_number(run, "duration_seconds")))},
        {"Upstream", linked_run_html(member(run, "upstream"), linked)}};
    std::string downstream;
    if (const nlohmann::json& ids = member(run, "downstream"); ids.is_array()) {
        for (const nlohmann::json& id : ids) {
            if (std::string link = linked_run_html(id, linked); !link.empty()) {
                downstream += (downstream.empty() ? "" : "<br>") + link;
            }
        }
    }
    facts.emplace_back("Downstream", downstream);
    facts.emplace_back("Approves", linked_run_html(member(run, "approves"), linked));
    std::string approvals;
    if (const nlohmann::json& ids = member(run, "approved_by"); ids.is_array()) {
        for (const nlohmann::json& id : ids) {
            if (std::string link = linked_run_html(id, linked); !link.empty()) {
                approvals += (approvals.empty() ? "" : "<br>") + link;
            }
        }
    }
    facts.emplace_back("Approved by", approvals);
    std::string html = "<dl class=\"facts\">\n";
    for (const auto& [term, value] : facts) {
        if (!value.empty()) {
            html += fmt::format("<dt>{}</dt><dd>{}</dd>\n", term, value);
        }
    }
    return html + "</dl>\n";
}

std::string actions_html(const RunView& view) {
    std::string html = "<div class=\"actions\">";
    if (!view.live) {
        html +=
            fmt::format("<form method=\"post\" action=\"/api/runs/{}/rerun\"><button type=\"submit\">Re-run"
                        "</button></form>",
                        view.id);
    }
    return html +
           "<form id=\"token-form\"><label>Token <input type=\"password\" name=\"token\" "
           "autocomplete=\"current-password\" required></label><button type=\"submit\">Keep</button></form>"
           "<span id=\"token-state\" class=\"muted\"></span></div>\n";
}

} // namespace

std::string render_run(const nlohmann::json& run, const nlohmann::json& linked,
                       const std::map<std::string, LogExcerpt>& logs) {
    std::string status = json_text(run, "status");
    RunView view{run_id(run), status == "queued" || status == "running", logs, {}};
    const nlohmann::json& record = member(run, "record");
    std::string repository = json_text(run, "repository");
    std::string body =
        fmt::format("<h1>Run #{} <span id=\"run-status\">{}</span></h1>\n", view.id, status_label(status));
    body += facts_html(run, linked);
    if (std::string error = json_text(record, "error"); !error.empty()) {
        body += fmt::format("<p class=\"error\">{}</p>\n", escape(error));
    }
    if (status == "queued") {
        body += "<p class=\"muted\">Queued: the run starts when a runner is free.</p>\n";
    } else if (status == "superseded") {
        body +=
            "<p class=\"muted\">Superseded: a newer push to the same ref was queued before this run started."
            "</p>\n";
    }
    body += actions_html(view);
    const nlohmann::json& stages = member(record, "stages");
    if (stages.is_array() && !stages.empty()) {
        std::vector<GraphNode> nodes;
        std::string sections;
        std::set<std::string> approvable;
        for (std::size_t i = 0; i < stages.size(); ++i) {
            const nlohmann::json& stage = stages[i];
            std::vector<std::string> needs;
            if (const nlohmann::json& list = member(stage, "needs"); list.is_array()) {
                for (const nlohmann::json& need : list) {
                    needs.push_back(need.is_string() ? need.get<std::string>() : "");
                }
            }
            std::string stage_word = stage_status(stage);
            std::string duration = ran_for(stage);
            nodes.push_back({json_text(stage, "name"), stage_word,
                             duration.empty() ? stage_word : stage_word + " · " + duration,
                             fmt::format("stage-{}", i), std::move(needs)});
            sections += stage_html(view, stage, i, approvable);
        }
        body += "<h2>Stages</h2>\n<div class=\"graph\">" + stage_graph_svg(nodes) + "</div>\n" + sections;
        body += artifacts_html(view, stages);
    }
    // Logs no step of the record names yet: those of a run still going.
    std::string other_logs;
    if (const nlohmann::json& names = member(run, "logs"); names.is_array()) {
        for (const nlohmann::json& name : names) {
            if (name.is_string() && !view.shown_logs.contains(name.get<std::string>())) {
                std::string text = name.get<std::string>();
                other_logs += fmt::format("<section><h3 class=\"mono\">{}</h3>{}</section>\n", escape(text),
                                          log_html(view, text));
            }
        }
    }
    if (view.live || !other_logs.empty()) {
        std::string none = other_logs.empty() ? "<p id=\"no-logs\" class=\"muted\">No output yet.</p>\n" : "";
        body += "<h2>Logs</h2>\n<div id=\"live-logs\">\n" + none + other_logs + "</div>\n";
    }
    std::string crumbs = fmt::format("<a class=\"crumb\" href=\"/repositories/{}\">{}</a><a class=\"crumb\" "
                                     "href=\"/runs/{}\">#{}</a>",
                                     url_segment(repository), escape(repository), view.id, view.id);
    std::string main_attributes =
        view.live ? fmt::format("data-run=\"{}\" data-live=\"true\"", view.id) : std::string();
    return document(fmt::format("#{} {} {}", view.id, repository, ref_name(json_text(run, "ref"))), crumbs,
                    body, main_attributes);
}

} // namespace chain::pages
