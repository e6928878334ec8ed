#pragma once
// `chain export`: the pipeline as a GitLab CI file or a GitHub Actions workflow. Every job runs its
// stage with `chain run --stage NAME --no-deps`, so what runs stays chain's own; the engine only decides
// when a job runs (the stage's condition), in which order (needs), carries the artifacts between jobs,
// and keeps the cache records of stages with `inputs` from one pipeline to the next. A condition the
// engine cannot express exactly is refused, never approximated.

#include "plan.hpp"

#include <string>
#include <vector>

namespace chain {

enum class CiEngine { gitlab, github };

struct ExportResult {
    std::string text;                    // the YAML, when there are no errors
    std::vector<Diagnostic> diagnostics; // what the engine cannot express, each at its stage
};

/// `plan` is any plan of the program (it gives the matrix instances, which do not depend on the ref);
/// `file` is the pipeline's path as the jobs run it, relative to the repository's root; `params` are the
/// -p settings it was exported with, which every job passes on.
ExportResult export_pipeline(const CheckedProgram& program, const Plan& plan, CiEngine engine, const std::string& file,
                             const std::vector<std::string>& params);

/// A job's script line, `chain run FILE -p PARAM... --stage STAGE --no-deps`, the file shell-quoted; each
/// -p value and the stage are already shell words: a value quoted (GitLab), the variable that holds it
/// ("$CHAIN_PARAM_1" on GitHub, "$CHAIN_INSTANCE" for a matrix job's instance), or the stage's name quoted.
/// A manual stage's job also gets `--approve STAGE` (its name quoted): the engine's button or required
/// reviewers are the approval, and without it the job would refuse to run the stage.
std::string export_command(const std::string& file, const std::vector<std::string>& param_words,
                           const std::string& stage_word, const std::string& approved_stage = "");

} // namespace chain
