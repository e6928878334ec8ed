#pragma once
// The plan: what would run for one ref, as plain data. The dry run prints it and the executor runs it,
// so what `chain plan` shows is by construction what `chain run` does.

#include "git.hpp"
#include "program.hpp"
#include "refs.hpp"
#include "secrets.hpp"
#include "stdlib/value.hpp"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace chain {

/// Where a top-level param, let or secret got its value, as `plan --explain`, `plan --params` and the REPL
/// show it.
struct ValueSource {
    ValueKind kind = ValueKind::let;
    std::string name;
    std::string value;  // as a chain literal; `***` for a secret and for a value a secret went into
    std::string source; // `default (pipeline.chain:4)`, `-p on the command line`, `pipeline.chain:6` (a let),
                        // `env ACME_TOKEN, set` (a secret)
    /// `param pythons = ["3.11"]  # default (pipeline.chain:4)`
    std::string line() const;
};

/// One instance of a stage: the stage itself, or one value of its matrix (`test[python=3.11]`).
struct StageInstance {
    std::string name;
    std::string stage;
    bool runs = false;
    std::string reason;                     // why it runs or not, in words
    std::vector<std::string> explanation;   // the condition evaluated step by step (plan --explain)
    std::vector<std::string> needs;         // instance names
    std::vector<stdlib::Step> steps;        // empty when it does not run
    std::map<std::string, std::string> artifacts; // name -> path
    std::vector<std::string> outputs;             // the folders its steps write artifacts into
    std::optional<std::int64_t> timeout_ms;
    std::int64_t retries = 0;
    bool manual = false;
    bool allow_failure = false; // a failure of it does not fail the run, and its dependants run
    std::vector<std::string> inputs;
    std::vector<ValueSource> values; // the params, lets and secrets the stage uses, through lets and fns too
};

/// Every stage instance in an execution order (each after the ones it needs).
struct Plan {
    std::string pipeline;
    refs::Ref ref;
    std::string version;
    std::vector<StageInstance> stages;
    /// The values of secrets and their shell-quoted forms: shown as *** wherever they appear.
    std::vector<std::string> secrets;
    /// Secrets the plan uses whose variable is not set, empty, or too short to mask: none may be run.
    std::vector<SecretProblem> secret_problems;
};

/// What the plan depends on besides the program.
struct PlanOptions {
    refs::Ref ref;
    GitFacts git;
    std::vector<std::string> approved; // manual stages named with --approve
    std::string chain_program = "chain";
    /// Fill each instance's `explanation`: only `plan --explain` and the REPL show it, and a stage's
    /// explanation costs more than its verdict.
    bool explain = true;
    /// Called with each stage instance once it is planned, with the plan so far. The instance stays in the
    /// plan (later ones need its name, and the plan's header its verdict), but all else is the callee's to
    /// take: `chain plan` renders it and drops it, so the steps of 10,000 stages are never all held.
    std::function<void(const Plan& so_far, StageInstance& finished)> finished;
};

/// Expands matrices, fns and when blocks, evaluates every argument and asks each builtin for its steps.
/// The program must have checked without errors.
Plan make_plan(const CheckedProgram& program, const PlanOptions& options);

/// The value of a top-level let, param or secret on the options' ref, evaluated as the plan evaluates it
/// (the REPL prints it). A value that a secret went into is marked secret.
stdlib::Value evaluate_value(const CheckedProgram& program, const PlanOptions& options, const GlobalValue& value);

/// Where every top-level param, let and secret of the program gets its value on the options' ref, in the
/// order they are declared.
std::vector<ValueSource> value_sources(const CheckedProgram& program, const PlanOptions& options);

} // namespace chain
