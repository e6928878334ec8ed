#include "plan_diff.hpp"

#include "plan_render.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>

namespace chain {

namespace {

/// A stage's steps on a kind of ref, in the plan with every manual stage approved (a manual stage's steps
/// count too); a matrix stage's instances each under their name without the stage's own.
std::vector<std::string> steps_block(const KindPlan& kind, const std::string& stage) {
    std::vector<std::string> lines;
    for (const StageInstance& instance : kind.approved.stages) {
        if (instance.stage != stage || !instance.runs) {
            continue;
        }
        if (instance.name != instance.stage) {
            lines.push_back(instance.name.substr(stage.size()) + ":");
        }
        std::vector<std::string> steps = render_step_lines(kind.approved, instance);
        lines.insert(lines.end(), steps.begin(), steps.end());
    }
    return lines;
}

std::vector<std::string> stage_order(const CheckedProgram* program) {
    std::vector<std::string> names;
    if (program) {
        for (const StageInfo& stage : program->stages) {
            names.push_back(stage.name);
        }
    }
    return names;
}

bool contains(const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

std::vector<std::string> needs_of(const CheckedProgram& program, const std::string& stage) {
    std::vector<std::string> names;
    for (std::size_t need : program.find_stage(stage)->needs) {
        names.push_back(program.stages[need].name);
    }
    return names;
}

/// What a stage does and runs on every kind: equal for a stage that was only renamed.
std::vector<std::pair<StageState, std::vector<std::string>>> signature(const std::vector<KindPlan>& plans,
                                                                       const std::string& stage) {
    std::vector<std::pair<StageState, std::vector<std::string>>> on;
    for (const KindPlan& kind : plans) {
        on.emplace_back(kind.state(stage), steps_block(kind, stage));
    }
    return on;
}

PlanDiff::Stage summary(const std::vector<KindPlan>& plans, const std::string& stage) {
    PlanDiff::Stage summary{stage, {}};
    for (const KindPlan& kind : plans) {
        if (StageState state = kind.state(stage); state != StageState::never) {
            summary.on.emplace_back(kind.kind.label, state);
        }
    }
    return summary;
}

const char* state_word(StageState state) {
    switch (state) {
    case StageState::runs: return "runs";
    case StageState::manual: return "manual";
    case StageState::never: break;
    }
    return "never";
}

std::string where(const PlanDiff::Stage& stage, const char* verb) {
    if (stage.on.empty()) {
        return "never runs";
    }
    std::vector<std::string> runs, manual;
    for (const auto& [kind, state] : stage.on) {
        (state == StageState::runs ? runs : manual).push_back(kind);
    }
    std::string text;
    if (!runs.empty()) {
        text = fmt::format("{} on {}", verb, fmt::join(runs, ", "));
    }
    if (!manual.empty()) {
        text += fmt::format("{}manual on {}", text.empty() ? "" : "; ", fmt::join(manual, ", "));
    }
    return text;
}

/// A diff's body with unchanged lines kept only near a change (and a matrix instance's name, which says
/// whose steps follow); `...` stands for the ones left out.
std::vector<std::string> near_changes(const std::vector<std::string>& lines) {
    constexpr std::size_t context = 2;
    std::vector<bool> keep(lines.size(), false);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (lines[i][0] != ' ') {
            for (std::size_t j = i > context ? i - context : 0; j < std::min(lines.size(), i + context + 1); ++j) {
                keep[j] = true;
            }
        }
        keep[i] = keep[i] || lines[i].starts_with(" [");
    }
    std::vector<std::string> kept;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (keep[i]) {
            kept.push_back(lines[i]);
        } else if (kept.empty() || kept.back() != " ...") {
            kept.push_back(" ...");
        }
    }
    return kept;
}

} // namespace

std::vector<std::string> diff_lines(const std::vector<std::string>& before, const std::vector<std::string>& after) {
    // The longest common subsequence, by the classic table: step lists are short.
    std::size_t n = before.size(), m = after.size();
    std::vector<std::vector<std::size_t>> common(n + 1, std::vector<std::size_t>(m + 1, 0));
    for (std::size_t i = n; i-- > 0;) {
        for (std::size_t j = m; j-- > 0;) {
            common[i][j] = before[i] == after[j] ? common[i + 1][j + 1] + 1
                                                 : std::max(common[i + 1][j], common[i][j + 1]);
        }
    }
    std::vector<std::string> lines;
    std::size_t i = 0, j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && before[i] == after[j]) {
            lines.push_back(" " + before[i++]);
            ++j;
        } else if (i < n && (j == m || common[i + 1][j] >= common[i][j + 1])) {
            lines.push_back("-" + before[i++]);
        } else {
            lines.push_back("+" + after[j++]);
        }
    }
    return lines;
}

PlanDiff compare_programs(const CheckedProgram* before, const CheckedProgram& after, const PlanOptions& options) {
    PlanDiff diff;
    diff.before_missing = !before;
    diff.kinds = ref_kinds({&after, before});
    std::vector<KindPlan> old_plans = before ? plan_every_kind(*before, diff.kinds, options) : std::vector<KindPlan>{};
    std::vector<KindPlan> new_plans = plan_every_kind(after, diff.kinds, options);
    std::vector<std::string> old_names = stage_order(before), new_names = stage_order(&after);

    std::vector<std::string> removed, added;
    std::copy_if(old_names.begin(), old_names.end(), std::back_inserter(removed),
                 [&](const std::string& name) { return !contains(new_names, name); });
    std::copy_if(new_names.begin(), new_names.end(), std::back_inserter(added),
                 [&](const std::string& name) { return !contains(old_names, name); });
    for (auto gone = removed.begin(); gone != removed.end();) {
        auto same = std::find_if(added.begin(), added.end(), [&](const std::string& name) {
            return signature(old_plans, *gone) == signature(new_plans, name);
        });
        if (same == added.end()) {
            ++gone;
            continue;
        }
        diff.renamed.emplace_back(*gone, *same);
        added.erase(same);
        gone = removed.erase(gone);
    }
    for (const std::string& name : added) {
        diff.added.push_back(summary(new_plans, name));
    }
    for (const std::string& name : removed) {
        diff.removed.push_back(summary(old_plans, name));
    }

    for (const std::string& stage : new_names) {
        if (!contains(old_names, stage)) {
            continue;
        }
        std::vector<PlanDiff::Runs> runs;
        std::map<std::pair<std::vector<std::string>, std::vector<std::string>>, std::size_t> step_changes;
        for (std::size_t k = 0; k < diff.kinds.size(); ++k) {
            StageState was = old_plans[k].state(stage), is = new_plans[k].state(stage);
            if (was != is) {
                auto same = std::find_if(runs.begin(), runs.end(), [&](const PlanDiff::Runs& change) {
                    return change.before == was && change.after == is;
                });
                if (same == runs.end()) {
                    runs.push_back(PlanDiff::Runs{stage, was, is, {}});
                    same = runs.end() - 1;
                }
                same->kinds.push_back(diff.kinds[k].label);
            }
            if (was == StageState::never || is == StageState::never) {
                continue;
            }
            std::vector<std::string> old_steps = steps_block(old_plans[k], stage);
            std::vector<std::string> new_steps = steps_block(new_plans[k], stage);
            if (old_steps == new_steps) {
                continue;
            }
            auto key = std::make_pair(std::move(old_steps), std::move(new_steps));
            auto [entry, fresh] = step_changes.emplace(key, diff.steps.size());
            if (fresh) {
                diff.steps.push_back(PlanDiff::Steps{stage, {}, near_changes(diff_lines(key.first, key.second))});
            }
            diff.steps[entry->second].kinds.push_back(diff.kinds[k].label);
        }
        diff.runs.insert(diff.runs.end(), runs.begin(), runs.end());

        std::vector<std::string> old_needs = needs_of(*before, stage), new_needs = needs_of(after, stage);
        PlanDiff::Needs needs{stage, {}, {}};
        std::copy_if(new_needs.begin(), new_needs.end(), std::back_inserter(needs.added),
                     [&](const std::string& name) { return !contains(old_needs, name); });
        std::copy_if(old_needs.begin(), old_needs.end(), std::back_inserter(needs.removed),
                     [&](const std::string& name) { return !contains(new_needs, name); });
        if (!needs.added.empty() || !needs.removed.empty()) {
            diff.needs.push_back(std::move(needs));
        }
    }
    return diff;
}

std::string render_diff_text(const PlanDiff& diff, const std::string& pipeline, const std::string& revision) {
    std::string out = fmt::format("pipeline {}: the working tree against {}, on {} kinds of ref\n",
                                  pipeline.empty() ? "(unnamed)" : pipeline, revision, diff.kinds.size());
    if (diff.before_missing) {
        out += fmt::format("the pipeline file did not exist at {}: every stage is added\n", revision);
    }
    if (!diff.changed()) {
        return out + "no change in what runs\n";
    }
    out += "\n";
    for (const auto& [was, is] : diff.renamed) {
        out += fmt::format("stage {} renamed to {}\n", was, is);
    }
    for (const PlanDiff::Stage& stage : diff.added) {
        out += fmt::format("stage {} added: {}\n", stage.name, where(stage, "runs"));
    }
    for (const PlanDiff::Stage& stage : diff.removed) {
        out += fmt::format("stage {} removed: {}\n", stage.name,
                           stage.on.empty() ? std::string("it never ran") : where(stage, "ran"));
    }
    for (const PlanDiff::Runs& runs : diff.runs) {
        out += runs.after == StageState::never
                   ? fmt::format("{}: no longer runs on {} (before: {})\n", runs.stage, fmt::join(runs.kinds, ", "),
                                 state_word(runs.before))
                   : fmt::format("{}: now {} on {} (before: {})\n", runs.stage, state_word(runs.after),
                                 fmt::join(runs.kinds, ", "), state_word(runs.before));
    }
    for (const PlanDiff::Needs& needs : diff.needs) {
        if (!needs.added.empty()) {
            out += fmt::format("{}: now needs {}\n", needs.stage, fmt::join(needs.added, ", "));
        }
        if (!needs.removed.empty()) {
            out += fmt::format("{}: no longer needs {}\n", needs.stage, fmt::join(needs.removed, ", "));
        }
    }
    for (const PlanDiff::Steps& steps : diff.steps) {
        out += fmt::format("{}: steps change on {}\n", steps.stage, fmt::join(steps.kinds, ", "));
        out += fmt::format("  --- {} at {}\n  +++ {} in the working tree\n", steps.stage, revision, steps.stage);
        for (const std::string& line : steps.lines) {
            out += "  " + line + "\n";
        }
    }
    return out;
}

std::string render_diff_json(const PlanDiff& diff, const std::string& pipeline, const std::string& revision) {
    using json = nlohmann::ordered_json;
    auto stages = [](const std::vector<PlanDiff::Stage>& list) {
        json out = json::array();
        for (const PlanDiff::Stage& stage : list) {
            json on = json::object();
            for (const auto& [kind, state] : stage.on) {
                on[kind] = state_cell(state);
            }
            out.push_back({{"name", stage.name}, {"on", on}});
        }
        return out;
    };
    json kinds = json::array();
    for (const RefKind& kind : diff.kinds) {
        kinds.push_back({{"kind", kind.label}, {"ref", {{"kind", kind.ref.is_tag ? "tag" : "branch"}, {"name", kind.ref.name}}}});
    }
    json renamed = json::array();
    for (const auto& [was, is] : diff.renamed) {
        renamed.push_back({{"before", was}, {"after", is}});
    }
    json runs = json::array();
    for (const PlanDiff::Runs& change : diff.runs) {
        runs.push_back({{"stage", change.stage},
                        {"ref_kinds", change.kinds},
                        {"before", state_cell(change.before)},
                        {"after", state_cell(change.after)}});
    }
    json needs = json::array();
    for (const PlanDiff::Needs& change : diff.needs) {
        needs.push_back({{"stage", change.stage}, {"added", change.added}, {"removed", change.removed}});
    }
    json steps = json::array();
    for (const PlanDiff::Steps& change : diff.steps) {
        steps.push_back({{"stage", change.stage}, {"ref_kinds", change.kinds}, {"diff", change.lines}});
    }
    json document{{"pipeline", pipeline},
                  {"revision", revision},
                  {"changed", diff.changed()},
                  {"file_at_revision", !diff.before_missing},
                  {"ref_kinds", kinds},
                  {"added", stages(diff.added)},
                  {"removed", stages(diff.removed)},
                  {"renamed", renamed},
                  {"runs", runs},
                  {"needs", needs},
                  {"steps", steps}};
    return document.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

} // namespace chain
