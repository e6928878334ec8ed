#include "checkout.hpp"

#include "interpreter/git.hpp"

#include <boost/process.hpp>
#include <boost/process/extend.hpp>
#include <fmt/format.h>
#include <git2.h>

#include <cerrno>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>

#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace chain::server {

namespace fs = std::filesystem;
namespace bp = boost::process;

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

/// The first line git wrote, which says why (the lines after it advise on access rights).
std::string first_line(std::string_view output) {
    std::size_t start = output.find_first_not_of("\r\n");
    if (start == std::string_view::npos) {
        return "";
    }
    std::string_view rest = output.substr(start);
    return std::string(rest.substr(0, rest.find_first_of("\r\n")));
}

/// Whether the process ends within `limit` (true also where the kernel cannot tell: the caller then waits).
bool ends_within(pid_t pid, std::chrono::milliseconds limit) {
    int handle = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
    if (handle < 0) {
        return true;
    }
    pollfd ended{handle, POLLIN, 0};
    int ready;
    do {
        ready = ::poll(&ended, 1, static_cast<int>(limit.count()));
    } while (ready < 0 && errno == EINTR);
    ::close(handle);
    return ready != 0;
}

} // namespace

std::string fetch_mirror(const fs::path& mirror, const std::string& url, std::chrono::milliseconds limit) {
    init_libgit2();
    std::lock_guard lock(mirror_mutex(mirror));
    Repository repository;
    if (git_repository_open_bare(&repository.ptr, mirror.c_str()) != 0 &&
        git_repository_init(&repository.ptr, mirror.c_str(), 1) != 0) {
        return last_error(fmt::format("cannot make the mirror {}", mirror.string()));
    }
    boost::filesystem::path git = bp::search_path("git");
    if (git.empty()) {
        return fmt::format("cannot fetch {}: the git command is not on PATH (chain serve fetches with it)", url);
    }
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> said(std::tmpfile(), std::fclose);
    if (!said) {
        return fmt::format("cannot fetch {}: cannot make a temporary file for git's output", url);
    }
    // The git command, not libgit2's transports: it fetches as the server's user would by hand, with their
    // ssh configuration, keys, agent and known hosts and the system's certificates. `--` makes the URL a
    // repository even where it starts with a dash; the ext:: transport, which runs a command, is refused.
    // Its own session has no terminal, and prompts are off: a server cannot answer a password or host key
    // question, and a fetch that waited for one would hold its worker.
    bp::environment env = boost::this_process::environment();
    env["GIT_TERMINAL_PROMPT"] = "0";
    std::vector<std::string> args{"--git-dir=" + mirror.string(), "-c", "protocol.ext.allow=never",
                                  "fetch", "--prune", "--quiet", "--", url,
                                  "+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"};
    std::error_code start_error;
    bp::child child(git, args, env, (bp::std_out & bp::std_err) > said.get(), bp::std_in < bp::null,
                    bp::extend::on_exec_setup([](auto&) { ::setsid(); }), start_error);
    if (start_error) {
        return fmt::format("cannot fetch {}: cannot start git: {}", url, start_error.message());
    }
    // A remote that takes the connection and then says nothing would hold the worker for ever. git is the
    // leader of its own process group: its ssh or https helper goes with it.
    if (!ends_within(child.id(), limit)) {
        ::kill(-child.id(), SIGKILL);
        child.wait();
        return fmt::format("cannot fetch {}: no answer within {} s; git was stopped", url,
                           std::chrono::duration_cast<std::chrono::seconds>(limit).count());
    }
    child.wait();
    if (child.exit_code() == 0) {
        return "";
    }
    std::string output;
    std::rewind(said.get());
    char buffer[4096];
    for (std::size_t read; (read = std::fread(buffer, 1, sizeof buffer, said.get())) > 0;) {
        output.append(buffer, read);
    }
    std::string reason = first_line(output);
    return fmt::format("cannot fetch {}: {}", url,
                       reason.empty() ? fmt::format("git fetch ended with {}", child.exit_code()) : reason);
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
