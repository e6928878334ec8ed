#pragma once
// A file-system failure as a user reads it: what chain was doing, on which path, and why it failed.

#include <filesystem>
#include <string>
#include <string_view>

namespace chain {

/// `cannot create directories: /repo/.chain/runs: Not a directory` (with the second path, when there is
/// one, after the first). libstdc++ puts the operation, the reason and the paths in one sentence.
inline std::string file_error_text(const std::filesystem::filesystem_error& error) {
    std::string_view what = error.what();
    constexpr std::string_view prefix = "filesystem error: ";
    if (what.substr(0, prefix.size()) == prefix) {
        what.remove_prefix(prefix.size());
    }
    std::string reason = error.code().message();
    std::size_t operation_end = what.find(": " + reason);
    std::string text(operation_end == std::string_view::npos ? what.substr(0, what.find(" [")) : what.substr(0, operation_end));
    for (const std::filesystem::path* path : {&error.path1(), &error.path2()}) {
        if (!path->empty()) {
            text += ": " + path->string();
        }
    }
    return text + ": " + reason;
}

} // namespace chain
