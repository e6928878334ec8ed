// libFuzzer target: any bytes, read as the lines a user types into `chain repl`, must neither crash nor
// hang the session; completion is asked at every line too. Entries that touch the disk (:run, :load,
// :reload) are left out.
#include "interpreter/repl.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static chain::ReplSettings settings = [] {
        chain::ReplSettings made;
        made.ref = chain::refs::Ref{false, "release/1.4"};
        return made;
    }();
    chain::ReplSession session(settings);
    std::string_view text(reinterpret_cast<const char*>(data), size);
    std::string pending;
    chain::EntryScanner scanner;
    while (!text.empty()) {
        std::size_t end = text.find('\n');
        std::string_view line = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
        session.complete(line);
        pending += std::string(line) + "\n";
        scanner.feed(line);
        scanner.feed("\n");
        if (scanner.open()) {
            continue;
        }
        std::string_view entry = pending;
        entry.remove_prefix(std::min(entry.find_first_not_of(" \t\r\n"), entry.size()));
        if (!entry.starts_with(":run") && !entry.starts_with(":load") && !entry.starts_with(":reload")) {
            session.eval(pending);
        }
        pending.clear();
        scanner = {};
    }
    return 0;
}
