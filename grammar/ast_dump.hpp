#pragma once

#include "ast.hpp"

#include <string>

namespace chain::ast {

/// The AST as an S-expression, one declaration a line: for tests and for comparing two parses.
std::string dump(const File& file);
std::string dump(const Expr& expr);

} // namespace chain::ast
