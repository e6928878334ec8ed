#include "checkout.hpp"

#include "interpreter/git.hpp"

#include <fmt/format.h>
#include <git2.h>

#include <map>
#include <mutex>

namespace chain::server {

namespace fs = std::filesystem;

namespace {

void init_libgit2() {
    static const int initialised = git_libgit2_init();
    (void)initialised;
}

template <typename T, void (*Free)(T*)> struct Handle {
    T* ptr = nullptr;
    Handle() = default;
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    ~Handle() {
        if (ptr) {
            Free(ptr);
        }
    }
};

using Repository = Handle<git_repository, git_repository_free>;
using Remote = Handle<git_remote, git_remote_free>;
using Object = Handle<git_object, git_object_free>;

std::string last_error(std::string_view doing) {
    const git_error* error = git_error_last();
    return fmt::format("{}: {}", doing, error && error->message ? error->message : "unknown git error");
}

/// One fetch or clone of a mirror at a time: libgit2 takes no lock of its own across processes' threads.
std::mutex& mirror_mutex(const fs::path& mirror) {
    static std::mutex guard;
    static std::map<std::string, std::mutex> mutexes;
    std::lock_guard lock(guard);
    return mutexes[mirror.string()];
}

} // namespace

std::string fetch_mirror(const fs::path& mirror, const std::string& url) {
    init_libgit2();
    if (start_git_network() != 0) {
        return last_error(fmt::format("cannot fetch {}", url));
    }
    std::lock_guard lock(mirror_mutex(mirror));
    Repository repository;
    if (git_repository_open_bare(&repository.ptr, mirror.c_str()) != 0 &&
        git_repository_init(&repository.ptr, mirror.c_str(), 1) != 0) {
        return last_error(fmt::format("cannot make the mirror {}", mirror.string()));
    }
    Remote remote;
    if (git_remote_create_anonymous(&remote.ptr, repository.ptr, url.c_str()) != 0) {
        return last_error(fmt::format("cannot fetch {}", url));
    }
    char heads[] = "+refs/heads/*:refs/heads/*";
    char tags[] = "+refs/tags/*:refs/tags/*";
    char* specs[] = {heads, tags};
    git_strarray refspecs{specs, 2};
    git_fetch_options options = GIT_FETCH_OPTIONS_INIT;
    options.prune = GIT_FETCH_PRUNE;
    if (git_remote_fetch(remote.ptr, &refspecs, &options, nullptr) != 0) {
        return last_error(fmt::format("cannot fetch {}", url));
    }
    return "";
}

std::string commit_of_ref(const fs::path& mirror, const std::string& ref) {
    init_libgit2();
    std::lock_guard lock(mirror_mutex(mirror));
    Repository repository;
    Object commit;
    if (git_repository_open_bare(&repository.ptr, mirror.c_str()) != 0 ||
        git_revparse_single(&commit.ptr, repository.ptr, (ref + "^{commit}").c_str()) != 0) {
        return "";
    }
    char hex[GIT_OID_HEXSZ + 1] = {};
    git_oid_tostr(hex, sizeof hex, git_object_id(commit.ptr));
    return hex;
}

std::string check_out(const fs::path& mirror, const std::string& commit, const fs::path& work_dir) {
    init_libgit2();
    std::lock_guard lock(mirror_mutex(mirror));
    git_clone_options options = GIT_CLONE_OPTIONS_INIT;
    options.checkout_opts.checkout_strategy = GIT_CHECKOUT_NONE;
    Repository repository;
    if (git_clone(&repository.ptr, mirror.c_str(), work_dir.c_str(), &options) != 0) {
        return last_error(fmt::format("cannot clone the mirror into {}", work_dir.string()));
    }
    git_oid oid;
    Object target;
    if (git_oid_fromstr(&oid, commit.c_str()) != 0 ||
        git_object_lookup(&target.ptr, repository.ptr, &oid, GIT_OBJECT_COMMIT) != 0) {
        return fmt::format("commit {} is not in the repository (was it pushed?)", commit);
    }
    git_checkout_options checkout = GIT_CHECKOUT_OPTIONS_INIT;
    checkout.checkout_strategy = GIT_CHECKOUT_FORCE;
    if (git_checkout_tree(repository.ptr, target.ptr, &checkout) != 0 ||
        git_repository_set_head_detached(repository.ptr, &oid) != 0) {
        return last_error(fmt::format("cannot check out {}", commit));
    }
    return "";
}

} // namespace chain::server
