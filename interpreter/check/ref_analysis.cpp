// The ref analysis: each stage's condition becomes a formula of the conditions module, evaluated on the
// witness refs, which stand for every branch and tag.

#include "passes.hpp"

#include <fmt/format.h>

#include <set>

namespace chain::checker {

void check_ref_analysis(Context& context) {
    CheckedProgram& program = context.program;
    std::vector<const conditions::Formula*> formulas;
    for (StageInfo& stage : program.stages) {
        if (stage.condition) {
            stage.formula = program.conditions.build(*stage.condition, stage.file, program);
            formulas.push_back(stage.formula);
        }
    }
    program.conditions.find_witnesses(formulas);
    const std::vector<refs::Ref>& witnesses = program.conditions.witnesses();
    // Nothing is known beyond the formulas: bool params and lets are followed to their values (from -p or
    // as written), and what only running could tell is unknown.
    conditions::Values values{nullptr, conditions::let_depth_limit};
    std::vector<const conditions::Truths*>& runs = context.stage_runs;
    runs.reserve(program.stages.size());
    for (const StageInfo& stage : program.stages) {
        bool judged = !stage.formula || program.conditions.judged(stage.formula);
        runs.push_back(&context.truths.try_emplace(stage.formula, stage.formula, judged, witnesses, values).first->second);
        if (runs.back()->never() && stage.condition) {
            context.warning(
                stage.file, stage.condition->range, "W0501",
                fmt::format("stage '{}' runs on no ref: this condition is false on every branch and tag",
                            stage.name));
        }
    }
    // A need named twice is judged once: the stage that last judged each need, by need.
    std::vector<std::size_t> judged_for(program.stages.size(), program.stages.size());
    for (std::size_t s = 0; s < program.stages.size(); ++s) {
        for (const NeedRef& need : context.needs[s]) {
            if (judged_for[need.stage] == s || runs[s] == runs[need.stage]) {
                continue; // the same condition cannot both hold and fail on a ref
            }
            judged_for[need.stage] = s;
            for (std::size_t w = 0; w < witnesses.size(); ++w) {
                if (runs[s]->certainly(w) && runs[need.stage]->certainly_not(w)) {
                    context.error(need.file, need.range, "E0403",
                                  fmt::format("on {}, '{}' runs but '{}', which it needs, does not",
                                              refs::describe(witnesses[w]), program.stages[s].name,
                                              program.stages[need.stage].name),
                                  fmt::format("run '{}' on {} too, or narrow the condition of '{}'",
                                              program.stages[need.stage].name, refs::describe(witnesses[w]),
                                              program.stages[s].name));
                    break;
                }
            }
        }
    }
}

} // namespace chain::checker
