#pragma once

#include "source.hpp"

#include <memory>
#include <string>
#include <vector>

namespace chain {

enum class Severity { error, warning };

/// One finding about a source file: a code such as E0141, where it is, what is wrong and how to fix it.
/// A second place in the same file that explains a diagnostic: where a `{` that was never closed opened.
struct DiagnosticNote {
    SourceRange range;
    std::string message;
};

struct Diagnostic {
    std::shared_ptr<const SourceFile> source;
    SourceRange range;
    Severity severity = Severity::error;
    std::string code;
    std::string message;
    std::string hint;
    std::vector<DiagnosticNote> notes = {};
};

/// Compiler-style text: `file:line:col: error[CODE]: message`, the source line and carets under the range.
std::string render_text(const Diagnostic& diagnostic);
/// `{"diagnostics":[...]}` with file, line, column, end_line, end_column, severity, code, message, hint, and
/// `notes` (each with line, column, end_line, end_column, message) where there are any.
std::string render_json(const std::vector<Diagnostic>& diagnostics);

bool has_errors(const std::vector<Diagnostic>& diagnostics);

} // namespace chain
