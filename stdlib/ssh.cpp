#include "ssh.hpp"

#include "files.hpp"
#include "value.hpp"

#include <boost/process.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

namespace chain::stdlib {

namespace fs = std::filesystem;
namespace bp = boost::process;

namespace {

bool name_character(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
}

/// A user or host name: word characters, never starting with `-` (which ssh would read as an option).
bool plain_name(std::string_view text, bool underscore_allowed) {
    return !text.empty() && text[0] != '-' && text[0] != '.' &&
           std::all_of(text.begin(), text.end(),
                       [&](char c) { return name_character(c) && (underscore_allowed || c != '_'); });
}

bool ipv6_address(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
        return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.';
    });
}

/// The parts of a name, or nothing when it has no such parts (syntax only).
struct NameParts {
    std::string_view user, host, port;
    bool bracketed = false;
};

NameParts split_name(std::string_view name) {
    NameParts parts;
    if (std::size_t at = name.find('@'); at != std::string_view::npos) {
        parts.user = name.substr(0, at);
        name = name.substr(at + 1);
    }
    if (name.starts_with('[')) {
        std::size_t close = name.find(']');
        parts.bracketed = true;
        parts.host = name.substr(1, close == std::string_view::npos ? std::string_view::npos : close - 1);
        if (close != std::string_view::npos && close + 1 < name.size() && name[close + 1] == ':') {
            parts.port = name.substr(close + 2);
        }
        return parts;
    }
    std::size_t colon = name.rfind(':');
    parts.host = name.substr(0, colon);
    if (colon != std::string_view::npos) {
        parts.port = name.substr(colon + 1);
    }
    return parts;
}

/// Removes the session's folder, which holds files only. A master told to exit answers first and unlinks its
/// socket after, so an entry can vanish between listing and unlinking; fs::remove_all then gives up and keeps
/// the folder. Here a vanished entry is simply gone, and a socket unlinked late is at most one more pass.
void remove_flat_folder(const fs::path& folder) {
    for (int pass = 0; pass < 4; ++pass) {
        std::error_code ignored;
        for (fs::directory_iterator entry(folder, ignored), end; !ignored && entry != end; entry.increment(ignored)) {
            ::unlink(entry->path().c_str());
        }
        if (::rmdir(folder.c_str()) == 0 || errno != ENOTEMPTY) {
            return;
        }
    }
}

volatile std::sig_atomic_t interrupt_seen = 0;
// The key file's path for the signal handler, which may only call async-signal-safe functions.
char key_path_for_signal[512];

// The processes a session waits for, one per host of a batch at most: an interrupt ends them at once,
// since a multiplexed ssh client that is told to stop may wait for its remote command first.
constexpr std::size_t waited_slots = 64;
std::atomic<pid_t> waited_for[waited_slots];
static_assert(std::atomic<pid_t>::is_always_lock_free, "the signal handler reads the slots");

extern "C" void on_interrupt(int) {
    interrupt_seen = 1;
    for (std::atomic<pid_t>& slot : waited_for) {
        if (pid_t pid = slot.load(); pid > 0) {
            ::kill(pid, SIGKILL);
        }
    }
    if (key_path_for_signal[0] != '\0') {
        ::unlink(key_path_for_signal);
    }
}

/// Holds `pid` in a free slot while it is waited for. There are more slots than remote_deploy.cpp works on
/// hosts at once; were they all taken, an interrupt would still reach the others.
class Waited {
  public:
    explicit Waited(pid_t pid) {
        for (std::atomic<pid_t>& slot : waited_for) {
            pid_t free = 0;
            if (slot.compare_exchange_strong(free, pid)) {
                slot_ = &slot;
                break;
            }
        }
    }
    ~Waited() {
        if (slot_ != nullptr) {
            slot_->store(0);
        }
    }
    Waited(const Waited&) = delete;
    Waited& operator=(const Waited&) = delete;

  private:
    std::atomic<pid_t>* slot_ = nullptr;
};

/// Runs `argv` (its first word found on PATH), standard output and error together into a string, its
/// standard input from `input` or nothing. The output goes through an unnamed file, not a pipe: a
/// multiplexed ssh client hands its descriptors to the master connection, which would hold a pipe open
/// after the client is gone, and waiting for the pipe's end could then outlast an interrupt.
ShellResult run_process(const std::vector<std::string>& argv, const fs::path& input) {
    boost::filesystem::path program = bp::search_path(argv[0]);
    if (program.empty()) {
        return {127, "command not found: " + argv[0]};
    }
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> out(std::tmpfile(), std::fclose);
    if (!out) {
        return {127, "cannot make a temporary file for the output of " + argv[0]};
    }
    std::vector<std::string> args(argv.begin() + 1, argv.end());
    bp::child child = input.empty()
                          ? bp::child(program, args, (bp::std_out & bp::std_err) > out.get(), bp::std_in < bp::null)
                          : bp::child(program, args, (bp::std_out & bp::std_err) > out.get(),
                                      bp::std_in < boost::filesystem::path(input.string()));
    {
        Waited waited(child.id());
        child.wait();
    }
    ShellResult result;
    result.exit_code = child.exit_code();
    std::rewind(out.get());
    char buffer[4096];
    for (std::size_t read; (read = std::fread(buffer, 1, sizeof buffer, out.get())) > 0;) {
        result.output.append(buffer, read);
    }
    return result;
}

class LocalMachine : public Machine {
  public:
    std::string name() const override { return "this machine"; }
    ShellResult run(const std::string& script, const fs::path& input) override {
        return run_process({"sh", "-c", script}, input);
    }
};

/// The last line ssh wrote that is not empty: its own account of what went wrong.
std::string last_line(const std::string& output) {
    std::string text = output;
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
        text.pop_back();
    }
    std::size_t start = text.rfind('\n');
    return start == std::string::npos ? text : text.substr(start + 1);
}

} // namespace

std::string HostAddress::text() const {
    std::string shown = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    return (user.empty() ? "" : user + "@") + shown + (port == 0 ? "" : ":" + std::to_string(port));
}

std::string host_name_problem(std::string_view name) {
    NameParts parts = split_name(name);
    std::string_view problem;
    if (name.find('@') != name.rfind('@')) {
        problem = "it has more than one '@'";
    } else if (name.find('@') != std::string_view::npos && !plain_name(parts.user, true)) {
        problem = "the user is not a name of letters, digits and . _ - (not starting with - or .)";
    } else if (parts.bracketed ? !ipv6_address(parts.host) : !plain_name(parts.host, false)) {
        problem = "the host is not a name of letters, digits, . and - (not starting with - or .), an IPv4 "
                  "address or an IPv6 address in [ ]";
    } else if (name.find(':') != std::string_view::npos || parts.bracketed) {
        bool bracket_port = parts.bracketed && name.find("]:") != std::string_view::npos;
        bool needs_port = !parts.bracketed || bracket_port;
        int port = 0;
        bool digits = !parts.port.empty() && parts.port.size() <= 5 &&
                      std::all_of(parts.port.begin(), parts.port.end(),
                                  [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
        if (digits) {
            port = std::atoi(std::string(parts.port).c_str());
        }
        if (needs_port && (!digits || port < 1 || port > 65535)) {
            problem = "the port is not a number from 1 to 65535";
        }
        if (parts.bracketed && !name.ends_with(']') && !bracket_port) {
            problem = "after ']' only ':PORT' may follow";
        }
    }
    if (problem.empty()) {
        return "";
    }
    return fmt::format("'{}' is not a host name of the form [user@]host[:port]: {}", name, problem);
}

HostAddress parse_host(std::string_view name, const std::string& default_user) {
    NameParts parts = split_name(name);
    HostAddress address;
    address.user = parts.user.empty() ? default_user : std::string(parts.user);
    address.host = std::string(parts.host);
    address.port = parts.port.empty() ? 0 : std::atoi(std::string(parts.port).c_str());
    return address;
}

std::unique_ptr<Machine> local_machine() { return std::make_unique<LocalMachine>(); }

bool interrupted() { return interrupt_seen != 0; }

/// A host reached over ssh: every script runs as `sh -c SCRIPT` there, whatever the user's login shell.
class SshHost : public Machine {
  public:
    SshHost(SshSession& session, HostAddress address, std::size_t index)
        : session_(session), address_(std::move(address)), index_(index) {}

    std::string name() const override { return address_.text(); }

    ShellResult run(const std::string& script, const fs::path& input) override {
        if (!connected_) {
            if (ShellResult opened = open(); opened.exit_code != 0) {
                return opened;
            }
        }
        // The script runs under a shell that sshd made the leader of a session and so of a process group
        // (`exec`, whatever the login shell), which notes its number in a file of the session's name
        // in the home folder while it runs: an interrupt stops the whole group there (`stop_remote`), where
        // ending the local client would leave the script running on the host.
        std::string command = fmt::format(
            "exec sh -c {} {} {}",
            shell_quote("echo \"$$\" > \"$0\" 2>/dev/null; sh -c \"$1\"; s=$?; rm -f -- \"$0\"; exit $s"),
            shell_quote(pid_file()), shell_quote(script));
        bool interrupted_before = interrupted();
        ShellResult result = run_process(remote_argv(command), input);
        if (!interrupted_before && interrupted()) {
            stop_remote();
        }
        return result;
    }

    std::string connection_problem(const ShellResult& result) const override {
        if (result.exit_code != 255) {
            return "";
        }
        const std::string& said = result.output;
        std::string known_hosts = session_.known_hosts_.string();
        std::string ssh_said = last_line(said);
        if (said.find("REMOTE HOST IDENTIFICATION HAS CHANGED") != std::string::npos) {
            return fmt::format("{}'s host key is not the one {} has for it: either the host was reinstalled or "
                               "someone is in between; check the key out of band and replace its line in {} "
                               "(ssh said: {})",
                               name(), known_hosts, known_hosts, ssh_said);
        }
        if (said.find("Host key verification failed") != std::string::npos) {
            return fmt::format("{} has no host key in {}, so it is not trusted: add its key (ssh-keyscan{} {}, "
                               "checked out of band) to {} (ssh said: {})",
                               name(), known_hosts, address_.port ? " -p " + std::to_string(address_.port) : "",
                               address_.host, known_hosts, ssh_said);
        }
        if (said.find("Permission denied") != std::string::npos) {
            return fmt::format("{} refused the key: add the public key of hosts(key:) to the authorized_keys of "
                               "{} on {} (ssh said: {})",
                               name(), address_.user.empty() ? "the user" : address_.user, address_.host, ssh_said);
        }
        return fmt::format("cannot connect to {}: check its name and port and that sshd runs there (ssh said: {})",
                           name(), ssh_said.empty() ? "nothing" : ssh_said);
    }

  private:
    std::vector<std::string> remote_argv(const std::string& command) const {
        std::vector<std::string> argv = session_.ssh_argv(address_, index_);
        argv.insert(argv.end(), {"-o", "ControlMaster=no", "--", address_.host, command});
        return argv;
    }

    /// Where the running script's process group is noted, relative to the remote home: named by this
    /// session's private folder, so that two deploys to one host never share it.
    std::string pid_file() const {
        return fmt::format(".{}-{}.pid", session_.folder_.filename().string(), index_);
    }

    /// Stops what the interrupted script left running on the host: its process group gets SIGTERM, and
    /// SIGKILL a second later.
    void stop_remote() {
        std::string file = shell_quote(pid_file());
        std::string script = fmt::format(
            "p=$(cat -- {} 2>/dev/null); rm -f -- {}; case $p in ''|*[!0-9]*) exit 0;; esac; "
            "kill -s TERM -- \"-$p\" 2>/dev/null || exit 0; sleep 1; kill -s KILL -- \"-$p\" 2>/dev/null; exit 0",
            file, file);
        run_process(remote_argv("exec sh -c " + shell_quote(script)), {});
    }

    /// The master connection: ssh authenticates, then goes to the background (`-f`) holding the socket
    /// that later commands share. Its output goes to a file: a master in the background keeps what it
    /// was given open, and a pipe would then never end for the reader.
    ShellResult open() {
        std::vector<std::string> argv = session_.ssh_argv(address_, index_);
        argv.insert(argv.end(), {"-o", "ControlMaster=yes", "-o", "ControlPersist=60", "-f", "-N", "--", address_.host});
        fs::path log = session_.folder_ / ("master-" + std::to_string(index_) + ".log");
        boost::filesystem::path program = bp::search_path(argv[0]);
        if (program.empty()) {
            return {127, "command not found: ssh (install OpenSSH's client)"};
        }
        int status = bp::system(program, std::vector<std::string>(argv.begin() + 1, argv.end()),
                                (bp::std_out & bp::std_err) > boost::filesystem::path(log.string()),
                                bp::std_in < bp::null);
        std::string said = fs::exists(log) ? read_file(log) : "";
        if (status != 0) {
            return {status, said};
        }
        session_.masters_.push_back(session_.ssh_argv(address_, index_));
        session_.masters_.back().insert(session_.masters_.back().end(), {"-O", "exit", "--", address_.host});
        connected_ = true;
        return {0, ""};
    }

    SshSession& session_;
    HostAddress address_;
    std::size_t index_;
    bool connected_ = false;
};

SshSession::SshSession(const std::string& key, fs::path known_hosts, int connect_timeout_seconds)
    : known_hosts_(fs::absolute(known_hosts)), connect_timeout_seconds_(connect_timeout_seconds) {
    // A short folder under /tmp: a control socket's path must fit in a sun_path (108 bytes).
    std::string pattern = (fs::temp_directory_path() / "chain-ssh-XXXXXX").string();
    if (pattern.size() > 60) {
        pattern = "/tmp/chain-ssh-XXXXXX";
    }
    if (::mkdtemp(pattern.data()) == nullptr) {
        throw fs::filesystem_error("cannot make a private folder for ssh", fs::path(pattern),
                                   std::error_code(errno, std::generic_category()));
    }
    folder_ = pattern;
    key_file_ = folder_ / "key";
    std::snprintf(key_path_for_signal, sizeof key_path_for_signal, "%s", key_file_.c_str());
    struct sigaction action {};
    action.sa_handler = on_interrupt;
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGINT, &action, nullptr);
    ::sigaction(SIGTERM, &action, nullptr);
    int fd = ::open(key_file_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
    if (fd < 0) {
        throw fs::filesystem_error("cannot write the ssh key", key_file_, std::error_code(errno, std::generic_category()));
    }
    // OpenSSH refuses a key whose last line has no line break.
    std::string text = key.ends_with('\n') ? key : key + "\n";
    bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    ::close(fd);
    if (!written) {
        throw fs::filesystem_error("cannot write the ssh key", key_file_, std::error_code(errno, std::generic_category()));
    }
}

SshSession::~SshSession() {
    for (const std::vector<std::string>& argv : masters_) {
        run_process(argv, {});
    }
    ::unlink(key_file_.c_str());
    key_path_for_signal[0] = '\0';
    remove_flat_folder(folder_);
}

std::unique_ptr<Machine> SshSession::host(const HostAddress& host) {
    return std::make_unique<SshHost>(*this, host, hosts_made_++);
}

std::vector<std::string> SshSession::ssh_argv(const HostAddress& host, std::size_t index) const {
    std::vector<std::string> argv = {"ssh",
                                     "-T",
                                     "-o", "BatchMode=yes",
                                     "-o", "StrictHostKeyChecking=yes",
                                     "-o", "UserKnownHostsFile=" + known_hosts_.string(),
                                     "-o", "GlobalKnownHostsFile=/dev/null",
                                     "-o", "IdentitiesOnly=yes",
                                     "-o", "IdentityAgent=none",
                                     "-i", key_file_.string(),
                                     "-o", "ConnectTimeout=" + std::to_string(connect_timeout_seconds_),
                                     "-o", "ControlPath=" + (folder_ / std::to_string(index)).string(),
                                     "-o", "LogLevel=ERROR"};
    if (host.port != 0) {
        argv.insert(argv.end(), {"-p", std::to_string(host.port)});
    }
    if (!host.user.empty()) {
        argv.insert(argv.end(), {"-l", host.user});
    }
    return argv;
}

} // namespace chain::stdlib
