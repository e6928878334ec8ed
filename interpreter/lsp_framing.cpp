#include "lsp_framing.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

namespace chain {

namespace {

// A header line is a name and a short value; what is longer is garbage, of which the end is kept.
constexpr std::size_t max_header_line = 4096;
// A body is read, or read past, this much at a time.
constexpr std::size_t piece = 64 * 1024;

constexpr std::string_view content_length = "content-length:";

/// The next line without its line end, keeping its last max_header_line bytes; nothing at the end of input.
std::optional<std::string> header_line(std::streambuf& in) {
    std::string line;
    for (int c = in.sbumpc(); c != std::char_traits<char>::eof(); c = in.sbumpc()) {
        if (c == '\n') {
            if (!line.empty() && line.back() == '\r') {
                line.pop_back();
            }
            return line;
        }
        line += static_cast<char>(c);
        if (line.size() >= 2 * max_header_line) {
            line.erase(0, line.size() - max_header_line);
        }
    }
    return std::nullopt;
}

/// Where the value of the last `Content-Length:` in a line starts, compared without case.
std::optional<std::size_t> length_value_at(std::string_view line) {
    std::string lower(line);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
    std::size_t at = lower.rfind(content_length);
    return at == std::string::npos ? std::nullopt : std::optional(at + content_length.size());
}

/// A length as written: digits only, fitting 64 bits.
std::optional<std::uint64_t> parse_length(std::string_view text) {
    if (text.empty()) {
        return std::nullopt;
    }
    std::uint64_t value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        auto digit = static_cast<std::uint64_t>(c - '0');
        if (value > (UINT64_MAX - digit) / 10) {
            return std::nullopt;
        }
        value = value * 10 + digit;
    }
    return value;
}

/// Input bytes as they can be shown in a log line and a JSON message: printable ASCII, the rest escaped.
std::string shown(std::string_view text) {
    constexpr std::size_t most = 40;
    std::string out;
    for (char c : text.substr(0, most)) {
        auto byte = static_cast<unsigned char>(c);
        out += byte >= 0x20 && byte < 0x7F && c != '\\' ? std::string(1, c) : fmt::format("\\x{:02X}", byte);
    }
    return text.size() > most ? out + "..." : out;
}

/// Reads and drops `length` bytes, or up to the end of the input; false if the input ended first.
bool read_past(std::streambuf& in, std::uint64_t length) {
    std::vector<char> buffer(piece);
    while (length > 0) {
        auto want = static_cast<std::streamsize>(std::min<std::uint64_t>(length, piece));
        std::streamsize got = in.sgetn(buffer.data(), want);
        length -= static_cast<std::uint64_t>(got);
        if (got < want) {
            return false;
        }
    }
    return true;
}

LspFrame refused(std::string error) { return LspFrame{LspFrame::Kind::refused, "", std::move(error)}; }

} // namespace

LspFrame read_lsp_frame(std::istream& stream, std::size_t limit) {
    std::streambuf& in = *stream.rdbuf();
    std::optional<std::string> length_text;
    bool any_header = false;
    while (true) {
        std::optional<std::string> line = header_line(in);
        if (!line) {
            return LspFrame{LspFrame::Kind::end, "", any_header ? "the input ended inside a message's header" : ""};
        }
        if (line->empty()) {
            if (any_header) {
                break;
            }
            continue; // stray blank lines between messages
        }
        any_header = true;
        if (std::optional<std::size_t> at = length_value_at(*line)) {
            std::string_view value = std::string_view(*line).substr(*at);
            std::size_t begin = std::min(value.find_first_not_of(" \t"), value.size());
            length_text = std::string(value.substr(begin, value.find_last_not_of(" \t") + 1 - begin));
        }
    }
    if (!length_text) {
        return refused("a message without a Content-Length header was ignored");
    }
    std::optional<std::uint64_t> length = parse_length(*length_text);
    if (!length) {
        return refused(fmt::format("the message with Content-Length '{}' was ignored: that is not a number of bytes",
                                   shown(*length_text)));
    }
    if (*length > limit) {
        std::string error = fmt::format("a message of {} bytes was skipped: the limit is {} bytes", *length, limit);
        return read_past(in, *length) ? refused(std::move(error))
                                      : LspFrame{LspFrame::Kind::end, "", error + "; the input ended inside it"};
    }
    std::string body;
    while (body.size() < *length) {
        std::size_t had = body.size();
        std::size_t want = std::min<std::size_t>(*length - had, piece);
        body.resize(had + want);
        std::streamsize got = in.sgetn(body.data() + had, static_cast<std::streamsize>(want));
        body.resize(had + static_cast<std::size_t>(got));
        if (static_cast<std::size_t>(got) < want) {
            return LspFrame{LspFrame::Kind::end, "",
                            fmt::format("the input ended after {} of the {} bytes of a message", body.size(), *length)};
        }
    }
    return LspFrame{LspFrame::Kind::message, std::move(body), ""};
}

std::string lsp_framed(std::string_view body) { return fmt::format("Content-Length: {}\r\n\r\n{}", body.size(), body); }

} // namespace chain
