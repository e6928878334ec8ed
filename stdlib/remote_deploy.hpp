#pragma once
// Releases on machines: deploying one to hosts over ssh in batches, switching every host back when one
// fails, rolling back, and listing what each machine holds. One shell dialect for every machine, so that
// a local folder's releases are rolled back by the same code as a host's.

#include "ssh.hpp"
#include "value.hpp"

#include <memory>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace chain::stdlib {

/// A deploy target and what goes onto it, as `deploy(to: hosts(...))` plans it and `chain deploy-hosts`
/// performs it. For a local folder only `dir`, `health`, `strategy` and `podman` are used.
struct ReleaseTarget {
    std::vector<std::string> hosts; // [user@]host[:port]; empty: this machine
    std::string user;               // for names without one
    std::string dir;                // the folder of releases/ and current; relative: under the user's home
    std::string known_hosts;
    int connect_timeout = 10; // seconds
    std::string strategy = "direct";
    int batch = 1;
    std::string health; // shell text run in the new release; empty: none
    std::string release;  // the version
    std::string kind;     // deb, dir or image
    std::string artifact; // the .deb, the folder or the image's OCI archive, on this machine
    std::string image;     // image: its name and tag
    std::string container; // image: the container the release runs in
    std::string report;    // where the per-host account goes (the step's report)
    std::vector<std::string> podman = {"podman"}; // how podman is started on the machines
};

/// The words after `chain deploy-hosts` that carry `target`.
std::vector<std::string> deploy_hosts_args(const ReleaseTarget& target);
/// `target` read back from those words; the error in words when they are not such words.
std::optional<ReleaseTarget> parse_deploy_hosts_args(const std::vector<std::string>& args, std::string& error);

/// What one machine holds: its releases (sorted), and what `current` and `previous` point at.
struct ReleaseState {
    std::vector<std::string> releases;
    std::string current;  // a release name, or "" when there is none
    std::string previous; // likewise
};

/// One line of progress: `machine: what happened`.
using Progress = std::function<void(const std::string& machine, const std::string& what)>;

/// The account of a deploy or rollback on each machine, in order: `released 1.0.1`, `healthy`,
/// `switched from 1.0.0`, `switched back to 1.0.0`, `untouched`...
struct MachineAccount {
    std::string machine;
    std::vector<std::string> events;
};

/// How a deploy, rollback or listing ended: the error in words ("" when it succeeded), per machine.
struct DeployOutcome {
    std::string error;
    std::vector<MachineAccount> machines;
    /// `web1: released 1.0.1, healthy, switched; web2: untouched`
    std::string summary() const;
};

/// Deploys `target.release` to every host of `target` with `key` (the private key's text): each host
/// is reached first (an unreachable one stops everything before anything changed), then in batches
/// (`rolling`: `batch` hosts; `blue_green` and `direct`: all hosts) the release is installed and checked on
/// each host of the batch, then the batch switches. A failure stops the rollout and switches every host
/// switched so far back. `direct` removes the other releases once every host switched.
DeployOutcome deploy_to_hosts(const ReleaseTarget& target, const std::string& key, const Progress& progress);

/// Points `current` back at `to` (or, when empty, at `previous`) on each machine, after the health
/// check passes there, in the target's batches, switching back as a deploy does when one fails.
DeployOutcome roll_back(const ReleaseTarget& target, std::vector<Machine*> machines, const std::string& to,
                        const Progress& progress);

/// What each machine holds.
std::vector<std::pair<std::string, ReleaseState>> list_releases(const ReleaseTarget& target,
                                                                std::vector<Machine*> machines,
                                                                std::string& error);

/// A deploy target as a stage's plan has it: hosts with the key's text, or a local folder (no hosts).
struct DeployTarget {
    ReleaseTarget release;
    std::string key;
};

/// The deploy targets the steps of one stage instance deploy to, in order: the `chain deploy-hosts`
/// steps, and the folders of the `switch` actions of a deploy to `local(...)` (with its health check).
std::vector<DeployTarget> deploy_targets(const std::vector<Step>& steps);

/// The machines of one target, while they are in use: this machine for a folder, else a session's hosts.
struct TargetMachines {
    std::unique_ptr<SshSession> session;
    std::vector<std::unique_ptr<Machine>> owned;
    std::vector<Machine*> list;
};

/// Reaches the machines of `target` (a local folder's from the current folder).
TargetMachines machines_of(const DeployTarget& target);

/// Reads the state of `dir` on `machine`; the error in words, or "".
std::string read_release_state(Machine& machine, const std::string& dir, ReleaseState& state);

} // namespace chain::stdlib
