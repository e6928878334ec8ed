#include "runs.hpp"

#include "checkout.hpp"

#include "interpreter/executor.hpp"
#include "interpreter/run_record.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <fstream>
#include <random>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace chain::server {

namespace fs = std::filesystem;

fs::path run_files(const ServerConfig& config, std::int64_t id) {
    return config.state / "runs" / std::to_string(id);
}

fs::path chain_run_folder(const RunRow& run) {
    if (run.work_dir.empty()) {
        return {};
    }
    std::error_code missing;
    fs::path newest;
    for (const auto& entry : fs::directory_iterator(fs::path(run.work_dir) / ".chain" / "runs", missing)) {
        if (entry.is_directory(missing) && (newest.empty() || entry.path().filename() > newest.filename())) {
            newest = entry.path();
        }
    }
    return newest;
}

namespace {

std::string random_token() {
    std::random_device device;
    std::string token;
    for (int i = 0; i < 4; ++i) {
        token += fmt::format("{:08x}", device());
    }
    return token;
}

/// The server's environment for a run: without the variables that hold the server's own secrets, which a
/// pipeline's steps have no business reading, and with where its trigger steps reach the server.
std::vector<std::string> run_environment(const ServerConfig& config, const std::string& server_url,
                                         const RunRow& run, const std::string& token) {
    std::vector<std::string> hidden;
    if (!config.token_env.empty()) {
        hidden.push_back(config.token_env);
    }
    for (const RepositoryConfig& repository : config.repositories) {
        hidden.push_back(repository.secret_env);
    }
    std::vector<std::string> environment;
    for (char** variable = environ; *variable; ++variable) {
        std::string_view entry = *variable;
        std::string_view name = entry.substr(0, entry.find('='));
        if (std::find(hidden.begin(), hidden.end(), name) == hidden.end() &&
            name.rfind("CHAIN_SERVER_", 0) != 0) {
            environment.emplace_back(entry);
        }
    }
    environment.push_back("CHAIN_SERVER_URL=" + server_url);
    environment.push_back(fmt::format("CHAIN_SERVER_RUN={}", run.id));
    environment.push_back("CHAIN_SERVER_RUN_TOKEN=" + token);
    for (const auto& [name, value] : run.upstream_env) {
        environment.push_back(name + "=" + value);
    }
    return environment;
}

/// Starts `argv` in `workdir` as the leader of a new process group, its output to `log`. It dies with the
/// thread that started it (PR_SET_PDEATHSIG), so that a server killed with SIGKILL leaves no run behind:
/// chain run's own guard then ends the steps' process groups.
pid_t spawn(const std::vector<std::string>& argv, const std::vector<std::string>& environment,
            const fs::path& workdir, const fs::path& log, std::string& error) {
    std::vector<char*> args;
    for (const std::string& arg : argv) {
        args.push_back(const_cast<char*>(arg.c_str()));
    }
    args.push_back(nullptr);
    std::vector<char*> env;
    for (const std::string& entry : environment) {
        env.push_back(const_cast<char*>(entry.c_str()));
    }
    env.push_back(nullptr);
    int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    int in = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (out < 0 || in < 0) {
        error = fmt::format("cannot open {}: {}", log.string(), std::strerror(errno));
        if (out >= 0) {
            ::close(out);
        }
        if (in >= 0) {
            ::close(in);
        }
        return -1;
    }
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        // Only async-signal-safe calls from here: the server has other threads.
        setpgid(0, 0);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent) {
            _exit(127);
        }
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr);
        dup2(in, STDIN_FILENO);
        dup2(out, STDOUT_FILENO);
        dup2(out, STDERR_FILENO);
        if (chdir(workdir.c_str()) != 0) {
            _exit(127);
        }
        execve(args[0], args.data(), env.data());
        _exit(127);
    }
    ::close(out);
    ::close(in);
    if (pid < 0) {
        error = fmt::format("cannot start chain run: {}", std::strerror(errno));
    }
    return pid;
}

std::optional<std::string> recorded_version(const fs::path& record) {
    std::ifstream in(record, std::ios::binary);
    nlohmann::json document = nlohmann::json::parse(in, nullptr, false);
    if (document.is_object() && document.contains("version") && document["version"].is_string()) {
        return document["version"].get<std::string>();
    }
    return std::nullopt;
}

} // namespace

RunPool::RunPool(const ServerConfig& config, RunDatabase& database, std::string chain_program)
    : config_(config), database_(database), chain_program_(std::move(chain_program)) {}

RunPool::~RunPool() {
    stop(std::chrono::seconds(0));
}

void RunPool::start(const std::string& server_url) {
    server_url_ = server_url;
    for (const RunRow& run : database_.interrupt_running()) {
        if (fs::path folder = chain_run_folder(run); !folder.empty()) {
            record_interrupted_run(folder.parent_path().parent_path(), folder.filename().string());
        }
    }
    std::lock_guard lock(mutex_);
    free_slots_ = config_.jobs;
    for (const RunRow& run : database_.queued_downstream()) {
        waiting_downstream_.emplace_back(run.id, run.upstream.value_or(0));
    }
    start_ready();
}

std::int64_t RunPool::queue(const NewRun& run) {
    std::lock_guard lock(mutex_);
    std::int64_t id = database_.enqueue(run);
    if (run.upstream) {
        waiting_downstream_.emplace_back(id, *run.upstream);
    }
    start_ready();
    return id;
}

TriggerResult RunPool::trigger(const RunRow& upstream, const std::string& repository, const std::string& ref,
                               std::vector<std::pair<std::string, std::string>> upstream_env) {
    const RepositoryConfig* downstream = config_.repository(repository);
    if (!downstream) {
        return {0, 404, fmt::format("no repository of this server is named '{}'", repository)};
    }
    fs::path mirror = config_.state / "mirrors" / (downstream->name + ".git");
    if (std::string error = fetch_mirror(mirror, downstream->url); !error.empty()) {
        return {0, 502, error};
    }
    std::string commit = commit_of_ref(mirror, ref);
    if (commit.empty()) {
        return {0, 404, fmt::format("repository '{}' has no {}", repository, ref)};
    }
    std::lock_guard lock(mutex_);
    if (stopping_) {
        return {0, 503, "the server is stopping"};
    }
    std::int64_t id =
        database_.enqueue(NewRun{downstream->name, ref, commit, fmt::format("run {}", upstream.id),
                                 upstream.approved, upstream.id, std::move(upstream_env), std::nullopt});
    waiting_downstream_.emplace_back(id, upstream.id);
    start_ready();
    return {id, 202, ""};
}

void RunPool::start_ready() {
    if (stopping_) {
        return;
    }
    for (std::thread& thread : exited_) {
        thread.join();
    }
    exited_.clear();
    // Downstream runs first: each has an upstream waiting for it.
    for (auto waiting = waiting_downstream_.begin(); waiting != waiting_downstream_.end();) {
        auto [id, upstream] = *waiting;
        std::optional<Slot> slot;
        if (auto lender = slots_.find(upstream); lender != slots_.end() && !lender->second.lent) {
            lender->second.lent = true;
            slot = Slot{upstream};
        } else if (free_slots_ > 0) {
            --free_slots_;
            slot = Slot{};
        }
        if (!slot) {
            ++waiting;
            continue;
        }
        waiting = waiting_downstream_.erase(waiting);
        std::optional<RunRow> run = database_.claim(id) ? database_.get(id) : std::nullopt;
        if (run) {
            launch(std::move(*run), *slot);
        } else {
            give_back(*slot);
        }
    }
    while (free_slots_ > 0) {
        std::optional<RunRow> run = database_.claim_next();
        if (!run) {
            break;
        }
        --free_slots_;
        launch(std::move(*run), Slot{});
    }
}

void RunPool::launch(RunRow run, Slot slot) {
    std::int64_t id = run.id;
    slots_[id] = slot;
    // The thread reaches finished() only through mutex_, which is held until it is in threads_.
    threads_.emplace(id, std::thread([this, run = std::move(run)]() mutable {
                         std::int64_t id = run.id;
                         execute(std::move(run));
                         std::lock_guard lock(mutex_);
                         finished(id);
                     }));
}

void RunPool::give_back(const Slot& slot) {
    if (auto lender = slot.lender ? slots_.find(*slot.lender) : slots_.end(); lender != slots_.end()) {
        lender->second.lent = false;
    } else {
        ++free_slots_;
    }
}

void RunPool::finished(std::int64_t id) {
    if (auto held = slots_.find(id); held != slots_.end()) {
        Slot slot = held->second;
        slots_.erase(held);
        if (slot.lent) {
            // A downstream of this run still runs on the slot (its upstream stopped waiting): it keeps it.
            for (auto& [other, borrowed] : slots_) {
                if (borrowed.lender == id) {
                    borrowed.lender = slot.lender;
                }
            }
        } else {
            give_back(slot);
        }
    }
    start_ready();
    if (auto self = threads_.find(id); self != threads_.end()) {
        exited_.push_back(std::move(self->second));
        threads_.erase(self);
    }
}

void RunPool::execute(RunRow run) {
    auto started = std::chrono::steady_clock::now();
    auto seconds = [&] {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    };
    const RepositoryConfig* repository = config_.repository(run.repository);
    if (!repository) {
        database_.finish(run.id, "failed", std::nullopt, 0,
                         "the repository is no longer in the configuration");
        return;
    }
    // Linked runs share the folder of the first run of their chain, as sibling checkouts share a parent on a
    // developer's machine: `../acme-web` and `pypi("../.index")` mean the same there as here.
    std::int64_t root = run.id;
    for (std::optional<std::int64_t> up = run.upstream; up;) {
        root = *up;
        std::optional<RunRow> upstream = database_.get(*up);
        up = upstream ? upstream->upstream : std::nullopt;
    }
    fs::path work = config_.state / "checkouts" / std::to_string(root) / run.repository;
    if (fs::exists(work)) {
        work += fmt::format(".{}", run.id);
    }
    fs::path files = run_files(config_, run.id);
    fs::create_directories(files);
    fs::create_directories(work.parent_path());
    fs::path mirror = config_.state / "mirrors" / (run.repository + ".git");
    std::string error = fetch_mirror(mirror, repository->url);
    if (error.empty()) {
        error = check_out(mirror, run.commit, work);
    }
    if (!error.empty()) {
        std::ofstream(files / "chain.log") << "chain serve: " << error << "\n";
        remove_past_runs(run.repository);
        database_.finish(run.id, "failed", std::nullopt, seconds(), error);
        return;
    }
    std::string token = random_token();
    database_.set_work(run.id, work.string(), token);
    bool tag = run.ref.rfind("refs/tags/", 0) == 0;
    std::vector<std::string> argv = {chain_program_,
                                     "run",
                                     tag ? "--tag" : "--branch",
                                     run.ref.substr(tag ? 10 : 11),
                                     "--record-copy",
                                     (files / "run.json").string()};
    for (const std::string& stage : run.approved) {
        argv.push_back("--approve");
        argv.push_back(stage);
    }
    argv.push_back("pipeline.chain");
    pid_t pid = -1;
    {
        std::lock_guard lock(mutex_);
        if (!stopping_) {
            pid = spawn(argv, run_environment(config_, server_url_, run, token), work, files / "chain.log",
                        error);
            if (pid > 0) {
                children_[run.id] = pid;
            }
        }
    }
    if (pid < 0 && error.empty()) {
        // The server is stopping: the run goes back to the queue, and its checkout with it.
        std::error_code ignored;
        fs::remove_all(work, ignored);
        database_.requeue(run.id);
        return;
    }
    int status = 0;
    if (pid > 0) {
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        std::lock_guard lock(mutex_);
        children_.erase(run.id);
        changed_.notify_all();
    }
    std::string outcome = "failed";
    if (pid <= 0) {
        outcome = "failed";
    } else if (WIFEXITED(status)) {
        int code = WEXITSTATUS(status);
        outcome = code == 0 ? "success" : code == 130 ? "interrupted" : "failed";
        if (code == 2) {
            error = "chain run stopped before running anything: see chain.log";
        }
    } else {
        outcome = "interrupted";
        error = fmt::format("chain run was killed by signal {}", WTERMSIG(status));
        if (fs::path folder = chain_run_folder(database_.get(run.id).value_or(run)); !folder.empty()) {
            record_interrupted_run(folder.parent_path().parent_path(), folder.filename().string());
        }
    }
    std::optional<std::string> version = recorded_version(files / "run.json");
    remove_past_runs(run.repository);
    database_.finish(run.id, outcome, version, seconds(), error);
}

void RunPool::remove_past_runs(const std::string& repository) {
    // Before this run is marked finished, so that whoever sees it finished sees the history trimmed: the
    // older ones past keep_runs, counting this one.
    std::vector<RunRow> past = database_.finished_past(repository, config_.keep_runs - 1);
    std::vector<std::int64_t> ids;
    for (const RunRow& old : past) {
        ids.push_back(old.id);
    }
    database_.remove(ids);
    for (const RunRow& old : past) {
        std::error_code ignored;
        fs::remove_all(run_files(config_, old.id), ignored);
        if (!old.work_dir.empty()) {
            fs::path work = old.work_dir;
            // Artifacts in the store are read-only: let remove_all through.
            for (auto it = fs::recursive_directory_iterator(work, ignored);
                 it != fs::recursive_directory_iterator(); it.increment(ignored)) {
                if (it->is_directory(ignored) && !it->is_symlink(ignored)) {
                    fs::permissions(it->path(), fs::perms::owner_all, fs::perm_options::add, ignored);
                }
            }
            fs::remove_all(work, ignored);
            fs::remove(work.parent_path(), ignored); // the chain's folder, once its last run is gone
        }
    }
}

void RunPool::stop(std::chrono::seconds grace) {
    std::unique_lock lock(mutex_);
    stopping_ = true;
    for (const auto& [id, pid] : children_) {
        kill(pid, SIGTERM);
    }
    if (!changed_.wait_for(lock, grace, [&] { return children_.empty(); })) {
        for (const auto& [id, pid] : children_) {
            kill(pid, SIGKILL);
        }
    }
    std::vector<std::thread> threads = std::move(exited_);
    exited_.clear();
    for (auto& [id, thread] : threads_) {
        threads.push_back(std::move(thread));
    }
    threads_.clear();
    lock.unlock();
    for (std::thread& thread : threads) {
        thread.join();
    }
}

} // namespace chain::server
