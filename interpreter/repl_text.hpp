#pragma once
// The REPL's small text helpers, shared by the session (repl.cpp) and its views and actions
// (repl_commands.cpp).

#include "program.hpp"
#include "refs.hpp"
#include "repl.hpp"

#include <fmt/format.h>

#include <string>
#include <utility>
#include <string_view>

namespace chain::repl_text {

inline std::string_view trimmed(std::string_view text) {
    std::size_t begin = text.find_first_not_of(" \t\r\n");
    if (begin == std::string_view::npos) {
        return {};
    }
    std::size_t end = text.find_last_not_of(" \t\r\n");
    return text.substr(begin, end - begin + 1);
}

/// Where a declaration is: FILE:LINE.
inline std::string where(const ProgramFile* file, SourceRange range) {
    return fmt::format("{}:{}", file->source->name(), file->source->position(range.begin).line);
}

/// The text on one line, each run of blanks one space.
inline std::string collapsed(std::string_view text) {
    std::string out;
    bool space = false;
    for (char c : trimmed(text)) {
        bool blank = c == ' ' || c == '\t' || c == '\n' || c == '\r';
        if (blank && !space) {
            out += ' ';
        } else if (!blank) {
            out += c;
        }
        space = blank;
    }
    return out;
}

/// A reply that is an error message.
inline ReplReply failure(std::string message) { return ReplReply{std::move(message) + "\n", true, false, ""}; }

inline std::string describe_ref(const refs::Ref& ref) { return (ref.is_tag ? "tag " : "branch ") + ref.name; }

} // namespace chain::repl_text
