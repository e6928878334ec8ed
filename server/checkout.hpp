#pragma once
// The server's git side: a bare mirror per repository, fetched at each push with the git command, and a
// fresh work folder per run with the exact commit checked out by libgit2.

#include <chrono>
#include <filesystem>
#include <string>

namespace chain::server {

/// Fetches every branch and tag of `url` into the bare mirror (made when missing), pruning what the remote
/// no longer has, with `git fetch`, stopped after `limit`. Empty when it worked, else why not (git's own
/// first line).
std::string fetch_mirror(const std::filesystem::path& mirror, const std::string& url,
                         std::chrono::milliseconds limit = std::chrono::minutes(10));

/// The commit a ref (`refs/heads/develop`) of the mirror points at; empty when it has no such ref.
std::string commit_of_ref(const std::filesystem::path& mirror, const std::string& ref);

/// Clones the mirror into `work_dir` (which must not exist) with `commit` checked out on a detached HEAD,
/// the branches and tags beside it (version() reads the tags). Empty when it worked, else why not.
std::string check_out(const std::filesystem::path& mirror, const std::string& commit,
                      const std::filesystem::path& work_dir);

} // namespace chain::server
