#pragma once

#include "program.hpp"

#include <string>
#include <vector>

namespace chain {

/// What the command line adds to a check: `-p NAME=VALUE` values of params.
struct CheckOptions {
    std::vector<std::string> param_settings; // each "NAME=VALUE"
    /// Keep the type of every expression (CheckedProgram::type_of), for an editor's hovers. Nothing else
    /// reads it, and on a large pipeline it is a fifth of the check's memory.
    bool keep_types = false;
};

struct CheckResult {
    CheckedProgram program;
    std::vector<Diagnostic> diagnostics; // errors and warnings of every phase, in source order
};

/// Binds names, types every expression, checks calls against the standard library, the needs graph and
/// the conditions of stages over every kind of ref. Semantic checks run only when no file has a syntax
/// error, since a partial AST would give misleading follow-up errors.
CheckResult check(LoadedProgram loaded, const stdlib::Registry& registry, const CheckOptions& options);

} // namespace chain
