#pragma once

#include "ast.hpp"
#include "diagnostic.hpp"

#include <memory>
#include <vector>

namespace chain {

/// What parsing one file gives: the AST of every declaration that parsed, and the syntax diagnostics.
struct ParseResult {
    ast::File file;
    std::vector<Diagnostic> diagnostics;
    /// The first error is at the end of the text: more input could complete it (the REPL reads on).
    bool incomplete = false;
};

/// Parses a whole .chain file; after a syntax error it resumes at the next declaration that starts a line.
ParseResult parse(std::shared_ptr<const SourceFile> source);

} // namespace chain
