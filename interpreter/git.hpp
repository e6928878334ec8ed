#pragma once
// What chain reads from git, through libgit2: the ref being built and the facts version() needs.

#include "refs.hpp"

#include <optional>
#include <string>
#include <vector>

namespace chain {

/// A version tag (`v1.4.0` or `1.4.0`) reduced to its numbers.
struct VersionTag {
    int major = 0;
    int minor = 0;
    int patch = 0;
};

/// The facts of a repository that version() depends on.
struct GitFacts {
    std::optional<VersionTag> nearest_tag;  // T: the version tag reachable from HEAD with the fewest commits after it
    std::size_t commits_since_tag = 0;      // N: commits reachable from HEAD and not from T (all commits if no T)
    std::optional<VersionTag> head_tag;     // the version tag on HEAD itself, if any
};

/// The repository around a pipeline file, read once.
struct GitRepository {
    std::optional<refs::Ref> head; // the current branch, or a tag on a detached HEAD
    GitFacts facts;
    std::string problem; // why there is no head ref: no repository, no commits, a detached HEAD without a tag
};

/// Opens the repository that contains `path` (searching upwards) and reads HEAD, tags and commit counts.
GitRepository read_repository(const std::string& path);

/// `v1.4.0`, `1.4.0` -> its numbers; anything else -> nothing.
std::optional<VersionTag> parse_version_tag(std::string_view name);

/// The PEP 440 version of SPEC.md section 4 for a ref, from the repository's facts.
std::string pipeline_version(const refs::Ref& ref, const GitFacts& facts);

} // namespace chain
