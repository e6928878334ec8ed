// libFuzzer target: any bytes, read as what an editor sends to `chain lsp`, go through the framing reader
// and the server's handling of each message; nothing may crash or hang, a body is never longer than the
// bytes that came, and every reply is valid JSON.
#include "interpreter/lsp.hpp"
#include "interpreter/lsp_framing.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // A small limit, so that messages over it are as easy to reach as the others.
    constexpr std::size_t limit = 4096;
    std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
    chain::LanguageServer server;
    while (true) {
        chain::LspFrame frame = chain::read_lsp_frame(in, limit);
        if (frame.kind == chain::LspFrame::Kind::end) {
            break;
        }
        if (frame.body.size() > size || frame.body.size() > limit) {
            std::abort(); // a body the input did not bring, or over the limit
        }
        auto replies = frame.kind == chain::LspFrame::Kind::message ? server.handle(frame.body)
                                                                     : server.unreadable(frame.error);
        for (const std::string& reply : replies) {
            (void)nlohmann::json::parse(reply); // throws, and so fails, on a reply that is not JSON
        }
        if (server.exited()) {
            break;
        }
    }
    return 0;
}
