#include "plan_render.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <set>
#include <utility>

namespace chain {

namespace {

std::string ref_description(const refs::Ref& ref) { return (ref.is_tag ? "tag " : "branch ") + ref.name; }

/// The plan's texts with every secret masked, field by field: the words around them (`runs`, `needs`) stay.
struct Masked {
    const SecretMasker& masker;

    std::string operator()(std::string_view text) const { return masker.mask(text); }

    /// One shell word, masked first: quoting changes how a secret's characters read (`it's` becomes
    /// `'it'\''s'`), so masking after quoting would miss it.
    std::string word(std::string_view text) const { return stdlib::shell_quote((*this)(text)); }

    std::string joined(const std::vector<std::string>& texts, std::string_view separator) const {
        std::string out;
        for (const std::string& text : texts) {
            if (!out.empty()) {
                out.append(separator);
            }
            out.append((*this)(text));
        }
        return out;
    }
};

/// One step's command, appended to `out`: a plan holds tens of thousands of them, so no piece is built apart.
void append_step_line(std::string& out, const stdlib::Step& step, const Masked& shown) {
    for (const auto& [name, value] : step.env) {
        out.append(name).append("=").append(shown.word(value)).append(" ");
    }
    if (step.argv.empty()) {
        out.append("(chain) ").append(shown(step.action));
    }
    for (std::size_t i = 0; i < step.argv.size(); ++i) {
        if (i != 0) {
            out += ' ';
        }
        out.append(shown.word(step.argv[i]));
    }
    if (!step.workdir.empty()) {
        out.append("   [in ").append(shown(step.workdir)).append("]");
    }
    if (!step.creates.empty()) {
        out.append("   [unless ").append(shown(step.creates)).append(" exists]");
    }
}

/// The builtin's name, left-aligned in ten columns, then its command.
void append_unnumbered_step(std::string& out, const stdlib::Step& step, const Masked& shown) {
    out.append(step.builtin);
    out.append(step.builtin.size() < 10 ? 10 - step.builtin.size() : 0, ' ');
    out += ' ';
    append_step_line(out, step, shown);
}

std::vector<std::string> unnumbered_step_lines(const StageInstance& stage, const Masked& shown) {
    std::vector<std::string> lines;
    for (const stdlib::Step& step : stage.steps) {
        append_unnumbered_step(lines.emplace_back(), step, shown);
    }
    return lines;
}

void append_step_lines(std::string& out, const StageInstance& stage, const Masked& shown) {
    for (std::size_t i = 0; i < stage.steps.size(); ++i) {
        const stdlib::Step& step = stage.steps[i];
        // An effect is marked in the margin, where the eye finds it without moving any column.
        out += step.effect ? '!' : ' ';
        out += ' ';
        if (i + 1 < 10) {
            out += ' ';
        }
        out.append(std::to_string(i + 1)).append(". ");
        append_unnumbered_step(out, step, shown);
        out += '\n';
        // A command that chain carries out over several machines (deploy to hosts) says what it does on each.
        if (!step.argv.empty() && !step.action.empty()) {
            for (std::size_t at = 0; at < step.action.size();) {
                std::size_t end = std::min(step.action.find('\n', at), step.action.size());
                out.append("                 ").append(shown(step.action.substr(at, end - at))).append("\n");
                at = end + 1;
            }
        }
    }
}

/// The stages of the plans, each once, in the first plan's order.
std::vector<std::string> stage_names(const std::vector<KindPlan>& plans) {
    std::vector<std::string> names;
    for (const KindPlan& kind : plans) {
        for (const StageInstance& instance : kind.plan.stages) {
            if (std::find(names.begin(), names.end(), instance.stage) == names.end()) {
                names.push_back(instance.stage);
            }
        }
    }
    return names;
}

std::string node_id(const std::string& name) {
    std::string id = "s_";
    for (char c : name) {
        id += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    }
    return id;
}

} // namespace

namespace {

/// The plan's first lines: what it is for, how many of its stages run, and the secrets it cannot use.
std::string plan_header(const Plan& plan, const Masked& shown) {
    std::size_t running = 0;
    for (const StageInstance& stage : plan.stages) {
        running += stage.runs ? 1 : 0;
    }
    std::string out = fmt::format("pipeline {} on {}{}, version {}: {} of {} stages run\n",
                                  plan.pipeline.empty() ? "(unnamed)" : shown(plan.pipeline),
                                  plan.ref.is_tag ? "tag " : "branch ", shown(plan.ref.name),
                                  shown(plan.version), running, plan.stages.size());
    for (const SecretProblem& problem : plan.secret_problems) {
        out += problem.message() + " (chain run will not start)\n";
    }
    return out;
}

void append_stage_text(std::string& out, const StageInstance& stage, bool explain, const Masked& shown) {
    out.append("\n").append(shown(stage.name)).append(stage.runs ? "  runs: " : "  skipped: ");
    out.append(shown(stage.reason)).append("\n");
    if (!stage.needs.empty()) {
        out.append("  needs ").append(shown.joined(stage.needs, ", ")).append("\n");
    }
    if (explain) {
        for (const std::string& line : stage.explanation) {
            out += "  " + shown(line) + "\n";
        }
        for (const ValueSource& value : stage.values) {
            out += "  " + shown(value.line()) + "\n";
        }
    }
    std::string settings;
    if (stage.timeout_ms) {
        settings += "timeout " + stdlib::duration_text(*stage.timeout_ms);
    }
    if (stage.retries) {
        settings += (settings.empty() ? "" : ", ") + fmt::format("retry {}", stage.retries);
    }
    if (!stage.inputs.empty()) {
        settings += (settings.empty() ? "" : ", ") + ("inputs " + shown.joined(stage.inputs, " "));
    }
    if (stage.allow_failure) {
        settings += (settings.empty() ? "" : ", ") + std::string("allow_failure");
    }
    if (!settings.empty() && stage.runs) {
        out += "  " + settings + "\n";
    }
    append_step_lines(out, stage, shown);
}

bool has_effect(const StageInstance& stage) {
    return std::any_of(stage.steps.begin(), stage.steps.end(), [](const stdlib::Step& step) { return step.effect; });
}

constexpr std::string_view effects_note =
    "\n! an effect: it changes something outside the run's folders; chain run --rehearse only shows it\n";

} // namespace

namespace {

using Json = nlohmann::ordered_json;

Json stage_json(const StageInstance& stage) {
    Json steps = Json::array();
    for (const stdlib::Step& step : stage.steps) {
        Json item{{"builtin", step.builtin}};
        if (step.argv.empty()) {
            item["action"] = step.action;
        } else {
            item["argv"] = step.argv;
        }
        if (!step.env.empty()) {
            Json env = Json::object();
            for (const auto& [name, value] : step.env) {
                env[name] = value;
            }
            item["env"] = env;
        }
        if (!step.workdir.empty()) {
            item["workdir"] = step.workdir;
        }
        if (!step.root.empty()) {
            item["chroot"] = step.root;
        }
        if (!step.creates.empty()) {
            item["creates"] = step.creates;
        }
        if (step.effect) {
            item["effect"] = true;
        }
        steps.push_back(std::move(item));
    }
    Json entry{{"name", stage.name},     {"stage", stage.stage}, {"runs", stage.runs},
               {"reason", stage.reason}, {"needs", stage.needs}, {"steps", std::move(steps)}};
    if (stage.manual) {
        entry["manual"] = true;
    }
    if (stage.allow_failure) {
        entry["allow_failure"] = true;
    }
    if (stage.timeout_ms) {
        entry["timeout_ms"] = *stage.timeout_ms;
    }
    if (stage.retries) {
        entry["retries"] = stage.retries;
    }
    if (!stage.inputs.empty()) {
        entry["inputs"] = stage.inputs;
    }
    if (!stage.artifacts.empty()) {
        entry["artifacts"] = stage.artifacts;
    }
    return entry;
}

std::string dumped(const Json& document) { return document.dump(2, ' ', false, Json::error_handler_t::replace); }

/// One stage instance of the document's "stages" array, as the whole document's dump would write it there.
void append_stage_json(std::string& out, const StageInstance& stage, const SecretMasker& masker, bool first) {
    Json entry = stage_json(stage);
    masker.mask_json(entry);
    out += first ? "\n    " : ",\n    ";
    // Two levels into the document: each line four spaces further in (a string's newline is written \n).
    for (char c : dumped(entry)) {
        out += c;
        if (c == '\n') {
            out += "    ";
        }
    }
}

/// The document's text before its first stage instance and after its last.
std::pair<std::string, std::string> plan_json_frame(const Plan& plan, bool any_stage) {
    Json document{{"pipeline", plan.pipeline},
                  {"ref", {{"kind", plan.ref.is_tag ? "tag" : "branch"}, {"name", plan.ref.name}}},
                  {"version", plan.version},
                  {"stages", Json::array({nullptr})}};
    Json missing = Json::array();
    for (const SecretProblem& problem : plan.secret_problems) {
        if (problem.missing()) {
            missing.push_back(
                {{"name", problem.name}, {"variable", problem.variable}, {"message", problem.message()}});
        }
    }
    if (!missing.empty()) {
        document["missing_secrets"] = std::move(missing);
    }
    mask_json_values(document, plan.secrets);
    std::string whole = dumped(document) + "\n";
    // A null stands for the stages: written on its own line, it cannot be part of any string.
    constexpr std::string_view stand_in = "\n  \"stages\": [\n    null\n  ]";
    std::size_t at = whole.find(stand_in);
    std::string head = whole.substr(0, at) + "\n  \"stages\": [";
    std::string tail = (any_stage ? "\n  ]" : "]") + whole.substr(at + stand_in.size());
    return {std::move(head), std::move(tail)};
}

/// The plan's parts are handed on, and kept in its temporary file, at about this size, each of whole stages.
constexpr std::size_t part_size = 1 << 16;

/// One stage instance in `format`, after the instances before it (`first`: none).
void append_stage(std::string& out, PlanFormat format, const StageInstance& stage, bool explain,
                  const SecretMasker& masker, bool first) {
    if (format == PlanFormat::text) {
        append_stage_text(out, stage, explain, Masked{masker});
    } else {
        append_stage_json(out, stage, masker, first);
    }
}

/// The plan's text before its first stage instance and after its last, in `format`.
std::pair<std::string, std::string> plan_frame(const Plan& plan, PlanFormat format, const SecretMasker& masker,
                                               bool any_stage, bool effects) {
    if (format == PlanFormat::text) {
        return {plan_header(plan, Masked{masker}), effects ? std::string(effects_note) : std::string()};
    }
    return plan_json_frame(plan, any_stage);
}

} // namespace

void write_plan(const Plan& plan, PlanFormat format, bool explain, const std::function<void(std::string_view)>& write) {
    SecretMasker masker(plan.secrets);
    auto [head, tail] = plan_frame(plan, format, masker, !plan.stages.empty(),
                                   std::any_of(plan.stages.begin(), plan.stages.end(), has_effect));
    std::string out = std::move(head);
    for (std::size_t i = 0; i < plan.stages.size(); ++i) {
        append_stage(out, format, plan.stages[i], explain, masker, i == 0);
        if (out.size() >= part_size) {
            write(out);
            out.clear();
        }
    }
    out += tail;
    write(out);
}

std::string render_plan_json(const Plan& plan) {
    std::string json;
    write_plan(plan, PlanFormat::json, false, [&json](std::string_view part) { json.append(part); });
    return json;
}

PlanStream::PlanStream(PlanFormat format, bool explain)
    : format_(format), explain_(explain), file_(std::tmpfile()) {
    file_failed_ = !file_;
}

void PlanStream::add(const Plan& so_far, StageInstance& stage) {
    if (!masker_ || masked_with_ != so_far.secrets.size()) {
        masker_.emplace(so_far.secrets);
        masked_with_ = so_far.secrets.size();
        first_masked_with_ = first_masked_with_.value_or(masked_with_);
    }
    // Written in parts of at most part_size (or one stage), none splitting a stage, so that each part can be
    // searched for secrets alone.
    rendered_.clear();
    append_stage(rendered_, format_, stage, explain_, *masker_, added_ == 0);
    ++added_;
    if (!part_.empty() && part_.size() + rendered_.size() > part_size) {
        flush();
    }
    part_.append(rendered_);
    effects_ = effects_ || has_effect(stage);
    // The rest of the plan reads only an instance's name, stage and verdict.
    keep_for_graph(stage);
    std::vector<std::string>().swap(stage.needs);
}

void keep_for_graph(StageInstance& stage) {
    std::vector<stdlib::Step>().swap(stage.steps);
    std::vector<std::string>().swap(stage.explanation);
    std::vector<ValueSource>().swap(stage.values);
    std::vector<std::string>().swap(stage.outputs);
    std::vector<std::string>().swap(stage.inputs);
    std::string().swap(stage.reason);
    stage.artifacts.clear();
}

void PlanStream::flush() {
    if (!file_failed_ && std::fwrite(part_.data(), 1, part_.size(), file_.get()) == part_.size()) {
        parts_.push_back(part_.size());
    } else {
        file_failed_ = true;
    }
    part_.clear();
}

namespace {

/// Reads the next `size` bytes of the file into `into`; false when they cannot be read.
bool read_part(std::FILE* file, std::size_t size, std::string& into) {
    into.resize(size);
    return std::fread(into.data(), 1, size, file) == size;
}

} // namespace

bool PlanStream::write(const Plan& plan, const std::function<void(std::string_view)>& write) {
    if (!part_.empty()) {
        flush();
    }
    if (file_failed_ || std::fflush(file_.get()) != 0) {
        return false;
    }
    // A secret first met after some stages were rendered was not masked in them: if it could be there, the
    // text is not to be trusted (quoting hides a secret with a quote from a plain search).
    auto late = plan.secrets.begin() +
                static_cast<std::ptrdiff_t>(first_masked_with_.value_or(plan.secrets.size()));
    if (std::any_of(late, plan.secrets.end(), [this](const std::string& secret) { return hidden_by_rendering(secret); })) {
        return false;
    }
    std::string text;
    if (late != plan.secrets.end()) {
        std::rewind(file_.get());
        for (std::size_t size : parts_) {
            if (!read_part(file_.get(), size, text) ||
                std::any_of(late, plan.secrets.end(),
                            [&text](const std::string& secret) { return text.find(secret) != std::string::npos; })) {
                return false;
            }
        }
    }
    std::rewind(file_.get());
    auto [head, tail] = plan_frame(plan, format_, SecretMasker(plan.secrets), added_ > 0, effects_);
    write(head);
    for (std::size_t size : parts_) {
        if (!read_part(file_.get(), size, text)) {
            // Part of the plan is out: a message and exit 2 are all that is left.
            throw std::filesystem::filesystem_error("cannot read the plan's text back from its temporary file",
                                                    std::error_code(errno, std::generic_category()));
        }
        write(text);
    }
    if (!tail.empty()) {
        write(tail);
    }
    return true;
}

bool PlanStream::hidden_by_rendering(const std::string& secret) const {
    if (format_ == PlanFormat::text) {
        return secret.find('\'') != std::string::npos; // quoted as '\''
    }
    // JSON escapes quotes, backslashes and control characters, and replaces bytes that are not UTF-8.
    return std::any_of(secret.begin(), secret.end(), [](char c) {
        auto byte = static_cast<unsigned char>(c);
        return byte == '"' || byte == '\\' || byte < 0x20 || byte >= 0x80;
    });
}

std::string render_plan_text(const Plan& plan, bool explain) {
    std::string text;
    write_plan(plan, PlanFormat::text, explain, [&text](std::string_view part) { text.append(part); });
    return text;
}

std::string render_value_sources(const Plan& plan, const std::vector<ValueSource>& values) {
    SecretMasker masker(plan.secrets);
    Masked shown{masker};
    std::string out = fmt::format("pipeline {} on {}{}, version {}: {} value{}\n",
                                  plan.pipeline.empty() ? "(unnamed)" : shown(plan.pipeline),
                                  plan.ref.is_tag ? "tag " : "branch ", shown(plan.ref.name), shown(plan.version),
                                  values.size(), values.size() == 1 ? "" : "s");
    for (const ValueSource& value : values) {
        out += shown(value.line()) + "\n";
    }
    return out;
}

std::vector<std::string> render_step_lines(const Plan& plan, const StageInstance& stage) {
    SecretMasker masker(plan.secrets);
    return unnumbered_step_lines(stage, Masked{masker});
}

std::string render_kinds_text(const std::string& pipeline, const std::vector<KindPlan>& plans, const GitFacts& facts) {
    std::vector<std::vector<std::string>> rows;
    rows.push_back({"stage"});
    rows.push_back({""});
    for (const KindPlan& kind : plans) {
        rows[0].push_back(kind.kind.label);
        rows[1].push_back(kind_version(kind.kind, facts));
    }
    for (const std::string& stage : stage_names(plans)) {
        std::vector<std::string> row{stage};
        for (const KindPlan& kind : plans) {
            row.push_back(state_cell(kind.state(stage)));
        }
        rows.push_back(std::move(row));
    }
    std::vector<std::size_t> widths(rows[0].size(), 0);
    for (const auto& row : rows) {
        for (std::size_t i = 0; i < row.size(); ++i) {
            widths[i] = std::max(widths[i], row[i].size());
        }
    }
    std::string out = fmt::format("pipeline {}: what runs on each kind of ref (versions as built from this commit)\n\n",
                                  pipeline.empty() ? "(unnamed)" : pipeline);
    for (const auto& row : rows) {
        std::string line;
        for (std::size_t i = 0; i < row.size(); ++i) {
            line += fmt::format("{:<{}}", row[i], i + 1 < row.size() ? widths[i] + 2 : 0);
        }
        out += line + "\n";
    }
    return out;
}

std::string render_kinds_json(const std::string& pipeline, const std::vector<KindPlan>& plans, const GitFacts& facts) {
    using json = nlohmann::ordered_json;
    json kinds = json::array();
    for (const KindPlan& kind : plans) {
        kinds.push_back({{"kind", kind.kind.label},
                         {"ref", {{"kind", kind.kind.ref.is_tag ? "tag" : "branch"}, {"name", kind.kind.ref.name}}},
                         {"version", kind_version(kind.kind, facts)}});
    }
    json stages = json::array();
    for (const std::string& stage : stage_names(plans)) {
        json cells = json::object();
        for (const KindPlan& kind : plans) {
            cells[kind.kind.label] = state_cell(kind.state(stage));
        }
        stages.push_back({{"name", stage}, {"on", cells}});
    }
    json document{{"pipeline", pipeline}, {"ref_kinds", kinds}, {"stages", stages}};
    return document.dump(2) + "\n";
}

std::string render_kinds_mermaid(const std::vector<KindPlan>& plans, const GitFacts& facts) {
    std::string out = "flowchart LR\n";
    for (std::size_t k = 0; k < plans.size(); ++k) {
        const KindPlan& kind = plans[k];
        std::string prefix = fmt::format("k{}_", k);
        out += fmt::format("  subgraph k{}[\"{} ({})\"]\n", k, kind.kind.label, kind_version(kind.kind, facts));
        for (const std::string& stage : stage_names(plans)) {
            StageState state = kind.state(stage);
            out += fmt::format("    {}{}[\"{}\"]:::{}\n", prefix, node_id(stage), stage,
                               state == StageState::runs     ? "runs"
                               : state == StageState::manual ? "manual"
                                                             : "skipped");
        }
        std::set<std::pair<std::string, std::string>> edges;
        for (const StageInstance& instance : kind.plan.stages) {
            for (const std::string& need : instance.needs) {
                std::string needed = need.substr(0, need.find('['));
                if (edges.emplace(needed, instance.stage).second) {
                    out += fmt::format("    {}{} --> {}{}\n", prefix, node_id(needed), prefix, node_id(instance.stage));
                }
            }
        }
        out += "  end\n";
    }
    out += "  classDef runs fill:#cfc,stroke:#393\n  classDef manual fill:#ffd,stroke:#993\n"
           "  classDef skipped fill:#eee,stroke:#999,stroke-dasharray:4 4,color:#999\n";
    return out;
}

std::string render_plan_dot(const Plan& plan) {
    SecretMasker masker(plan.secrets);
    Masked shown{masker};
    std::string out =
        fmt::format("digraph \"{}\" {{\n  rankdir=LR;\n  label=\"{} on {}\";\n", shown(plan.pipeline),
                    shown(plan.pipeline), shown(ref_description(plan.ref)));
    for (const StageInstance& stage : plan.stages) {
        out += fmt::format("  {} [label=\"{}\", shape=box, {}];\n", node_id(shown(stage.name)),
                           shown(stage.name),
                           stage.runs ? "style=\"filled\", fillcolor=\"palegreen\""
                                      : "style=\"dashed\", color=\"gray50\", fontcolor=\"gray50\"");
    }
    for (const StageInstance& stage : plan.stages) {
        for (const std::string& need : stage.needs) {
            out += fmt::format("  {} -> {};\n", node_id(shown(need)), node_id(shown(stage.name)));
        }
    }
    return out + "}\n";
}

std::string render_plan_mermaid(const Plan& plan) {
    SecretMasker masker(plan.secrets);
    Masked shown{masker};
    std::string out = "flowchart LR\n";
    for (const StageInstance& stage : plan.stages) {
        out += fmt::format("  {}[\"{}\"]:::{}\n", node_id(shown(stage.name)), shown(stage.name),
                           stage.runs ? "runs" : "skipped");
    }
    for (const StageInstance& stage : plan.stages) {
        for (const std::string& need : stage.needs) {
            out += fmt::format("  {} --> {}\n", node_id(shown(need)), node_id(shown(stage.name)));
        }
    }
    out += "  classDef runs fill:#cfc,stroke:#393\n  classDef skipped fill:#eee,stroke:#999,stroke-dasharray:4 4,color:#999\n";
    return out;
}

} // namespace chain
