#include "json_line.hpp"

#include "grammar/source.hpp"

#include <nlohmann/json.hpp>

#include <charconv>
#include <cstring>

namespace chain {

namespace {

/// Printable ASCII without a quote or backslash: written as it is, with no escape and no UTF-8 to check.
/// Eight bytes at a time (a record is mostly such text): a byte below 0x20 or from 0x80 up, or equal to
/// '"' or '\\', sets the top bit of some lane of `flagged`.
bool plain(std::string_view value) {
    constexpr std::uint64_t ones = 0x0101010101010101;
    constexpr std::uint64_t tops = 0x8080808080808080;
    auto has_zero = [](std::uint64_t x) { return (x - ones) & ~x & tops; };
    std::size_t i = 0;
    for (; i + 8 <= value.size(); i += 8) {
        std::uint64_t word;
        std::memcpy(&word, value.data() + i, 8);
        // (byte & 0x7F) + 0x60 reaches 0x80 exactly when the byte's low seven bits are 0x20 or more.
        std::uint64_t flagged = (~((word & ~tops) + ones * 0x60) | word) & tops;
        flagged |= has_zero(word ^ (ones * '"')) | has_zero(word ^ (ones * '\\'));
        if (flagged != 0) {
            return false;
        }
    }
    for (char c : value.substr(i)) {
        auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte >= 0x80 || c == '"' || c == '\\') {
            return false;
        }
    }
    return true;
}

} // namespace

void JsonLine::separate() {
    if (comma_) {
        out_ += ',';
    }
}

void JsonLine::open(char bracket) {
    separate();
    out_ += bracket;
    comma_ = false;
}

void JsonLine::close(char bracket) {
    out_ += bracket;
    comma_ = true;
}

void JsonLine::key(std::string_view name) {
    if (!append_plain(name, ':')) {
        separate();
        quoted(name);
        out_ += ':';
    }
    comma_ = false;
}

void JsonLine::text(std::string_view value) {
    if (!masker_.empty()) {
        separate();
        quoted(masker_.mask(value));
    } else if (!append_plain(value, '\0')) {
        separate();
        quoted(value);
    }
    comma_ = true;
}

bool JsonLine::append_plain(std::string_view value, char after) {
    // Nearly every key and value of a run record: the separator, the quoted value and what follows it in
    // one append (each += of a character is a call into the library's string).
    char buffer[128];
    if (value.size() > sizeof buffer - 4 || !plain(value)) {
        return false;
    }
    std::size_t size = 0;
    if (comma_) {
        buffer[size++] = ',';
    }
    buffer[size++] = '"';
    std::memcpy(buffer + size, value.data(), value.size());
    size += value.size();
    buffer[size++] = '"';
    if (after != '\0') {
        buffer[size++] = after;
    }
    out_.append(buffer, size);
    return true;
}

void JsonLine::number(std::int64_t value) {
    separate();
    char digits[24];
    out_.append(digits, std::to_chars(digits, digits + sizeof digits, value).ptr);
    comma_ = true;
}

void JsonLine::boolean(bool value) {
    separate();
    out_ += value ? "true" : "false";
    comma_ = true;
}

void JsonLine::quoted(std::string_view value) {
    if (find_invalid_utf8(value) != std::string_view::npos) {
        // Rare (a log name or an error quoting bytes that are not text): nlohmann's own replacement of
        // the bad bytes, so the record reads the same whichever way it was written.
        out_ += nlohmann::json(std::string(value)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        return;
    }
    static constexpr char hex[] = "0123456789abcdef";
    out_ += '"';
    // Runs of characters that need no escape are appended whole: most values have none that do.
    std::size_t run = 0;
    for (std::size_t i = 0; i < value.size(); ++i) {
        auto c = static_cast<unsigned char>(value[i]);
        if (c >= 0x20 && c != '"' && c != '\\') {
            continue;
        }
        out_.append(value.data() + run, i - run);
        run = i + 1;
        switch (c) {
        case '"': out_ += "\\\""; break;
        case '\\': out_ += "\\\\"; break;
        case '\b': out_ += "\\b"; break;
        case '\f': out_ += "\\f"; break;
        case '\n': out_ += "\\n"; break;
        case '\r': out_ += "\\r"; break;
        case '\t': out_ += "\\t"; break;
        default:
            out_ += "\\u00";
            out_ += hex[c >> 4];
            out_ += hex[c & 0xF];
        }
    }
    out_.append(value.data() + run, value.size() - run);
    out_ += '"';
}

} // namespace chain
