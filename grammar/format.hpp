#pragma once
// `chain fmt`: one canonical layout of a parsed file, as gofmt does for Go. It prints from the AST, so
// the meaning cannot change; comments are put back before the declaration or statement they precede,
// or after it on its line.

#include "ast.hpp"
#include "source.hpp"

#include <string>

namespace chain {

/// The canonical text of a file that parsed without errors. Formatting the result gives it again.
std::string format_file(const ast::File& file, const SourceFile& source);

} // namespace chain
