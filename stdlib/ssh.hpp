#pragma once
// The machines a deploy target's releases live on: this one, or a host reached with the system's
// OpenSSH client. Both run POSIX shell text; only this module builds ssh's argv.

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace chain::stdlib {

/// A host of `hosts(...)` as its name gives it: `[user@]host[:port]`.
struct HostAddress {
    std::string user; // empty: hosts(user:) or ssh's own default
    std::string host; // a DNS name, an IPv4 address, or an IPv6 address without its brackets
    int port = 0;     // 0: ssh's default

    /// The name as written back: `deploy@web1:2222`, `[::1]:2222`.
    std::string text() const;
};

/// Why `name` is not `[user@]host[:port]`, or "": a user of letters, digits and `._-` (not first `-`), a
/// host name of letters, digits, `.` and `-` (not first `-`), an IPv4 or a bracketed IPv6 address, a
/// port from 1 to 65535. So no name can be read by ssh as an option or by a shell as code.
std::string host_name_problem(std::string_view name);

/// The parts of a name that `host_name_problem` accepts; `default_user` when the name has none.
HostAddress parse_host(std::string_view name, const std::string& default_user = "");

/// What a shell script did: its exit code and its output (standard output and error together).
struct ShellResult {
    int exit_code = 0;
    std::string output;
};

/// A machine that runs shell text: the folder of releases lives there.
class Machine {
  public:
    virtual ~Machine() = default;
    /// How messages name it: the host's name, or `this machine`.
    virtual std::string name() const = 0;
    /// Runs `script` with `sh`; `input`, when not empty, is the file its standard input reads.
    virtual ShellResult run(const std::string& script, const std::filesystem::path& input = {}) = 0;
    /// Why a failed `run` failed when the cause is the connection, not the script (exit 255 of ssh), in
    /// words a user can act on; "" when the script itself failed.
    virtual std::string connection_problem(const ShellResult& result) const { (void)result; return ""; }
};

/// This machine: `sh -c SCRIPT` in the current folder.
std::unique_ptr<Machine> local_machine();

/// What every ssh connection of one deploy shares: the private key, the known hosts, the connect
/// timeout, and a private folder (0700) with the key file (0600) and one master connection socket per
/// host, so that every step on a host after the first reuses its connection. The folder, the key and the
/// master connections go when the session does; a SIGINT or SIGTERM removes the key at once.
class SshSession {
  public:
    /// `key`: the private key's text; `known_hosts`: the only file whose keys are trusted.
    SshSession(const std::string& key, std::filesystem::path known_hosts, int connect_timeout_seconds);
    ~SshSession();
    SshSession(const SshSession&) = delete;
    SshSession& operator=(const SshSession&) = delete;

    /// A machine that runs its scripts on `host` over ssh, through this session's connection to it.
    std::unique_ptr<Machine> host(const HostAddress& host);
    /// A file in the session's private folder, removed with it (an upload's archive).
    std::filesystem::path private_file(const std::string& name) const { return folder_ / name; }

  private:
    friend class SshHost;
    std::vector<std::string> ssh_argv(const HostAddress& host, std::size_t index) const;

    std::filesystem::path folder_;
    std::filesystem::path key_file_;
    std::filesystem::path known_hosts_;
    int connect_timeout_seconds_;
    std::size_t hosts_made_ = 0; // each host's socket is named by its number
    std::vector<std::vector<std::string>> masters_; // the argv that reaches each host, for `ssh -O exit`
};

/// Whether a SIGINT or SIGTERM arrived while a session was open: the caller stops and cleans up.
bool interrupted();

} // namespace chain::stdlib
