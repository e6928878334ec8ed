#pragma once
// Reading and replacing whole files, for chain's own actions and the `.chain/` store.

#include <filesystem>
#include <string>

namespace chain::stdlib {

/// The bytes of a file; throws std::filesystem::filesystem_error when it cannot be read.
std::string read_file(const std::filesystem::path& file);

/// Writes `text` to `file` (making its folder) through a temporary name renamed over it, so that a
/// reader (pip, apt, the next run) sees the old or the new file whole.
void replace_file(const std::filesystem::path& file, const std::string& text);

} // namespace chain::stdlib
