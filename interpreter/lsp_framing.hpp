#pragma once
// The base protocol of LSP: a message is header lines (`Content-Length: N`), a blank line, and N bytes of
// JSON. What comes in is trusted in nothing: a length is digits that fit, a message over the limit is read
// past without being kept, and a body is kept only as its bytes arrive, so that a length that lies about
// a short input costs no more memory than the input itself.

#include <cstddef>
#include <istream>
#include <string>
#include <string_view>

namespace chain {

/// The largest message `chain lsp` reads: a document of tens of megabytes is not a pipeline.
inline constexpr std::size_t max_lsp_message_bytes = 64 * 1024 * 1024;

/// What reading the input gave: a message's body, a message that was refused (and read past), or the end.
struct LspFrame {
    enum class Kind { message, refused, end } kind = Kind::end;
    std::string body;  // of a message
    std::string error; // why it was refused, or why the input ended inside a message
};

/// Reads the next message. A header block without a usable `Content-Length` (missing, not digits, too
/// large a number) is refused without a body to skip; a message longer than `limit` is refused and its
/// body read past in pieces. Header lines are kept to their last few kilobytes, and a `Content-Length:`
/// anywhere in a line counts: after a message whose length was missing, its body runs into the next
/// header, which is found there.
LspFrame read_lsp_frame(std::istream& in, std::size_t limit = max_lsp_message_bytes);

/// A body with its header, as it is written out.
std::string lsp_framed(std::string_view body);

} // namespace chain
