#include "plan_render.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>

namespace chain {

namespace {

std::string ref_description(const refs::Ref& ref) { return (ref.is_tag ? "tag " : "branch ") + ref.name; }

/// The plan's texts with every secret masked, field by field: the words around them (`runs`, `needs`) stay.
struct Masked {
    SecretMasker masker;

    std::string operator()(std::string_view text) const { return masker.mask(text); }

    /// One shell word, masked first: quoting changes how a secret's characters read (`it's` becomes
    /// `'it'\''s'`), so masking after quoting would miss it.
    std::string word(std::string_view text) const { return stdlib::shell_quote((*this)(text)); }

    std::string joined(const std::vector<std::string>& texts, std::string_view separator) const {
        std::string out;
        for (const std::string& text : texts) {
            out += (out.empty() ? "" : std::string(separator)) + (*this)(text);
        }
        return out;
    }
};

std::string step_line(const stdlib::Step& step, const Masked& shown) {
    std::string line;
    for (const auto& [name, value] : step.env) {
        line += name + "=" + shown.word(value) + " ";
    }
    if (step.argv.empty()) {
        line += "(chain) " + shown(step.action);
    }
    for (std::size_t i = 0; i < step.argv.size(); ++i) {
        line += (i == 0 ? "" : " ") + shown.word(step.argv[i]);
    }
    if (!step.workdir.empty()) {
        line += "   [in " + shown(step.workdir) + "]";
    }
    if (!step.creates.empty()) {
        line += "   [unless " + shown(step.creates) + " exists]";
    }
    return line;
}

std::string node_id(const std::string& name) {
    std::string id = "s_";
    for (char c : name) {
        id += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    }
    return id;
}

} // namespace

std::string render_plan_text(const Plan& plan, bool explain) {
    Masked shown{SecretMasker(plan.secrets)};
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
    for (const StageInstance& stage : plan.stages) {
        out += fmt::format("\n{}  {}: {}\n", shown(stage.name), stage.runs ? "runs" : "skipped",
                           shown(stage.reason));
        if (!stage.needs.empty()) {
            out += "  needs " + shown.joined(stage.needs, ", ") + "\n";
        }
        if (explain) {
            for (const std::string& line : stage.explanation) {
                out += "  " + shown(line) + "\n";
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
        for (std::size_t i = 0; i < stage.steps.size(); ++i) {
            out += fmt::format("  {:>2}. {:<10} {}\n", i + 1, stage.steps[i].builtin,
                               step_line(stage.steps[i], shown));
            // A command that chain carries out over several machines (deploy to hosts) says what it does on each.
            if (!stage.steps[i].argv.empty() && !stage.steps[i].action.empty()) {
                for (std::size_t at = 0; at < stage.steps[i].action.size();) {
                    std::size_t end = std::min(stage.steps[i].action.find('\n', at), stage.steps[i].action.size());
                    out += "                 " + shown(stage.steps[i].action.substr(at, end - at)) + "\n";
                    at = end + 1;
                }
            }
        }
    }
    return out;
}

std::string render_plan_json(const Plan& plan) {
    using json = nlohmann::ordered_json;
    json stages = json::array();
    for (const StageInstance& stage : plan.stages) {
        json steps = json::array();
        for (const stdlib::Step& step : stage.steps) {
            json item{{"builtin", step.builtin}};
            if (step.argv.empty()) {
                item["action"] = step.action;
            } else {
                item["argv"] = step.argv;
            }
            if (!step.env.empty()) {
                json env = json::object();
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
            steps.push_back(std::move(item));
        }
        json entry{{"name", stage.name},   {"stage", stage.stage}, {"runs", stage.runs},
                   {"reason", stage.reason}, {"needs", stage.needs}, {"steps", steps}};
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
        stages.push_back(std::move(entry));
    }
    json document{{"pipeline", plan.pipeline},
                  {"ref", {{"kind", plan.ref.is_tag ? "tag" : "branch"}, {"name", plan.ref.name}}},
                  {"version", plan.version},
                  {"stages", stages}};
    json missing = json::array();
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
    return document.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string render_plan_dot(const Plan& plan) {
    Masked shown{SecretMasker(plan.secrets)};
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
    Masked shown{SecretMasker(plan.secrets)};
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
