#include "plan_render.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace chain {

namespace {

std::string ref_description(const refs::Ref& ref) { return (ref.is_tag ? "tag " : "branch ") + ref.name; }

std::string quoted_argv(const std::vector<std::string>& argv) {
    std::string out;
    for (const std::string& word : argv) {
        out += (out.empty() ? "" : " ") + stdlib::shell_quote(word);
    }
    return out;
}

std::string step_line(const stdlib::Step& step) {
    std::string line;
    for (const auto& [name, value] : step.env) {
        line += name + "=" + stdlib::shell_quote(value) + " ";
    }
    line += step.argv.empty() ? "(chain) " + step.action : quoted_argv(step.argv);
    if (!step.workdir.empty()) {
        line += "   [in " + step.workdir + "]";
    }
    if (!step.creates.empty()) {
        line += "   [unless " + step.creates + " exists]";
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
    std::size_t running = 0;
    for (const StageInstance& stage : plan.stages) {
        running += stage.runs ? 1 : 0;
    }
    std::string out = fmt::format("pipeline {} on {}, version {}: {} of {} stages run\n",
                                  plan.pipeline.empty() ? "(unnamed)" : plan.pipeline, ref_description(plan.ref),
                                  plan.version, running, plan.stages.size());
    for (const StageInstance& stage : plan.stages) {
        out += fmt::format("\n{}  {}: {}\n", stage.name, stage.runs ? "runs" : "skipped", stage.reason);
        if (!stage.needs.empty()) {
            std::string needs;
            for (const std::string& need : stage.needs) {
                needs += (needs.empty() ? "" : ", ") + need;
            }
            out += "  needs " + needs + "\n";
        }
        if (explain) {
            for (const std::string& line : stage.explanation) {
                out += "  " + line + "\n";
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
            std::string inputs;
            for (const std::string& input : stage.inputs) {
                inputs += (inputs.empty() ? "" : " ") + input;
            }
            settings += (settings.empty() ? "" : ", ") + ("inputs " + inputs);
        }
        if (!settings.empty() && stage.runs) {
            out += "  " + settings + "\n";
        }
        for (std::size_t i = 0; i < stage.steps.size(); ++i) {
            out += fmt::format("  {:>2}. {:<10} {}\n", i + 1, stage.steps[i].builtin, step_line(stage.steps[i]));
        }
    }
    return mask_secrets(plan, out);
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
    return mask_secrets(plan, document.dump(2, ' ', false, json::error_handler_t::replace) + "\n");
}

std::string render_plan_dot(const Plan& plan) {
    std::string out = fmt::format("digraph \"{}\" {{\n  rankdir=LR;\n  label=\"{} on {}\";\n", plan.pipeline,
                                  plan.pipeline, ref_description(plan.ref));
    for (const StageInstance& stage : plan.stages) {
        out += fmt::format("  {} [label=\"{}\", shape=box, {}];\n", node_id(stage.name), stage.name,
                           stage.runs ? "style=\"filled\", fillcolor=\"palegreen\""
                                      : "style=\"dashed\", color=\"gray50\", fontcolor=\"gray50\"");
    }
    for (const StageInstance& stage : plan.stages) {
        for (const std::string& need : stage.needs) {
            out += fmt::format("  {} -> {};\n", node_id(need), node_id(stage.name));
        }
    }
    return out + "}\n";
}

std::string render_plan_mermaid(const Plan& plan) {
    std::string out = "flowchart LR\n";
    for (const StageInstance& stage : plan.stages) {
        out += fmt::format("  {}[\"{}\"]:::{}\n", node_id(stage.name), stage.name, stage.runs ? "runs" : "skipped");
    }
    for (const StageInstance& stage : plan.stages) {
        for (const std::string& need : stage.needs) {
            out += fmt::format("  {} --> {}\n", node_id(need), node_id(stage.name));
        }
    }
    out += "  classDef runs fill:#cfc,stroke:#393\n  classDef skipped fill:#eee,stroke:#999,stroke-dasharray:4 4,color:#999\n";
    return out;
}

} // namespace chain
