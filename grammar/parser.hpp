#pragma once

#include "ast.hpp"
#include "diagnostic.hpp"

#include <memory>
#include <optional>
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

/// What parsing a lone expression gives: the expression when there is no error.
struct ExpressionResult {
    std::optional<ast::Expr> expr;
    std::vector<Diagnostic> diagnostics;
    bool incomplete = false;
};

/// Parses text that must be exactly one expression.
ExpressionResult parse_expression(std::shared_ptr<const SourceFile> source);

} // namespace chain
