#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace chain {

/// A half-open byte range [begin, end) in one source file.
struct SourceRange {
    std::uint32_t begin = 0;
    std::uint32_t end = 0;
    friend bool operator==(const SourceRange&, const SourceRange&) = default;
};

/// A 1-based line and column; the column counts code points, so carets line up under UTF-8 text.
struct LineColumn {
    std::uint32_t line = 1;
    std::uint32_t column = 1;
};

/// The text of one .chain file with its name and an index of line starts.
class SourceFile {
  public:
    SourceFile(std::string name, std::string text);

    const std::string& name() const { return name_; }
    const std::string& text() const { return text_; }

    /// Line and column of a byte offset (an offset at the end of the text is allowed).
    LineColumn position(std::uint32_t offset) const;
    /// The text of a 1-based line without its line break.
    std::string_view line_text(std::uint32_t line) const;
    std::uint32_t line_count() const { return static_cast<std::uint32_t>(line_starts().size()); }

  private:
    /// Made on first use: a file that is only parsed and checked without a diagnostic never needs it (a
    /// megabyte for a file of 10,000 stages).
    const std::vector<std::uint32_t>& line_starts() const;

    std::string name_;
    std::string text_;
    mutable std::once_flag lines_made_;
    mutable std::vector<std::uint32_t> line_starts_;
};

/// `text` as it is written inside a chain string literal: `"`, `\`, newline and tab escaped, and `$`
/// where it would begin `${` (with `interpolation_follows`, also as the last character).
std::string escaped_string_text(std::string_view text, bool interpolation_follows = false);
/// `text` as a chain string literal, in quotes.
std::string string_literal(std::string_view text);

/// Characters, not bytes: every byte that is not a UTF-8 continuation byte starts one.
std::size_t count_code_points(std::string_view text);

/// Offset of the first byte that is not part of valid UTF-8, or npos when the text is valid.
std::size_t find_invalid_utf8(std::string_view text);

} // namespace chain

namespace chain {

/// A source file read from disk, or why it could not be read ("no such file", "is a directory").
struct LoadedSource {
    std::shared_ptr<const SourceFile> source;
    std::string error;
};

/// Reads a file as a SourceFile named by the path as given.
LoadedSource load_source(const std::string& path);

} // namespace chain
