#pragma once
// The kinds of ref a pipeline tells apart (develop, feature/*, release/*, ..., and the patterns its files
// name), each with one ref that stands for all of its kind, and what every stage does on each: the pipeline
// at a glance (`chain plan --all-refs`) and the comparison of two versions of it (`chain plan --diff`).

#include "plan.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace chain {

struct RefKind {
    std::string label; // `develop`, `feature/*`, `release/1.*`, `other branches`, `tags`, `tag v*`
    refs::Ref ref;     // the ref planned for the whole kind
};

/// The union of the programs' witness refs (conditions::Conditions::witnesses), one per kind: two witnesses
/// that match the same patterns of every program are one kind. Null programs are skipped.
std::vector<RefKind> ref_kinds(const std::vector<const CheckedProgram*>& programs);

/// What a stage does on a kind of ref: runs, never runs, or waits for an approval (its own, or that of a
/// manual stage it needs).
enum class StageState { never, runs, manual };
/// `runs`, `-`, `manual`.
const char* state_cell(StageState state);

/// A program planned on one kind of ref, as it runs and with every manual stage approved.
struct KindPlan {
    RefKind kind;
    Plan plan;
    Plan approved;

    StageState state(std::string_view stage) const;
};

/// The program planned on every kind, with `options` for everything but the ref and the approvals.
std::vector<KindPlan> plan_every_kind(const CheckedProgram& program, const std::vector<RefKind>& kinds,
                                      const PlanOptions& options);

/// The version a kind of ref gets; a tag's own version for a kind of tags.
std::string kind_version(const RefKind& kind, const GitFacts& facts);

} // namespace chain
