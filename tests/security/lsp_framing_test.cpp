// The base protocol of chain lsp trusts no header: a length that is not digits, that does not fit, or
// that is over the limit is refused and the server reads on; a length that lies about a short input ends
// the input instead of allocating what it announced.

#include "interpreter/lsp.hpp"
#include "interpreter/lsp_framing.hpp"

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <sstream>
#include <string>

using chain::LspFrame;
using chain::read_lsp_frame;

namespace {

const std::string ping = R"({"jsonrpc":"2.0","id":7,"method":"shutdown"})";

/// A stream buffer that says how many bytes were asked of it: what a reader read, not what it announced.
class CountingBuffer : public std::stringbuf {
  public:
    explicit CountingBuffer(const std::string& text) : std::stringbuf(text) {}
    std::size_t read = 0;

  protected:
    std::streamsize xsgetn(char* s, std::streamsize n) override {
        std::streamsize got = std::stringbuf::xsgetn(s, n);
        read += static_cast<std::size_t>(got);
        return got;
    }
};

} // namespace

TEST_CASE("a message is read whole in pieces longer than one read") {
    std::string big = R"({"jsonrpc":"2.0","method":"x","params":{"text":")" + std::string(300'000, 'a') + "\"}}";
    std::istringstream in(chain::lsp_framed(ping) + "\r\n" + "content-length:" + std::to_string(big.size()) +
                          "\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n" + big);
    LspFrame first = read_lsp_frame(in);
    CHECK(first.kind == LspFrame::Kind::message);
    CHECK(first.body == ping);
    LspFrame second = read_lsp_frame(in); // after a stray blank line, headers in any case
    CHECK(second.kind == LspFrame::Kind::message);
    CHECK(second.body.size() == big.size());
    CHECK((second.body == big));
    CHECK(read_lsp_frame(in).kind == LspFrame::Kind::end);
}

TEST_CASE("a negative or signed or non-numeric Content-Length is refused and the next message is read") {
    for (std::string length : {"-5", "+5", "5x", "", "0x10", "1e3"}) {
        std::istringstream in("Content-Length: " + length + "\r\n\r\n" + chain::lsp_framed(ping));
        LspFrame refused = read_lsp_frame(in);
        CHECK(refused.kind == LspFrame::Kind::refused);
        CHECK(refused.error == "the message with Content-Length '" + length +
                                   "' was ignored: that is not a number of bytes");
        LspFrame next = read_lsp_frame(in);
        CHECK(next.kind == LspFrame::Kind::message);
        CHECK(next.body == ping);
    }
}

TEST_CASE("a Content-Length that does not fit 64 bits is refused and not wrapped around") {
    std::istringstream in("Content-Length: 18446744073709551621\r\n\r\n" + chain::lsp_framed(ping));
    CHECK(read_lsp_frame(in).kind == LspFrame::Kind::refused);
    CHECK(read_lsp_frame(in).body == ping);
}

TEST_CASE("a message over the limit is skipped without being kept and the next one is read") {
    std::string large(5000, 'x');
    CountingBuffer buffer("Content-Length: 5000\r\n\r\n" + large + chain::lsp_framed(ping));
    std::istream in(&buffer);
    LspFrame skipped = read_lsp_frame(in, 1000);
    CHECK(skipped.kind == LspFrame::Kind::refused);
    CHECK(skipped.error == "a message of 5000 bytes was skipped: the limit is 1000 bytes");
    CHECK(skipped.body.empty());
    CHECK(read_lsp_frame(in, 1000).body == ping);
    CHECK(buffer.read == large.size() + ping.size());
}

TEST_CASE("a length above 2^63 over a short input skips to its end and stops") {
    CountingBuffer buffer("Content-Length: 9223372036854775809\r\n\r\n" + chain::lsp_framed(ping));
    std::istream in(&buffer);
    LspFrame frame = read_lsp_frame(in);
    CHECK(frame.kind == LspFrame::Kind::end);
    CHECK(frame.error == "a message of 9223372036854775809 bytes was skipped: the limit is 67108864 bytes; "
                         "the input ended inside it");
    CHECK(buffer.read == chain::lsp_framed(ping).size());
}

TEST_CASE("a length that lies about a short input ends it keeping only the bytes that came") {
    CountingBuffer buffer("Content-Length: 60000000\r\n\r\n" + ping);
    std::istream in(&buffer);
    LspFrame frame = read_lsp_frame(in);
    CHECK(frame.kind == LspFrame::Kind::end);
    CHECK(frame.error == "the input ended after " + std::to_string(ping.size()) + " of the 60000000 bytes of a message");
    CHECK(buffer.read == ping.size());
}

TEST_CASE("headers without Content-Length are refused and the next header is found after their body") {
    std::istringstream in("Content-Type: application/json\r\n\r\n" + ping + chain::lsp_framed(ping));
    LspFrame refused = read_lsp_frame(in);
    CHECK(refused.kind == LspFrame::Kind::refused);
    CHECK(refused.error == "a message without a Content-Length header was ignored");
    LspFrame next = read_lsp_frame(in);
    CHECK(next.kind == LspFrame::Kind::message);
    CHECK(next.body == ping);
}

TEST_CASE("an endless header line is kept to its end and costs no more memory") {
    std::string garbage(10'000'000, 'g');
    std::istringstream in(garbage + chain::lsp_framed(ping));
    LspFrame next = read_lsp_frame(in);
    CHECK(next.kind == LspFrame::Kind::message);
    CHECK(next.body == ping);
}

TEST_CASE("an input that ends inside headers ends the session saying so") {
    std::istringstream in("Content-Length: 12\r\n");
    LspFrame frame = read_lsp_frame(in);
    CHECK(frame.kind == LspFrame::Kind::end);
    CHECK(frame.error == "the input ended inside a message's header");
}

TEST_CASE("a refused message is answered with a JSON-RPC parse error that is valid JSON whatever the bytes") {
    chain::LanguageServer server;
    std::istringstream in("Content-Length: \xff\xfe-1\r\n\r\n");
    LspFrame frame = read_lsp_frame(in);
    REQUIRE(frame.kind == LspFrame::Kind::refused);
    nlohmann::json reply = nlohmann::json::parse(server.unreadable(frame.error).at(0));
    CHECK(reply["error"]["code"] == -32700);
    CHECK(reply["id"] == nullptr);
    CHECK(reply["error"]["message"] ==
          "the message with Content-Length '\\xFF\\xFE-1' was ignored: that is not a number of bytes");
    nlohmann::json bad_json = nlohmann::json::parse(server.handle("{\"a\": \"\xff\"}").at(0));
    CHECK(bad_json["error"]["code"] == -32700);
}
