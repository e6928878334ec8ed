// The only file that spawns processes.

#include "runner.hpp"
#include "secrets.hpp"

// Boost.Process offers use_vfork only below the 2008 POSIX feature level, though glibc has vfork at all.
#define BOOST_POSIX_HAS_VFORK 1
#include <boost/process.hpp>
#include <boost/process/extend.hpp>
#include <boost/process/posix.hpp>

#include <algorithm>
#include <atomic>

#include <cerrno>
#include <condition_variable>
#include <cstdint>
#include <fcntl.h>
#include <csignal>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <mutex>
#include <poll.h>
#include <string_view>
#include <sys/syscall.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace chain {

namespace {

namespace bp = boost::process;

constexpr auto termination_grace = std::chrono::seconds(5);

/// How long output is still read after a step's leader has exited: what it printed last is in the pipe
/// already, but a process it left behind (`setsid cmd &`) may keep the pipe open for as long as it likes.
constexpr auto output_grace = std::chrono::milliseconds(200);

/// A line longer than this reaches the terminal and the live area in pieces of this size; the log has it
/// whole. A step printing without newlines then costs chain no memory.
constexpr std::size_t line_limit = 4096;

/// Where a piece of `line` of at most `limit` bytes ends without cutting a UTF-8 character.
std::size_t piece_end(const std::string& line, std::size_t limit) {
    std::size_t end = limit;
    while (end > limit - 3 && (static_cast<unsigned char>(line[end]) & 0xC0) == 0x80) {
        --end;
    }
    return end;
}

/// A step's output on its way out: secrets masked however the reads cut them, the whole of it into the
/// log, and line by line to `on_line`.
class StepOutput {
  public:
    StepOutput(const Command& command, std::function<void(const std::string&)> on_line)
        : log_path_(command.log_path), masker_(command.secrets), on_line_(std::move(on_line)) {}

    void feed(std::string_view bytes) { take(masker_.feed(bytes)); }

    void finish() {
        take(masker_.finish());
        if (!line_.empty()) {
            on_line_(line_);
            line_.clear();
        }
        log_.flush();
    }

    bool logged() const { return log_.is_open(); }

  private:
    void take(const std::string& text) {
        if (text.empty()) {
            return;
        }
        // The log and its folder are made at the first byte, here rather than before the start: making a
        // file costs more than a small command itself on a busy disk, and a step that prints nothing
        // needs none (as ninja keeps no output of a quiet command).
        if (!log_.is_open()) {
            std::error_code ignored;
            std::filesystem::create_directories(std::filesystem::path(log_path_).parent_path(), ignored);
            log_.open(log_path_, std::ios::binary);
        }
        log_.write(text.data(), static_cast<std::streamsize>(text.size()));
        // Written through as it comes, so that the log can be followed while the step runs (`tail -f`,
        // chain serve's run page).
        log_.flush();
        for (std::size_t at = 0; at < text.size();) {
            std::size_t newline = text.find('\n', at);
            std::size_t end = newline == std::string::npos ? text.size() : newline;
            line_.append(text, at, end - at);
            while (line_.size() > line_limit) {
                std::size_t cut = piece_end(line_, line_limit);
                on_line_(line_.substr(0, cut));
                line_.erase(0, cut);
            }
            if (newline == std::string::npos) {
                break;
            }
            on_line_(line_);
            line_.clear();
            at = newline + 1;
        }
    }

    std::string log_path_;
    std::ofstream log_;
    StreamMasker masker_;
    std::function<void(const std::string&)> on_line_;
    std::string line_;
};

/// Puts the child into a process group of its own, so that a timeout or an interrupt reaches its
/// children too, gives it the signal mask chain itself started with, and has the kernel kill it when
/// chain dies (even of SIGKILL). This runs in the vforked child: system calls only.
struct OwnProcessGroup : bp::extend::handler {
    pid_t parent = getpid();

    template <typename Executor> void on_exec_setup(Executor&) const {
        setpgid(0, 0);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr);
        // The death signal comes when the thread that started the child ends: the executor's, which lives
        // as long as the run. Had chain died before this line, no signal would come, hence the check.
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent) {
            _exit(128 + SIGKILL);
        }
    }
};

/// Kills the process groups of the running steps when chain dies, however it dies: a process forked before
/// any step that reads a pipe only chain writes to, and sees its end when chain is gone. The kernel's death
/// signal ends a step's leader; this ends what the leader started too.
class GroupGuard {
  public:
    GroupGuard() {
        int ends[2];
        if (pipe2(ends, O_CLOEXEC) != 0) {
            return; // no guard: the death signal still ends the leaders
        }
        pid_t pid = fork();
        if (pid == 0) {
            watch(ends[0]);
        }
        ::close(ends[0]);
        if (pid < 0) {
            ::close(ends[1]);
            return;
        }
        pid_ = pid;
        fd_ = ends[1];
    }
    GroupGuard(const GroupGuard&) = delete;
    GroupGuard& operator=(const GroupGuard&) = delete;

    ~GroupGuard() {
        if (fd_ >= 0) {
            ::close(fd_);
            waitpid(pid_, nullptr, 0);
        }
    }

    void add(pid_t group) { send(group); }
    void remove(pid_t group) { send(-group); }

  private:
    /// One word a message, below PIPE_BUF: writes from several threads never interleave.
    void send(std::int32_t word) {
        if (fd_ >= 0) {
            [[maybe_unused]] ssize_t written = ::write(fd_, &word, sizeof word);
        }
    }

    /// The guard's whole life. Chain may have had threads when it forked: system calls only.
    [[noreturn]] static void watch(int fd) {
        if (fd > 0) {
            ::close_range(0, static_cast<unsigned>(fd) - 1, 0);
        }
        ::close_range(static_cast<unsigned>(fd) + 1, ~0U, 0);
        // Ctrl-C on the terminal reaches chain's process group, the guard's too: chain answers it.
        struct sigaction ignore = {};
        ignore.sa_handler = SIG_IGN;
        for (int signal : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP}) {
            sigaction(signal, &ignore, nullptr);
        }
        static pid_t groups[4096];
        std::size_t count = 0;
        std::int32_t word = 0;
        while (::read(fd, &word, sizeof word) == static_cast<ssize_t>(sizeof word)) {
            if (word > 0 && count < std::size(groups)) {
                groups[count++] = word;
            } else if (word < 0) {
                auto end = std::remove(groups, groups + count, -word);
                count = static_cast<std::size_t>(end - groups);
            }
        }
        for (std::size_t i = 0; i < count; ++i) {
            ::kill(-groups[i], SIGKILL);
        }
        _exit(0);
    }

    pid_t pid_ = -1;
    int fd_ = -1;
};

class ProcessRunner : public CommandRunner {
  public:
    ProcessRunner() {
        // SIGINT and SIGTERM are taken by one thread with sigwait; every other thread has them blocked.
        sigset_t signals;
        sigemptyset(&signals);
        sigaddset(&signals, SIGINT);
        sigaddset(&signals, SIGTERM);
        pthread_sigmask(SIG_BLOCK, &signals, &previous_mask_);
        signal_thread_ = std::thread([this, signals] {
            int received = 0;
            while (sigwait(&signals, &received) == 0) {
                if (stopping_) {
                    return;
                }
                std::lock_guard lock(mutex_);
                interrupted_ = true;
                changed_.notify_all();
            }
        });
    }

    ~ProcessRunner() override {
        for (auto& [token, running] : running_) {
            ::kill(-running.pid, SIGKILL);
        }
        for (auto& [token, thread] : threads_) {
            thread.join();
        }
        stopping_ = true;
        pthread_kill(signal_thread_.native_handle(), SIGTERM);
        signal_thread_.join();
        pthread_sigmask(SIG_SETMASK, &previous_mask_, nullptr);
    }

    void start(std::size_t token, const Command& command) override {
        std::string program = command.argv.at(0);
        if (program == "chain") {
            // As make runs $(MAKE): a pipeline that runs another (trigger) gets this very chain program.
            program = std::filesystem::read_symlink("/proc/self/exe").string();
        } else if (program.find('/') == std::string::npos) {
            program = found_on_path(program);
        }
        if (program.empty()) {
            finish(Finished{token, 127, "", "command not found: " + command.argv[0]});
            return;
        }
        auto environment = boost::this_process::environment();
        bp::environment env = environment;
        for (const auto& [name, value] : command.env) {
            env[name] = value;
        }
        if (!guard_) {
            guard_.emplace();
        }
        auto output = std::make_shared<bp::pipe>();
        auto child = std::make_shared<bp::child>();
        try {
            *child = bp::child(bp::exe = program,
                               bp::args = std::vector<std::string>(command.argv.begin() + 1, command.argv.end()),
                               (bp::std_out & bp::std_err) > *output, bp::std_in < bp::null,
                               bp::start_dir = command.workdir, bp::env = env, OwnProcessGroup{},
                               // fork would mark chain's whole heap copy-on-write at every start, and the
                               // faults that follow cost more than a small command itself.
                               bp::posix::use_vfork);
        } catch (const std::exception& e) {
            finish(Finished{token, 127, "", std::string("cannot start ") + command.argv[0] + ": " + e.what()});
            return;
        }
        guard_->add(child->id());
        {
            std::lock_guard lock(mutex_);
            running_[token] = Running{child->id(), {}, std::nullopt};
        }
        threads_[token] = std::thread([this, token, command, output, child] { follow(token, command, *output, *child); });
    }

    std::optional<Finished> wait(std::optional<Clock::time_point> until) override {
        std::unique_lock lock(mutex_);
        while (true) {
            if (!finished_.empty()) {
                Finished next = std::move(finished_.front());
                finished_.pop_front();
                // The thread that reported it has nothing left to do but return.
                auto thread = threads_.find(next.token);
                if (thread != threads_.end()) {
                    std::thread done = std::move(thread->second);
                    threads_.erase(thread);
                    lock.unlock();
                    done.join();
                }
                return next;
            }
            auto now = Clock::now();
            // Before anything returns: SIGKILL follows SIGTERM however the termination began.
            for (auto& [token, running] : running_) {
                if (running.kill_at && *running.kill_at <= now) {
                    ::kill(-running.pid, SIGKILL);
                    running.kill_at.reset();
                }
            }
            if (interrupted_ && !interrupt_reported_) {
                interrupt_reported_ = true;
                return std::nullopt;
            }
            if (until && *until <= now) {
                return std::nullopt;
            }
            std::optional<Clock::time_point> wake = until;
            for (auto& [token, running] : running_) {
                if (running.kill_at && (!wake || *running.kill_at < *wake)) {
                    wake = running.kill_at;
                }
            }
            if (wake) {
                changed_.wait_until(lock, *wake);
            } else {
                changed_.wait(lock);
            }
        }
    }

    void terminate(std::size_t token) override {
        std::lock_guard lock(mutex_);
        auto it = running_.find(token);
        if (it != running_.end() && !it->second.kill_at) {
            ::kill(-it->second.pid, SIGTERM);
            it->second.kill_at = Clock::now() + termination_grace;
        }
    }

    std::string last_line(std::size_t token) override {
        std::lock_guard lock(mutex_);
        auto it = running_.find(token);
        return it == running_.end() ? "" : it->second.last_line;
    }

    bool interrupted() const override {
        std::lock_guard lock(mutex_);
        return interrupted_;
    }

  private:
    /// PATH is searched once a program per run: a thousand steps of `touch` need one search. A program
    /// not found is searched again, as an earlier stage may have installed it.
    std::string found_on_path(const std::string& name) {
        auto known = programs_on_path_.find(name);
        if (known != programs_on_path_.end()) {
            return known->second;
        }
        std::string found = bp::search_path(name).string();
        if (!found.empty()) {
            programs_on_path_.emplace(name, found);
        }
        return found;
    }

    struct Running {
        pid_t pid;
        std::string last_line;
        std::optional<Clock::time_point> kill_at;
    };

    void finish(Finished done) {
        std::lock_guard lock(mutex_);
        running_.erase(done.token);
        finished_.push_back(std::move(done));
        changed_.notify_all();
    }

    /// Copies the command's output into its log (masked), remembers its last line, and reaps it. The step
    /// ends when its leader exits, not when its output does: whatever it left behind may hold the pipe.
    void follow(std::size_t token, const Command& command, bp::pipe& output, bp::child& child) {
        StepOutput out(command, [this, token, &command](const std::string& line) {
            std::lock_guard lock(mutex_);
            if (!command.echo_prefix.empty()) {
                std::fprintf(stdout, "%s%s\n", command.echo_prefix.c_str(), line.c_str());
                std::fflush(stdout);
            }
            std::size_t start = line.find_first_not_of(" \t\r");
            if (start != std::string::npos) {
                running_[token].last_line = line.substr(start);
            }
        });
        // glibc 2.36 declares pidfd_open without C linkage, so the system call is made directly.
        int leader = static_cast<int>(::syscall(SYS_pidfd_open, child.id(), 0));
        std::optional<Clock::time_point> leader_exited;
        char buffer[8192];
        while (true) {
            int timeout = -1;
            if (leader_exited) {
                auto left = std::chrono::ceil<std::chrono::milliseconds>(*leader_exited + output_grace - Clock::now());
                timeout = static_cast<int>(std::max<std::int64_t>(0, left.count()));
            }
            pollfd watched[2] = {{output.native_source(), POLLIN, 0}, {leader, POLLIN, 0}};
            int ready = poll(watched, leader_exited || leader < 0 ? 1 : 2, timeout);
            if (ready < 0 && errno == EINTR) {
                continue;
            }
            if (ready <= 0) {
                break; // the grace after the leader's exit has passed
            }
            if (watched[0].revents != 0) {
                ssize_t count = ::read(output.native_source(), buffer, sizeof buffer);
                if (count < 0 && errno == EINTR) {
                    continue;
                }
                if (count <= 0) {
                    break;
                }
                out.feed(std::string_view(buffer, static_cast<std::size_t>(count)));
            }
            if (!leader_exited && leader >= 0 && watched[1].revents != 0) {
                leader_exited = Clock::now();
            }
        }
        out.finish();
        if (leader >= 0) {
            ::close(leader);
        }
        // Before the leader is reaped, while its process id cannot name another process yet.
        guard_->remove(child.id());
        child.wait();
        int status = child.native_exit_code();
        int exit_code = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
        std::string last;
        {
            std::lock_guard lock(mutex_);
            last = running_[token].last_line;
        }
        finish(Finished{token, exit_code, last, "", out.logged()});
    }

    /// Forked at the first start, not before: a run with nothing to start (every stage up to date) forks
    /// nothing, and the copy-on-write faults a fork costs a large plan in memory come only with work to do.
    std::optional<GroupGuard> guard_;
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::map<std::size_t, Running> running_;
    std::deque<Finished> finished_;
    std::map<std::size_t, std::thread> threads_;
    std::map<std::string, std::string> programs_on_path_;
    std::thread signal_thread_;
    sigset_t previous_mask_{};
    std::atomic<bool> stopping_ = false;
    bool interrupted_ = false;
    bool interrupt_reported_ = false;
};

} // namespace

std::unique_ptr<CommandRunner> make_process_runner() { return std::make_unique<ProcessRunner>(); }

} // namespace chain
