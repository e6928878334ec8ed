#pragma once
// Reading and replacing whole files, and the permissions of trees, for chain's own actions and the
// `.chain/` store.

#include <filesystem>
#include <string>
#include <string_view>

namespace chain::stdlib {

/// The bytes of a file; throws std::filesystem::filesystem_error when it cannot be read.
std::string read_file(const std::filesystem::path& file);

/// Writes `text` to `file` (making its folder) through a temporary name renamed over it, so that a
/// reader (pip, apt, the next run) sees the old or the new file whole.
void replace_file(const std::filesystem::path& file, const std::string& text);

/// Why `path` (relative to the pipeline's folder `root`) is not inside that folder, or "" when it is: it
/// leaves through `..` as written, or a symbolic link on the way leads out (`a symbolic link leads it out
/// of the repository, to /etc/passwd`), or one on the way cannot be followed. Every relative path chain
/// reads from outside input goes through it.
std::string leaves_repository(const std::filesystem::path& root, const std::string& path);
/// What leaves_repository() says of a path that leaves through `..` as written.
inline constexpr std::string_view leaves_through_dot_dot = "it leaves the repository through '..'";

/// Takes the write permission off `path` and everything under it (execute and read stay as they were);
/// symbolic links are not followed.
void make_read_only(const std::filesystem::path& path);
/// Gives the owner the write permission on `path` and everything under it, symbolic links not followed:
/// what a copy of a read-only artifact needs to be changed or removed.
void make_writable(const std::filesystem::path& path);
/// Removes `path` and everything under it, read-only folders too (whose entries only an owner with
/// write permission can remove); a symbolic link is removed, not followed.
void remove_tree(const std::filesystem::path& path);

} // namespace chain::stdlib
