#include "diagnostic.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>

namespace chain {

static const char* severity_name(Severity severity) {
    return severity == Severity::error ? "error" : "warning";
}

/// The source line of `range` with carets under it, and `label` after them.
static std::string render_snippet(const SourceFile& source, SourceRange range, const std::string& label) {
    LineColumn begin = source.position(range.begin);
    LineColumn end = source.position(range.end);
    // A line that is not UTF-8 is shown with '?' for each bad byte, so the terminal gets valid text.
    std::string line(source.line_text(begin.line));
    for (std::size_t bad = find_invalid_utf8(line); bad != std::string::npos; bad = find_invalid_utf8(line)) {
        line[bad] = '?';
    }
    std::string gutter = fmt::format("{:>5}", begin.line);
    std::string out = fmt::format("{} | {}\n", gutter, line);

    // Keep tabs in the caret line's indentation so the carets stay under the text in any tab width.
    std::string indent;
    std::uint32_t column = 1;
    for (std::size_t i = 0; i < line.size() && column < begin.column; ++i) {
        auto c = static_cast<unsigned char>(line[i]);
        if ((c & 0xC0) == 0x80) {
            continue;
        }
        indent += c == '\t' ? '\t' : ' ';
        ++column;
    }
    auto line_width = static_cast<std::uint32_t>(count_code_points(line));
    std::uint32_t last_column = end.line == begin.line ? end.column : line_width + 1;
    std::uint32_t width = last_column > begin.column ? last_column - begin.column : 1;
    std::string carets(width, '^');
    out += fmt::format("{} | {}{}", std::string(gutter.size(), ' '), indent, carets);
    if (!label.empty()) {
        out += " " + label;
    }
    return out + "\n";
}

std::string render_text(const Diagnostic& diagnostic) {
    if (!diagnostic.source) {
        return fmt::format("{}[{}]: {}\n", severity_name(diagnostic.severity), diagnostic.code, diagnostic.message);
    }
    const SourceFile& source = *diagnostic.source;
    LineColumn begin = source.position(diagnostic.range.begin);
    std::string out = fmt::format("{}:{}:{}: {}[{}]: {}\n", source.name(), begin.line, begin.column,
                                  severity_name(diagnostic.severity), diagnostic.code, diagnostic.message);
    out += render_snippet(source, diagnostic.range, diagnostic.hint);
    for (const DiagnosticNote& note : diagnostic.notes) {
        LineColumn at = source.position(note.range.begin);
        out += fmt::format("{}:{}:{}: note: {}\n", source.name(), at.line, at.column, note.message);
        out += render_snippet(source, note.range, "");
    }
    return out;
}

std::string render_json(const std::vector<Diagnostic>& diagnostics) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const Diagnostic& diagnostic : diagnostics) {
        nlohmann::ordered_json item;
        if (diagnostic.source) {
            LineColumn begin = diagnostic.source->position(diagnostic.range.begin);
            LineColumn end = diagnostic.source->position(diagnostic.range.end);
            item["file"] = diagnostic.source->name();
            item["line"] = begin.line;
            item["column"] = begin.column;
            item["end_line"] = end.line;
            item["end_column"] = end.column;
        } else {
            item["file"] = nullptr;
            item["line"] = nullptr;
            item["column"] = nullptr;
            item["end_line"] = nullptr;
            item["end_column"] = nullptr;
        }
        item["severity"] = severity_name(diagnostic.severity);
        item["code"] = diagnostic.code;
        item["message"] = diagnostic.message;
        item["hint"] = diagnostic.hint.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(diagnostic.hint);
        if (diagnostic.source && !diagnostic.notes.empty()) {
            nlohmann::ordered_json notes = nlohmann::ordered_json::array();
            for (const DiagnosticNote& note : diagnostic.notes) {
                LineColumn begin = diagnostic.source->position(note.range.begin);
                LineColumn end = diagnostic.source->position(note.range.end);
                notes.push_back({{"line", begin.line},
                                 {"column", begin.column},
                                 {"end_line", end.line},
                                 {"end_column", end.column},
                                 {"message", note.message}});
            }
            item["notes"] = std::move(notes);
        }
        list.push_back(std::move(item));
    }
    // Messages quote source text, which is valid UTF-8 by then; replace rather than throw if it is not.
    return nlohmann::ordered_json{{"diagnostics", list}}.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) +
           "\n";
}

bool has_errors(const std::vector<Diagnostic>& diagnostics) {
    return std::any_of(diagnostics.begin(), diagnostics.end(),
                       [](const Diagnostic& d) { return d.severity == Severity::error; });
}

} // namespace chain
