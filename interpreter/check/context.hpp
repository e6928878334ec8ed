#pragma once
// What the passes of the checker share: the program they check and add to, the diagnostics they report,
// and the facts the types pass finds in the bodies for the passes after it.

#include "interpreter/program.hpp"

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace chain::checker {

/// A dependency of a stage on another, with where the dependency is written.
struct NeedRef {
    std::size_t stage;
    SourceRange range;
    const ProgramFile* file;
};

/// A name bound inside a stage or fn: a block's let, a matrix variable, a fn parameter.
struct Local {
    std::string name;
    Type type;
    SourceRange range;
    const char* what; // "let", "matrix variable", "parameter", "artifact"
    bool used = false;
    const ProgramFile* file = nullptr;
    /// What of the same name it hides when it is bound (a local's `what`, a value's kind); null: nothing.
    const char* shadows = nullptr;

    bool unused_let() const { return !used && std::string_view(what) == "let"; }
    /// Whether the lints warn of it (W0506, W0502): only these are kept once out of scope.
    bool reported() const { return shadows || unused_let(); }
};

/// The program being checked, the diagnostics so far, and what each pass leaves for the passes after it.
struct Context {
    Context(CheckedProgram& program, const stdlib::Registry& registry)
        : program(program), registry(registry) {}

    CheckedProgram& program;
    const stdlib::Registry& registry;
    std::vector<Diagnostic> diagnostics;
    /// While set, nothing is reported: the types pass first walks the bodies only for their artifacts.
    bool quiet = false;
    /// Whether the types pass fills CheckedProgram::types (CheckOptions::keep_types).
    bool keep_types = false;

    // Sized by the declarations pass, filled by the types pass, read by the stage graph, the ref analysis
    // and the lints.
    std::vector<bool> value_used;                     // per top-level value
    std::vector<bool> fn_used;                        // per fn
    std::vector<std::vector<NeedRef>> needs;          // per stage: its needs as written, in source order
    std::vector<std::set<std::size_t>> fn_calls;      // per fn: the fns its body calls
    /// Filled by the types pass, read by the lints: (stage, artifact) for each artifact that something uses.
    std::set<std::pair<std::size_t, std::string_view>> artifact_used;
    std::vector<Local> finished_locals;               // the locals the lints report, once out of scope
    // Filled by the ref analysis, read by the effects pass: per stage, its condition on every witness ref,
    // judged once for each formula (stages with conditions written alike share one).
    std::vector<const conditions::Truths*> stage_runs;
    std::map<const conditions::Formula*, conditions::Truths> truths;

    void report(const ProgramFile* file, SourceRange range, Severity severity, std::string code,
                std::string message, std::string hint = "");
    void error(const ProgramFile* file, SourceRange range, std::string code, std::string message,
               std::string hint = "") {
        report(file, range, Severity::error, std::move(code), std::move(message), std::move(hint));
    }
    void warning(const ProgramFile* file, SourceRange range, std::string code, std::string message,
                 std::string hint = "") {
        report(file, range, Severity::warning, std::move(code), std::move(message), std::move(hint));
    }
    /// `FILE:LINE:COLUMN` of a position, for hints that point at another place.
    std::string where(const ProgramFile* file, SourceRange range) const;
};

} // namespace chain::checker
