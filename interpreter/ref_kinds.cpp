#include "ref_kinds.hpp"

#include "glob.hpp"

#include <algorithm>
#include <set>

namespace chain {

namespace {

/// The globs a condition names, through the lets and params it follows, each once.
void collect_globs(const conditions::Formula* formula, std::set<const conditions::Formula*>& seen,
                   std::vector<refs::RefGlob>& globs) {
    if (!formula || !seen.insert(formula).second) {
        return;
    }
    if (formula->kind == conditions::Formula::Kind::pattern && formula->pattern) {
        for (refs::RefGlob& glob : refs::globs_of(*formula->pattern)) {
            if (std::find(globs.begin(), globs.end(), glob) == globs.end()) {
                globs.push_back(std::move(glob));
            }
        }
    }
    for (const conditions::Formula* part : formula->parts) {
        collect_globs(part, seen, globs);
    }
    collect_globs(formula->definition, seen, globs);
}

bool standard(const refs::RefGlob& glob) {
    static const std::set<std::string> kinds = {"develop",   "master",    "main",     "feature/*",
                                                "release/*", "hotfix/*", "support/*"};
    return !glob.is_tag && kinds.contains(glob.glob);
}

std::string label_of(const refs::Ref& ref, const std::vector<refs::RefGlob>& globs) {
    std::string named;
    for (const refs::RefGlob& glob : globs) {
        if (glob.is_tag == ref.is_tag && !standard(glob) && glob_match(glob.glob, ref.name)) {
            named += (named.empty() ? "" : " & ") + glob.glob;
        }
    }
    if (!named.empty()) {
        return (ref.is_tag ? "tag " : "") + named;
    }
    std::string described = refs::describe(ref);
    if (described == "another branch") {
        return "other branches";
    }
    if (described == "a tag") {
        return std::any_of(globs.begin(), globs.end(), [](const refs::RefGlob& glob) { return glob.is_tag; })
                   ? "other tags"
                   : "tags";
    }
    // `tag 'x'`, `branch 'x'`: a ref the conditions compare with by name.
    if (auto quote = described.find('\''); quote != std::string::npos) {
        described.erase(std::remove(described.begin(), described.end(), '\''), described.end());
        return ref.is_tag ? described : described.substr(quote);
    }
    return described;
}

} // namespace

std::vector<RefKind> ref_kinds(const std::vector<const CheckedProgram*>& programs) {
    std::vector<refs::RefGlob> globs;
    for (const CheckedProgram* program : programs) {
        if (!program) {
            continue;
        }
        std::set<const conditions::Formula*> seen;
        for (const StageInfo& stage : program->stages) {
            collect_globs(stage.formula, seen, globs);
        }
    }
    std::vector<RefKind> kinds;
    for (const CheckedProgram* program : programs) {
        if (!program) {
            continue;
        }
        for (const refs::Ref& witness : program->conditions.witnesses()) {
            std::string label = label_of(witness, globs);
            if (std::none_of(kinds.begin(), kinds.end(), [&](const RefKind& kind) { return kind.label == label; })) {
                kinds.push_back(RefKind{std::move(label), witness});
            }
        }
    }
    return kinds;
}

const char* state_cell(StageState state) {
    switch (state) {
    case StageState::runs: return "runs";
    case StageState::manual: return "manual";
    case StageState::never: break;
    }
    return "-";
}

StageState KindPlan::state(std::string_view stage) const {
    auto runs_in = [&](const Plan& planned) {
        return std::any_of(planned.stages.begin(), planned.stages.end(),
                           [&](const StageInstance& instance) { return instance.stage == stage && instance.runs; });
    };
    return runs_in(plan) ? StageState::runs : runs_in(approved) ? StageState::manual : StageState::never;
}

std::vector<KindPlan> plan_every_kind(const CheckedProgram& program, const std::vector<RefKind>& kinds,
                                      const PlanOptions& options) {
    std::vector<std::string> manual;
    for (const StageInfo& stage : program.stages) {
        if (stage.manual) {
            manual.push_back(stage.name);
        }
    }
    std::vector<KindPlan> plans;
    plans.reserve(kinds.size());
    for (const RefKind& kind : kinds) {
        PlanOptions on_kind = options;
        on_kind.ref = kind.ref;
        on_kind.approved.clear();
        Plan plan = make_plan(program, on_kind);
        on_kind.approved = manual;
        plans.push_back(KindPlan{kind, std::move(plan), make_plan(program, on_kind)});
    }
    return plans;
}

std::string kind_version(const RefKind& kind, const GitFacts& facts) {
    if (kind.ref.is_tag && !parse_version_tag(kind.ref.name)) {
        return "from tag";
    }
    return pipeline_version(kind.ref, facts);
}

} // namespace chain
