// Effects on feature branches (W0508): a step that publishes, deploys or triggers on every push to a
// feature branch is usually a condition written too wide. Each effect is judged under its stage's
// condition and the `when` blocks around it, on the witness refs that are feature branches.

#include "passes.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace chain::checker {

namespace {

using conditions::Tri;

/// The feature-branch witnesses on which the statements being walked can still run.
using Possible = std::vector<bool>;

class EffectWalk {
  public:
    EffectWalk(Context& context, std::size_t stage, std::vector<std::size_t> features)
        : context_(context), program_(context.program), stage_(stage), features_(std::move(features)) {}

    void run(const Possible& possible) {
        const StageInfo& stage = program_.stages[stage_];
        walk(stage.decl->body, stage.file, possible, nullptr);
    }

  private:
    Context& context_;
    CheckedProgram& program_;
    std::size_t stage_;
    std::vector<std::size_t> features_; // the witnesses that are feature branches
    std::set<const FnInfo*> expanding_; // a fn that calls itself is an error of its own (E0220)

    /// `possible` narrowed to where `condition` is not certainly `wanted`'s opposite.
    Possible narrowed(const Possible& possible, const ast::Expr& condition, const ProgramFile* file,
                      bool wanted) {
        const conditions::Formula* formula = program_.conditions.build_passing(condition, file, program_);
        conditions::Values values{nullptr, conditions::let_depth_limit};
        Possible out = possible;
        for (std::size_t w = 0; w < out.size(); ++w) {
            if (out[w]) {
                Tri truth = conditions::evaluate(*formula, program_.conditions.witnesses()[w], values);
                out[w] = truth == Tri::maybe || (truth == Tri::yes) == wanted;
            }
        }
        return out;
    }

    /// `through`: the fn call in the stage's body that this block was expanded from, if any.
    void walk(const ast::Block& block, const ProgramFile* file, const Possible& possible,
              const ast::Call* through) {
        for (const ast::Stmt& stmt : block.stmts) {
            if (const auto* when = std::get_if<ast::WhenStmt>(&stmt.node)) {
                walk(when->then_block, file, narrowed(possible, when->condition, file, true), through);
                if (when->else_block) {
                    walk(*when->else_block, file, narrowed(possible, when->condition, file, false), through);
                }
            } else if (const auto* call_stmt = std::get_if<ast::CallStmt>(&stmt.node)) {
                if (const auto* call = std::get_if<ast::Call>(&call_stmt->call.node)) {
                    visit_call(*call, file, possible, through);
                }
                if (call_stmt->block) {
                    walk(*call_stmt->block, file, possible, through);
                }
            }
        }
    }

    void visit_call(const ast::Call& call, const ProgramFile* file, const Possible& possible,
                    const ast::Call* through) {
        const Callee* callee = program_.callees.find(call);
        if (!callee) {
            return;
        }
        if (const FnInfo* fn = callee->fn) {
            if (expanding_.insert(fn).second) {
                walk(fn->decl->body, fn->file, possible, through ? through : &call);
                expanding_.erase(fn);
            }
            return;
        }
        const stdlib::Builtin& builtin = *callee->builtin;
        if (builtin.effect == stdlib::Effect::none) {
            return;
        }
        Possible where = possible;
        if (builtin.effect == stdlib::Effect::declared) {
            const ast::Arg* declared = nullptr;
            for (const ast::Arg& arg : call.args) {
                if (arg.label && arg.label->name == "effect") {
                    declared = &arg;
                }
            }
            if (!declared) {
                return;
            }
            // `effect:` is a bool, known as a condition is: literally, or through params and lets.
            where = narrowed(possible, *declared->value, file, true);
        }
        auto feature =
            std::find_if(features_.begin(), features_.end(), [&](std::size_t w) { return where[w]; });
        if (feature == features_.end()) {
            return;
        }
        const StageInfo& stage = program_.stages[stage_];
        const ast::Call& shown = through ? *through : call;
        std::string via = through ? fmt::format(" (through fn '{}')", through->callee.name) : "";
        // publish, deploy and trigger read as verbs; an sh is an effect only as declared.
        std::string effect = builtin.effect == stdlib::Effect::declared
                                 ? fmt::format("run {}(..., effect: true)", builtin.name)
                                 : builtin.name;
        context_.warning(
            through ? stage.file : file, shown.callee.range, "W0508",
            fmt::format("stage '{}' can {}{} on {}: an effect on a feature branch is usually a mistake",
                        stage.name, effect, via, refs::describe(program_.conditions.witnesses()[*feature])),
            "restrict it to the refs it is meant for: `when develop | release/*` on the stage, or the step "
            "inside "
            "`when not feature/* { ... }`");
    }
};

} // namespace

void warn_effects_on_feature_branches(Context& context) {
    CheckedProgram& program = context.program;
    const std::vector<refs::Ref>& witnesses = program.conditions.witnesses();
    std::vector<std::size_t> features;
    for (std::size_t w = 0; w < witnesses.size(); ++w) {
        if (!witnesses[w].is_tag && witnesses[w].name.starts_with("feature/")) {
            features.push_back(w);
        }
    }
    for (std::size_t s = 0; s < program.stages.size(); ++s) {
        const StageInfo& stage = program.stages[s];
        // A manual stage runs only when a person names it: an effect there is a decision, not an accident.
        if (stage.manual) {
            continue;
        }
        const conditions::Truths& runs = *context.stage_runs[s];
        Possible possible(witnesses.size(), false);
        bool any = false;
        for (std::size_t w : features) {
            possible[w] = !runs.certainly_not(w);
            any = any || possible[w];
        }
        if (any) {
            EffectWalk(context, s, features).run(possible);
        }
    }
}

} // namespace chain::checker
