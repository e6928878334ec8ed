#include "git.hpp"

#include <fmt/format.h>
#include <git2.h>

#include <charconv>
#include <memory>

namespace chain {

namespace {

/// libgit2 is initialised once per process, for as long as it runs.
void init_libgit2() {
    static const int initialised = git_libgit2_init();
    (void)initialised;
}

template <typename T, void (*Free)(T*)> struct GitHandle {
    T* ptr = nullptr;
    GitHandle() = default;
    GitHandle(const GitHandle&) = delete;
    GitHandle& operator=(const GitHandle&) = delete;
    ~GitHandle() {
        if (ptr) {
            Free(ptr);
        }
    }
};

using Repository = GitHandle<git_repository, git_repository_free>;
using Reference = GitHandle<git_reference, git_reference_free>;
using Object = GitHandle<git_object, git_object_free>;
using Revwalk = GitHandle<git_revwalk, git_revwalk_free>;

struct TaggedCommit {
    std::string name;
    git_oid commit;
};

std::vector<TaggedCommit> list_tags(git_repository* repo) {
    std::vector<TaggedCommit> tags;
    git_strarray names{};
    if (git_tag_list(&names, repo) != 0) {
        return tags;
    }
    for (std::size_t i = 0; i < names.count; ++i) {
        Object target;
        std::string ref_name = std::string("refs/tags/") + names.strings[i];
        // Annotated tags point at a tag object: peel to the commit either way.
        if (git_revparse_single(&target.ptr, repo, (ref_name + "^{commit}").c_str()) == 0) {
            tags.push_back(TaggedCommit{names.strings[i], *git_object_id(target.ptr)});
        }
    }
    git_strarray_dispose(&names);
    return tags;
}

std::size_t count_commits(git_repository* repo, const git_oid& from, const git_oid* hide) {
    Revwalk walk;
    if (git_revwalk_new(&walk.ptr, repo) != 0 || git_revwalk_push(walk.ptr, &from) != 0) {
        return 0;
    }
    if (hide) {
        git_revwalk_hide(walk.ptr, hide);
    }
    std::size_t count = 0;
    git_oid oid;
    while (git_revwalk_next(&oid, walk.ptr) == 0) {
        ++count;
    }
    return count;
}

} // namespace

std::optional<VersionTag> parse_version_tag(std::string_view name) {
    if (!name.empty() && name[0] == 'v') {
        name.remove_prefix(1);
    }
    VersionTag tag;
    int* parts[] = {&tag.major, &tag.minor, &tag.patch};
    const char* p = name.data();
    const char* end = name.data() + name.size();
    for (std::size_t i = 0; i < 3; ++i) {
        auto [next, error] = std::from_chars(p, end, *parts[i]);
        if (error != std::errc() || next == p) {
            return std::nullopt;
        }
        p = next;
        if (i < 2) {
            if (p == end || *p != '.') {
                return std::nullopt;
            }
            ++p;
        }
    }
    return p == end ? std::optional(tag) : std::nullopt;
}

GitRepository read_repository(const std::string& path) {
    init_libgit2();
    GitRepository result;
    Repository repo;
    if (git_repository_open_ext(&repo.ptr, path.c_str(), 0, nullptr) != 0) {
        result.problem = fmt::format("'{}' is not inside a git repository", path);
        return result;
    }
    Reference head;
    int status = git_repository_head(&head.ptr, repo.ptr);
    if (status == GIT_EUNBORNBRANCH || status == GIT_ENOTFOUND) {
        result.problem = "the git repository has no commits yet";
        return result;
    }
    if (status != 0) {
        const git_error* error = git_error_last();
        result.problem = fmt::format("cannot read HEAD: {}", error ? error->message : "unknown error");
        return result;
    }
    Object head_commit;
    if (git_reference_peel(&head_commit.ptr, head.ptr, GIT_OBJECT_COMMIT) != 0) {
        result.problem = "HEAD does not point at a commit";
        return result;
    }
    const git_oid head_oid = *git_object_id(head_commit.ptr);

    std::vector<TaggedCommit> tags = list_tags(repo.ptr);
    std::optional<std::string> tag_on_head;
    std::optional<std::size_t> best_count;
    for (const TaggedCommit& tag : tags) {
        bool on_head = git_oid_equal(&tag.commit, &head_oid);
        if (on_head && (!tag_on_head || parse_version_tag(tag.name))) {
            tag_on_head = tag.name;
        }
        std::optional<VersionTag> version = parse_version_tag(tag.name);
        if (!version) {
            continue;
        }
        if (on_head) {
            result.facts.head_tag = version;
        }
        if (!on_head && git_graph_descendant_of(repo.ptr, &head_oid, &tag.commit) != 1) {
            continue;
        }
        std::size_t count = on_head ? 0 : count_commits(repo.ptr, head_oid, &tag.commit);
        auto newer = [](const VersionTag& a, const VersionTag& b) {
            return std::tie(a.major, a.minor, a.patch) > std::tie(b.major, b.minor, b.patch);
        };
        if (!best_count || count < *best_count || (count == *best_count && newer(*version, *result.facts.nearest_tag))) {
            best_count = count;
            result.facts.nearest_tag = version;
        }
    }
    result.facts.commits_since_tag = best_count ? *best_count : count_commits(repo.ptr, head_oid, nullptr);

    if (git_repository_head_detached(repo.ptr) == 1) {
        if (!tag_on_head) {
            result.problem = "HEAD is detached and no tag points at it";
            return result;
        }
        result.head = refs::Ref{true, *tag_on_head};
    } else {
        result.head = refs::Ref{false, git_reference_shorthand(head.ptr)};
    }
    return result;
}

std::string pipeline_version(const refs::Ref& ref, const GitFacts& facts) {
    VersionTag tag = facts.nearest_tag.value_or(VersionTag{});
    std::size_t n = facts.commits_since_tag;
    if (ref.is_tag) {
        if (auto named = parse_version_tag(ref.name)) {
            return fmt::format("{}.{}.{}", named->major, named->minor, named->patch);
        }
    }
    if (facts.head_tag) {
        return fmt::format("{}.{}.{}", facts.head_tag->major, facts.head_tag->minor, facts.head_tag->patch);
    }
    for (std::string_view prefix : {"release/", "hotfix/"}) {
        if (!ref.is_tag && ref.name.starts_with(prefix)) {
            // `release/1.4` gives 1.4.0, `hotfix/1.2.4` gives 1.2.4; a name without a version falls back to T.
            std::string_view rest = std::string_view(ref.name).substr(prefix.size());
            VersionTag base = tag;
            if (auto full = parse_version_tag(rest)) {
                base = *full;
            } else if (auto short_form = parse_version_tag(std::string(rest) + ".0")) {
                base = *short_form;
            }
            return fmt::format("{}.{}.{}rc{}", base.major, base.minor, base.patch, n);
        }
    }
    if (!ref.is_tag && (ref.name == "master" || ref.name == "main")) {
        return fmt::format("{}.{}.{}.post{}", tag.major, tag.minor, tag.patch, n);
    }
    return fmt::format("{}.{}.{}.dev{}", tag.major, tag.minor, tag.patch + 1, n);
}

} // namespace chain
