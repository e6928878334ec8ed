#include "source.hpp"

#include <algorithm>
#include <cstring>

namespace chain {

SourceFile::SourceFile(std::string name, std::string text) : name_(std::move(name)), text_(std::move(text)) {}

const std::vector<std::uint32_t>& SourceFile::line_starts() const {
    std::call_once(lines_made_, [this] {
        const char* begin = text_.data();
        const char* end = begin + text_.size();
        line_starts_.reserve(static_cast<std::size_t>(std::count(begin, end, '\n')) + 1);
        line_starts_.push_back(0);
        for (const char* p = begin; (p = static_cast<const char*>(std::memchr(p, '\n', end - p))) != nullptr; ++p) {
            line_starts_.push_back(static_cast<std::uint32_t>(p - begin + 1));
        }
    });
    return line_starts_;
}

static bool is_continuation_byte(unsigned char c) { return (c & 0xC0) == 0x80; }

LineColumn SourceFile::position(std::uint32_t offset) const {
    const std::vector<std::uint32_t>& starts = line_starts();
    offset = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(text_.size()));
    auto next_line = std::upper_bound(starts.begin(), starts.end(), offset);
    auto line_index = static_cast<std::uint32_t>(next_line - starts.begin() - 1);
    std::uint32_t column = 1;
    for (std::uint32_t i = starts[line_index]; i < offset; ++i) {
        if (!is_continuation_byte(static_cast<unsigned char>(text_[i]))) {
            ++column;
        }
    }
    return {line_index + 1, column};
}

std::string_view SourceFile::line_text(std::uint32_t line) const {
    const std::vector<std::uint32_t>& starts = line_starts();
    if (line == 0 || line > starts.size()) {
        return {};
    }
    std::uint32_t begin = starts[line - 1];
    std::uint32_t end = line < starts.size() ? starts[line] - 1 : static_cast<std::uint32_t>(text_.size());
    if (end > begin && text_[end - 1] == '\r') {
        --end;
    }
    return std::string_view(text_).substr(begin, end - begin);
}

std::size_t count_code_points(std::string_view text) {
    return static_cast<std::size_t>(std::count_if(
        text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::size_t find_invalid_utf8(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        // Most text is ASCII: skip it eight bytes at a time.
        if (i + 8 <= text.size()) {
            std::uint64_t chunk = 0;
            std::memcpy(&chunk, text.data() + i, 8);
            if ((chunk & 0x8080808080808080ULL) == 0) {
                i += 8;
                continue;
            }
        }
        auto c = static_cast<unsigned char>(text[i]);
        std::size_t length = 0;
        std::uint32_t code_point = 0;
        if (c < 0x80) {
            ++i;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            length = 2;
            code_point = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            length = 3;
            code_point = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            length = 4;
            code_point = c & 0x07;
        } else {
            return i;
        }
        if (i + length > text.size()) {
            return i;
        }
        for (std::size_t k = 1; k < length; ++k) {
            auto continuation = static_cast<unsigned char>(text[i + k]);
            if (!is_continuation_byte(continuation)) {
                return i;
            }
            code_point = (code_point << 6) | (continuation & 0x3F);
        }
        // Overlong forms, UTF-16 surrogates and values past U+10FFFF are not UTF-8.
        static constexpr std::uint32_t smallest[] = {0, 0, 0x80, 0x800, 0x10000};
        if (code_point < smallest[length] || (code_point >= 0xD800 && code_point <= 0xDFFF) ||
            code_point > 0x10FFFF) {
            return i;
        }
        i += length;
    }
    return std::string_view::npos;
}

} // namespace chain

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sys/stat.h>

namespace chain {

std::string escaped_string_text(std::string_view text, bool interpolation_follows) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        bool opens = i + 1 < text.size() ? text[i + 1] == '{' : interpolation_follows;
        switch (text[i]) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        case '$': out += opens ? "\\$" : "$"; break;
        default: out += text[i];
        }
    }
    return out;
}

std::string string_literal(std::string_view text) { return "\"" + escaped_string_text(text) + "\""; }

namespace {
constexpr std::size_t largest_source = std::size_t{64} << 20;
} // namespace

LoadedSource load_source(const std::string& path) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) {
        return {nullptr, std::string("cannot read '") + path + "': " + std::strerror(errno)};
    }
    if (S_ISDIR(info.st_mode)) {
        return {nullptr, std::string("'") + path + "' is a directory, not a .chain file"};
    }
    std::ifstream stream(path, std::ios::binary);
    if (!stream) {
        return {nullptr, std::string("cannot read '") + path + "': " + std::strerror(errno)};
    }
    // One read of the size stat gave: streaming the buffer in went character by character.
    std::string text(std::min(static_cast<std::size_t>(info.st_size), largest_source + 1), '\0');
    stream.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(stream.gcount()));
    // A pipe, a device or a file still growing: whatever stat did not count, in pieces, up to the limit,
    // so that an import of /dev/zero ends.
    char piece[65536];
    while (stream && text.size() <= largest_source) {
        stream.read(piece, sizeof piece);
        text.append(piece, static_cast<std::size_t>(stream.gcount()));
    }
    if (text.size() > largest_source) {
        return {nullptr, "'" + path + "' is larger than 64 MiB, more than a pipeline file can be"};
    }
    return {std::make_shared<SourceFile>(path, std::move(text)), {}};
}

} // namespace chain
