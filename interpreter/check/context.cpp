#include "context.hpp"

#include <fmt/format.h>

namespace chain::checker {

void Context::report(const ProgramFile* file, SourceRange range, Severity severity, std::string code,
                     std::string message, std::string hint) {
    if (quiet) {
        return;
    }
    diagnostics.push_back(Diagnostic{file ? file->source : nullptr, range, severity, std::move(code),
                                     std::move(message), std::move(hint)});
}

std::string Context::where(const ProgramFile* file, SourceRange range) const {
    LineColumn at = file->source->position(range.begin);
    return fmt::format("{}:{}:{}", file->source->name(), at.line, at.column);
}

} // namespace chain::checker
