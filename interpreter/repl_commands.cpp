// The REPL's views of the pipeline on its ref (:ref, :param, :stages, :plan, :graph) and its actions,
// each carried out only after the question it asks is answered (:run, :rollback).
#include "repl.hpp"
#include "repl_text.hpp"

#include "edit_distance.hpp"
#include "executor.hpp"
#include "plan_render.hpp"
#include "stdlib/actions.hpp"
#include "stdlib/remote_deploy.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <utility>

namespace chain {

using namespace repl_text;

PlanOptions ReplSession::plan_options() const {
    PlanOptions options;
    options.ref = ref_;
    options.git = git_;
    return options;
}

std::optional<Plan> ReplSession::current_plan(ReplReply& reply, const std::string& approved) const {
    if (!current_ || !known_errors_.empty()) {
        reply = failure("the program has errors: fix them in the file and :reload, or type a declaration that "
                        "replaces the one in error");
        return std::nullopt;
    }
    for (const GlobalValue& value : current_->program.values) {
        if (value.kind == ValueKind::param && !value.value && !value.given) {
            reply = failure(fmt::format("param '{}' has no default: give it a value with :param {}=VALUE", value.name,
                                        value.name));
            return std::nullopt;
        }
    }
    PlanOptions options = plan_options();
    if (!approved.empty()) {
        options.approved.push_back(approved); // :rollback acts on what a manual stage would deploy
    }
    return make_plan(current_->program, options);
}

ReplReply ReplSession::show_ref() const {
    return ReplReply{fmt::format("{}, version {}\n", describe_ref(ref_), pipeline_version(ref_, git_)), false, false, ""};
}

ReplReply ReplSession::show_params(std::string_view stage) const {
    ReplReply reply;
    // A manual stage is planned as approved: what it would use when it runs.
    std::optional<Plan> plan = current_plan(reply, std::string(stage));
    if (!plan) {
        return reply;
    }
    std::vector<ValueSource> values;
    if (stage.empty()) {
        values = value_sources(current_->program, plan_options());
    } else {
        auto used = std::find_if(plan->stages.begin(), plan->stages.end(),
                                 [&](const StageInstance& instance) { return instance.stage == stage || instance.name == stage; });
        if (used == plan->stages.end()) {
            return unknown_stage(stage);
        }
        values = used->values; // every instance of a stage uses the same values
    }
    for (ValueSource& value : values) {
        const GlobalValue* declared = current_->program.find_value(value.name);
        if (value.kind == ValueKind::param && declared && declared->given) {
            value.source = "set with :param or -p"; // in the REPL, not only on the command line
        }
    }
    return ReplReply{render_value_sources(*plan, values), false, false, ""};
}

ReplReply ReplSession::show_stages() const {
    ReplReply reply;
    std::optional<Plan> plan = current_plan(reply);
    reply = ReplReply{};
    std::size_t width = 0;
    for (const StageInfo& stage : current_->program.stages) {
        width = std::max(width, stage.name.size());
    }
    for (const StageInfo& stage : current_->program.stages) {
        std::string state = "?";
        if (plan) {
            bool runs = std::any_of(plan->stages.begin(), plan->stages.end(), [&](const StageInstance& instance) {
                return instance.stage == stage.name && instance.runs;
            });
            state = runs ? "runs" : "skipped";
        }
        std::string clauses = collapsed(std::string_view(stage.file->source->text())
                                            .substr(stage.decl->name.range.end,
                                                    stage.decl->body.range.begin - stage.decl->name.range.end));
        reply.output += fmt::format("{:<{}}  {:<7}  {}{}{}\n", stage.name, width, state, clauses,
                                    clauses.empty() ? "" : "  ", where(stage.file, stage.decl->name.range));
    }
    if (reply.output.empty()) {
        reply.output = "the program has no stages\n";
    }
    return reply;
}

ReplReply ReplSession::unknown_stage(std::string_view stage) const {
    std::vector<std::string_view> names;
    for (const StageInfo& info : current_->program.stages) {
        names.push_back(info.name);
    }
    std::string guess = closest_name(stage, names);
    return failure(fmt::format("unknown stage '{}'{}", stage, guess.empty() ? "" : fmt::format("; did you mean '{}'?", guess)));
}

ReplReply ReplSession::show_plan(std::string_view stage, bool explain) const {
    ReplReply reply;
    std::optional<Plan> plan = current_plan(reply);
    if (!plan) {
        return reply;
    }
    if (!stage.empty()) {
        std::vector<StageInstance> chosen;
        for (const StageInstance& instance : plan->stages) {
            if (instance.stage == stage || instance.name == stage) {
                chosen.push_back(instance);
            }
        }
        if (chosen.empty()) {
            return unknown_stage(stage);
        }
        plan->stages = std::move(chosen);
    }
    return ReplReply{render_plan_text(*plan, explain), false, false, ""};
}

ReplReply ReplSession::show_graph(std::string_view format) const {
    ReplReply reply;
    std::optional<Plan> plan = current_plan(reply);
    if (!plan) {
        return reply;
    }
    if (format.empty() || format == "mermaid") {
        return ReplReply{render_plan_mermaid(*plan), false, false, ""};
    }
    if (format == "dot") {
        return ReplReply{render_plan_dot(*plan), false, false, ""};
    }
    return failure(fmt::format(":graph shows mermaid or dot, not '{}'", format));
}

ReplReply ReplSession::prepare_run(std::string_view stage, bool rehearse) {
    ReplReply reply;
    std::optional<Plan> plan = current_plan(reply);
    if (!plan) {
        return reply;
    }
    // As `chain run`, whatever stage is asked for: nothing starts with a secret chain cannot use.
    if (!plan->secret_problems.empty()) {
        const SecretProblem& problem = plan->secret_problems.front();
        return failure(fmt::format("{}: {}; nothing was run", problem.message(), problem.advice()));
    }
    // The stage's instances and, transitively, what they need: what `chain run --stage` would run.
    std::set<std::string> wanted;
    std::vector<std::string> pending;
    for (const StageInstance& instance : plan->stages) {
        if (instance.stage == stage || instance.name == stage) {
            pending.push_back(instance.name);
        }
    }
    if (pending.empty()) {
        return show_plan(stage, false); // says it is unknown, with a guess
    }
    while (!pending.empty()) {
        std::string name = std::move(pending.back());
        pending.pop_back();
        if (!wanted.insert(name).second) {
            continue;
        }
        for (const StageInstance& instance : plan->stages) {
            if (instance.name == name) {
                pending.insert(pending.end(), instance.needs.begin(), instance.needs.end());
            }
        }
    }
    std::string listed;
    for (const StageInstance& instance : plan->stages) {
        if (!wanted.contains(instance.name)) {
            continue;
        }
        if (!instance.runs) {
            return failure(fmt::format("'{}' does not run on {}: {}", instance.name, describe_ref(ref_), instance.reason));
        }
        listed += (listed.empty() ? "" : ", ") + instance.name;
    }
    pending_run_ = std::string(stage);
    pending_rehearsal_ = rehearse;
    reply.question = fmt::format("{} {} on {}{} ({}{})? [y/N] ", rehearse ? "rehearse" : "run", listed,
                                 describe_ref(ref_), rehearse ? "" : " for real",
                                 settings_.file.empty() ? "in this folder" : "beside " + settings_.file,
                                 rehearse ? "; effects shown, not carried out" : "");
    return reply;
}

ReplReply ReplSession::prepare_rollback(std::string_view argument) {
    std::string_view stage = trimmed(argument.substr(0, argument.find(' ')));
    std::string_view to = argument.find(' ') == std::string_view::npos ? "" : trimmed(argument.substr(argument.find(' ')));
    if (!to.empty()) {
        if (std::string problem = stdlib::release_name_problem(to); !problem.empty()) {
            return failure(problem);
        }
    }
    ReplReply reply;
    std::optional<Plan> plan = current_plan(reply, std::string(stage));
    if (!plan) {
        return reply;
    }
    std::size_t targets = 0;
    bool known = false;
    for (const StageInstance& instance : plan->stages) {
        if (instance.stage == stage || instance.name == stage) {
            known = true;
            targets += stdlib::deploy_targets(instance.steps).size();
        }
    }
    if (!known) {
        return show_plan(stage, false); // says it is unknown, with a guess
    }
    if (targets == 0) {
        return failure(fmt::format("'{}' deploys nothing on {} ", stage,
                                   describe_ref(ref_)));
    }
    pending_rollback_ = std::pair{std::string(stage), std::string(to)};
    reply.question = fmt::format("point the deploy target of {} back to {} for real? [y/N] ", stage,
                                 to.empty() ? "its previous release" : std::string(to));
    return reply;
}

ReplReply ReplSession::roll_back(std::FILE* out) {
    auto [stage, to] = *std::exchange(pending_rollback_, std::nullopt);
    ReplReply reply;
    std::optional<Plan> plan = current_plan(reply, stage);
    if (!plan) {
        return reply;
    }
    if (!plan->secret_problems.empty()) {
        const SecretProblem& problem = plan->secret_problems.front();
        return failure(fmt::format("{}: {}; nothing was done", problem.message(), problem.advice()));
    }
    std::filesystem::path folder = settings_.file.empty() ? std::filesystem::current_path()
                                                          : std::filesystem::absolute(settings_.file).parent_path();
    // A local target's folder and the known hosts file are the pipeline's, as its steps see them.
    std::filesystem::path before = std::filesystem::current_path();
    std::filesystem::current_path(folder);
    auto progress = [out](const std::string& machine, const std::string& what) {
        fmt::print(out, "{}: {}\n", machine, what);
        std::fflush(out);
    };
    for (const StageInstance& instance : plan->stages) {
        if (instance.stage != stage && instance.name != stage) {
            continue;
        }
        for (const stdlib::DeployTarget& target : stdlib::deploy_targets(instance.steps)) {
            stdlib::TargetMachines machines = stdlib::machines_of(target);
            stdlib::DeployOutcome outcome = stdlib::roll_back(target.release, machines.list, to, progress);
            if (!outcome.error.empty()) {
                std::filesystem::current_path(before);
                return failure(fmt::format("rollback of {} failed: {}", target.release.dir, outcome.error));
            }
        }
    }
    std::filesystem::current_path(before);
    return reply;
}

ReplReply ReplSession::answer(bool yes, std::FILE* out) {
    if (pending_rollback_) {
        if (!yes) {
            pending_rollback_.reset();
            return ReplReply{"not rolled back\n", false, false, ""};
        }
        return roll_back(out);
    }
    std::string stage = std::exchange(pending_run_, "");
    if (stage.empty()) {
        return failure("there is nothing to answer");
    }
    if (!yes) {
        return ReplReply{"not run\n", false, false, ""};
    }
    ReplReply reply;
    std::optional<Plan> plan = current_plan(reply);
    if (!plan) {
        return reply;
    }
    std::filesystem::path folder = settings_.file.empty()
                                       ? std::filesystem::current_path()
                                       : std::filesystem::absolute(settings_.file).parent_path();
    Store store(folder);
    RunOptions options;
    options.jobs = settings_.jobs;
    options.stages = {stage};
    options.rehearse = pending_rehearsal_;
    auto status = make_plain_status(out);
    auto runner = make_process_runner();
    RunResult result = execute(*plan, options, store, *runner, *status);
    std::fflush(out);
    reply.error = result.exit_code != 0;
    return reply;
}

} // namespace chain
