#pragma once
// What a change to the pipeline changes in what runs: two checked versions of it planned on every kind of
// ref either tells apart, stage by stage (`chain plan --diff REV`).

#include "ref_kinds.hpp"

#include <string>
#include <vector>

namespace chain {

struct PlanDiff {
    /// A stage only one side has, with what it does on the kinds where it runs.
    struct Stage {
        std::string name;
        std::vector<std::pair<std::string, StageState>> on; // kind label -> runs or manual
    };
    /// A stage whose state changes from `before` to `after` on `kinds`.
    struct Runs {
        std::string stage;
        StageState before = StageState::never;
        StageState after = StageState::never;
        std::vector<std::string> kinds;
    };
    struct Needs {
        std::string stage;
        std::vector<std::string> added, removed;
    };
    /// A stage whose steps change the same way on `kinds`: the step lines with ' ', '-' or '+' before each,
    /// unchanged ones only within two lines of a change (` ...` for the others).
    struct Steps {
        std::string stage;
        std::vector<std::string> kinds;
        std::vector<std::string> lines;
    };

    std::vector<RefKind> kinds;
    bool before_missing = false; // the pipeline file is not at the revision: every stage is added
    std::vector<Stage> added, removed;
    std::vector<std::pair<std::string, std::string>> renamed; // before, after
    std::vector<Runs> runs;
    std::vector<Needs> needs;
    std::vector<Steps> steps;

    bool changed() const {
        return !added.empty() || !removed.empty() || !renamed.empty() || !runs.empty() || !needs.empty() ||
               !steps.empty();
    }
};

/// Compares `before` (null: the file did not exist) with `after`, both planned with `options` but the ref.
PlanDiff compare_programs(const CheckedProgram* before, const CheckedProgram& after, const PlanOptions& options);

/// Lines of `after` against `before` as a unified diff's body: every line, with ' ', '-' or '+' before it.
std::vector<std::string> diff_lines(const std::vector<std::string>& before, const std::vector<std::string>& after);

/// The comparison for people; `no change in what runs` when there is none.
std::string render_diff_text(const PlanDiff& diff, const std::string& pipeline, const std::string& revision);
std::string render_diff_json(const PlanDiff& diff, const std::string& pipeline, const std::string& revision);

} // namespace chain
