#include "remote_deploy.hpp"

#include "actions.hpp"
#include "builtin.hpp"
#include "sha256.hpp"
#include "value.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <mutex>
#include <thread>

namespace chain::stdlib {

namespace fs = std::filesystem;

namespace {

std::string q(std::string_view text) { return shell_quote(text); }

std::string podman_words(const ReleaseTarget& target) {
    std::string words;
    for (const std::string& word : target.podman) {
        words += (words.empty() ? "" : " ") + q(word);
    }
    return words;
}

/// The last lines of what a command printed, to quote in a message.
std::string tail(const std::string& output, std::size_t lines = 20) {
    std::string text = output;
    while (!text.empty() && text.back() == '\n') {
        text.pop_back();
    }
    std::size_t start = text.size();
    for (std::size_t count = 0; count < lines && start != std::string::npos && start > 0; ++count) {
        start = text.rfind('\n', start - 1);
    }
    return start == std::string::npos || start == 0 ? text : text.substr(start + 1);
}

/// The error in words when `result` failed: the connection's problem, or `what` with the output.
std::string failure(Machine& machine, const ShellResult& result, const std::string& what) {
    if (result.exit_code == 0) {
        return "";
    }
    if (interrupted()) {
        return "interrupted";
    }
    if (std::string problem = machine.connection_problem(result); !problem.empty()) {
        return problem;
    }
    std::string said = tail(result.output);
    return fmt::format("{} failed on {} (exit {}){}", what, machine.name(), result.exit_code,
                       said.empty() ? ": [no output]" : ":\n" + said);
}

std::string release_path(const ReleaseTarget& target, const std::string& release) {
    return q(target.dir) + "/releases/" + q(release);
}

/// Points `link` (current or previous) of the target folder at `release`, or removes it for "": a new
/// link renamed over the old one, so that a reader sees one release or the other, never none.
std::string point(const std::string& link, const std::string& release) {
    if (release.empty()) {
        return fmt::format("rm -f -- {}", link);
    }
    return fmt::format("ln -sfn releases/{} {}.new && mv -T {}.new {}", q(release), link, link, link);
}

/// Shell text that starts (or stops) the container a release runs in, when it has one.
std::string container_command(const ReleaseTarget& target, const std::string& release, const std::string& verb) {
    if (release.empty()) {
        return "true";
    }
    std::string file = "releases/" + q(release) + "/container";
    return fmt::format("if [ -f {} ]; then {} {}{} -- \"$(cat {})\"; fi", file, podman_words(target), verb,
                       verb == "stop" ? " --ignore" : "", file);
}

struct MachineRun {
    Machine* machine;
    MachineAccount* account;
    ReleaseState before;
    std::string target;   // the release it switches to
    bool skip = false;    // already at the target
    bool switched = false;
    bool ready = false;   // prepared, waiting for its batch to switch
    bool started = false; // the container of `target` was started by this run
};

using Prepare = std::function<std::string(const ReleaseTarget&, MachineRun&)>;

std::string switch_to(const ReleaseTarget& target, MachineRun& run) {
    std::string script = "cd -- " + q(target.dir);
    bool keep_previous = target.strategy != "direct" && !run.before.current.empty() &&
                         run.before.current != run.target;
    if (keep_previous) {
        script += " && " + point("previous", run.before.current);
    }
    script += " && " + point("current", run.target);
    if (run.before.current != run.target) {
        script += " && " + container_command(target, run.before.current, "stop");
    }
    std::string error = failure(*run.machine, run.machine->run(script), "switching current to " + run.target);
    if (error.empty()) {
        run.switched = true;
        run.account->events.push_back(run.before.current.empty() ? "switched to " + run.target
                                                                   : fmt::format("switched from {} to {}",
                                                                                 run.before.current, run.target));
    }
    return error;
}

/// Puts `current` and `previous` back as they were before this run, the containers too.
std::string switch_back(const ReleaseTarget& target, MachineRun& run) {
    std::string script = "cd -- " + q(target.dir) + " && " + point("current", run.before.current) + " && " +
                         point("previous", run.before.previous) + " && " +
                         container_command(target, run.before.current, "start") + " && " +
                         container_command(target, run.target, "stop");
    std::string error = failure(*run.machine, run.machine->run(script), "switching back");
    run.account->events.push_back(error.empty() ? "switched back to " + (run.before.current.empty()
                                                                              ? std::string("no release")
                                                                              : run.before.current)
                                                : "NOT switched back: " + error);
    return error;
}

/// A machine of a failed batch that was ready but not switched: the container its new release started
/// stops, and it stays at the release it had.
void stop_unswitched(const ReleaseTarget& target, MachineRun& run) {
    std::string had = run.before.current.empty() ? "no release" : run.before.current;
    if (run.started) {
        std::string script = "cd -- " + q(target.dir) + " && " + container_command(target, run.target, "stop");
        if (std::string error = failure(*run.machine, run.machine->run(script), "stopping the container of " + run.target);
            !error.empty()) {
            run.account->events.push_back("not switched, still at " + had + ", but the container of " + run.target +
                                          " did NOT stop: " + error);
            return;
        }
    }
    run.account->events.push_back("not switched, still at " + had);
}

/// Starts the container of the release `run.target` already holds (a rollback's), when it has one.
std::string start_release_container(const ReleaseTarget& target, MachineRun& run) {
    if (target.kind != "image") {
        return "";
    }
    std::string script = "cd -- " + q(target.dir) + " && " + container_command(target, run.target, "start") + " >/dev/null";
    if (std::string error = failure(*run.machine, run.machine->run(script), "starting the container of " + run.target);
        !error.empty()) {
        return error;
    }
    run.started = true;
    run.account->events.push_back("container of " + run.target + " started");
    return "";
}

/// Runs the target's health check in the release `release` on the run's machine.
std::string check_health(const ReleaseTarget& target, MachineRun& run, const std::string& release) {
    if (target.health.empty()) {
        return "";
    }
    std::string script;
    // An image's check runs in a container of its own name (one per target folder on a machine), so that
    // an interrupt can remove it: podman's client going does not end the container.
    std::string checker = "chain-health-" + sha256_hex(target.dir).substr(0, 12);
    if (target.kind == "image") {
        std::string image = run.machine->run("cat -- " + release_path(target, release) + "/image").output;
        script = fmt::format("{} run --rm --replace --name {} --entrypoint /bin/sh {} -c {}", podman_words(target),
                             checker, q(tail(image, 1)), q(target.health));
    } else {
        script = fmt::format("cd -- {} && CHAIN_RELEASE=\"$(pwd)\" && export CHAIN_RELEASE && sh -c {}",
                             release_path(target, release), q(target.health));
    }
    ShellResult result = run.machine->run(script);
    if (result.exit_code != 0 && interrupted()) {
        if (target.kind == "image") {
            run.machine->run(fmt::format("{} rm --force --ignore --time 0 {} >/dev/null", podman_words(target), checker));
        }
        return "interrupted";
    }
    if (std::string problem = run.machine->connection_problem(result); !problem.empty()) {
        return problem;
    }
    if (result.exit_code != 0) {
        run.account->events.push_back("health check failed");
        std::string said = tail(result.output);
        return fmt::format("the health check failed on {} (exit {}): {}", run.machine->name(), result.exit_code,
                           said.empty() ? "[no output]" : said);
    }
    run.account->events.push_back("healthy");
    return "";
}

/// How many hosts of one batch are worked on at once, each over its own connection: a batch larger than
/// this goes in turns of it.
constexpr std::size_t parallel_hosts = 32;

/// Runs `work` on each run of `runs[first, last)`, each on a thread of its own when there are several, and
/// returns the errors in the runs' order ("" where it succeeded).
std::vector<std::string> each_at_once(std::vector<MachineRun>& runs, std::size_t first, std::size_t last,
                                      const std::function<std::string(MachineRun&)>& work) {
    std::vector<std::string> errors(last - first);
    if (last - first == 1) {
        errors[0] = work(runs[first]);
        return errors;
    }
    for (std::size_t turn = first; turn < last; turn += parallel_hosts) {
        std::vector<std::thread> threads;
        for (std::size_t i = turn; i < std::min(last, turn + parallel_hosts); ++i) {
            threads.emplace_back([&, i] { errors[i - first] = work(runs[i]); });
        }
        for (std::thread& thread : threads) {
            thread.join();
        }
    }
    return errors;
}

/// Reach every machine first, then batch by batch prepare the machines of the batch at once and, when
/// every one of them is ready, switch them at once; a failure switches back every machine switched in
/// this run, and stops what the failed batch started on the machines it did not switch.
DeployOutcome roll_out(const ReleaseTarget& target, const std::vector<Machine*>& machines, const Prepare& prepare,
                       const Progress& unlocked_progress) {
    std::mutex progress_lock;
    Progress progress = [&](const std::string& machine, const std::string& what) {
        std::lock_guard lock(progress_lock);
        unlocked_progress(machine, what);
    };
    DeployOutcome outcome;
    outcome.machines.reserve(machines.size());
    std::vector<MachineRun> runs;
    for (Machine* machine : machines) {
        outcome.machines.push_back(MachineAccount{machine->name(), {}});
    }
    for (std::size_t i = 0; i < machines.size(); ++i) {
        runs.push_back(MachineRun{machines[i], &outcome.machines[i], {}, "", false, false, false, false});
        if (std::string error = read_release_state(*machines[i], target.dir, runs.back().before); !error.empty()) {
            for (MachineAccount& account : outcome.machines) {
                account.events.push_back("untouched");
            }
            outcome.error = error + "; nothing was changed on any host";
            return outcome;
        }
        progress(machines[i]->name(), fmt::format("reached; current release: {}",
                                                  runs.back().before.current.empty() ? "none" : runs.back().before.current));
    }
    auto names = [](const std::vector<std::string>& list) {
        std::string text;
        for (const std::string& name : list) {
            text += (text.empty() ? "" : ", ") + name;
        }
        return text;
    };
    auto fail = [&](const std::string& error) {
        std::vector<std::string> switched_back, kept;
        std::string not_switched_back;
        for (auto run = runs.rbegin(); run != runs.rend(); ++run) {
            if (run->switched) {
                std::string error = switch_back(target, *run);
                progress(run->machine->name(), run->account->events.back());
                if (error.empty()) {
                    switched_back.push_back(run->machine->name());
                } else {
                    not_switched_back += "\n" + run->machine->name() + " still runs " + run->target + ": " + error;
                }
            } else if (run->ready) {
                stop_unswitched(target, *run);
                progress(run->machine->name(), run->account->events.back());
                kept.push_back(run->machine->name());
            }
        }
        for (MachineAccount& account : outcome.machines) {
            if (account.events.empty()) {
                account.events.push_back("untouched");
            }
        }
        outcome.error = error;
        std::reverse(switched_back.begin(), switched_back.end());
        std::reverse(kept.begin(), kept.end());
        if (!switched_back.empty()) {
            outcome.error += "\nswitched back to the release they had: " + names(switched_back);
        }
        if (!kept.empty()) {
            outcome.error += "\nready but not switched, so still at the release they had: " + names(kept);
        }
        outcome.error += not_switched_back;
        return outcome;
    };
    // The errors of a batch, in the hosts' order, as one: each failed host says what went wrong there.
    auto batch_error = [](const std::vector<std::string>& errors) {
        std::string all;
        for (const std::string& error : errors) {
            if (!error.empty() && all.find(error) == std::string::npos) {
                all += (all.empty() ? "" : "\n") + error;
            }
        }
        return all;
    };
    std::size_t batch = target.strategy == "rolling" ? static_cast<std::size_t>(std::max(1, target.batch)) : runs.size();
    for (std::size_t first = 0; first < runs.size(); first += batch) {
        std::size_t last = std::min(runs.size(), first + batch);
        std::string error = batch_error(each_at_once(runs, first, last, [&](MachineRun& run) -> std::string {
            if (interrupted()) {
                return "interrupted";
            }
            std::string error = prepare(target, run);
            for (const std::string& event : run.account->events) {
                progress(run.machine->name(), event);
            }
            if (error.empty()) {
                run.ready = !run.skip;
            } else {
                progress(run.machine->name(), error);
            }
            return error;
        }));
        if (error.empty() && interrupted()) {
            error = "interrupted";
        }
        if (!error.empty()) {
            return fail(error);
        }
        error = batch_error(each_at_once(runs, first, last, [&](MachineRun& run) -> std::string {
            if (run.skip) {
                return "";
            }
            std::string error = switch_to(target, run);
            progress(run.machine->name(), error.empty() ? run.account->events.back() : error);
            return error;
        }));
        if (!error.empty()) {
            return fail(error);
        }
    }
    return outcome;
}

/// Shell text that unpacks the upload `$u` into the release folder `$r`.
std::string unpack_command(const ReleaseTarget& target) {
    if (target.kind == "deb") {
        return "dpkg-deb --extract \"$u\" \"$r\"";
    }
    if (target.kind == "dir") {
        return "tar -C \"$r\" -xf \"$u\"";
    }
    return fmt::format("{} load --quiet --input \"$u\" >/dev/null && printf '%s' {} > \"$r/image\" && "
                       "printf '%s' {} > \"$r/container\"",
                       podman_words(target), q(target.image), q(target.container));
}

std::string install(const ReleaseTarget& target, MachineRun& run, const fs::path& upload) {
    // A folder named `-x` is `./-x` here, so that no command below reads the paths made from it as options.
    std::string script = fmt::format("set -e; d={}; case $d in -*) d=./$d;; esac; r=\"$d/releases/\"{}; "
                                     "u=\"$d/releases/.upload-\"{}; "
                                     "mkdir -p -- \"$d/releases\"; trap 'rm -f -- \"$u\"' EXIT; cat > \"$u\"; "
                                     "rm -rf -- \"$r\"; mkdir -- \"$r\"; {}",
                                     q(target.dir), q(target.release), q(target.release),
                                     unpack_command(target));
    std::string what = target.kind == "deb" ? "dpkg-deb --extract" : target.kind == "dir" ? "unpacking" : "podman load";
    if (std::string error = failure(*run.machine, run.machine->run(script, upload), "copying the release and " + what);
        !error.empty()) {
        return error;
    }
    run.account->events.push_back("released " + target.release);
    return "";
}

std::string start_container(const ReleaseTarget& target, MachineRun& run) {
    std::string script = fmt::format("{} run --detach --replace --name {} {} >/dev/null", podman_words(target),
                                     q(target.container), q(target.image));
    if (std::string error = failure(*run.machine, run.machine->run(script), "starting the container " + target.container);
        !error.empty()) {
        return error;
    }
    run.started = true;
    run.account->events.push_back("container " + target.container + " started");
    return "";
}

std::string number_problem(const std::string& option, const std::string& text, int& number) {
    auto [end, code] = std::from_chars(text.data(), text.data() + text.size(), number);
    return code == std::errc() && end == text.data() + text.size() && number > 0
               ? ""
               : fmt::format("{} takes a whole number above 0, not '{}'", option, text);
}

} // namespace

std::string DeployOutcome::summary() const {
    std::string out;
    for (const MachineAccount& account : machines) {
        std::string events;
        for (const std::string& event : account.events) {
            events += (events.empty() ? "" : ", ") + event;
        }
        out += fmt::format("{}{}: {}", out.empty() ? "" : "; ", account.machine, events);
    }
    return out;
}

std::vector<std::string> deploy_hosts_args(const ReleaseTarget& target) {
    std::vector<std::string> args = {"--dir", target.dir, "--release", target.release, "--kind", target.kind,
                                     "--artifact", target.artifact, "--strategy", target.strategy,
                                     "--batch", std::to_string(target.batch), "--known-hosts", target.known_hosts,
                                     "--connect-timeout", std::to_string(target.connect_timeout)};
    auto optional = [&](const char* option, const std::string& value) {
        if (!value.empty()) {
            args.insert(args.end(), {option, value});
        }
    };
    optional("--user", target.user);
    optional("--health", target.health);
    optional("--image", target.image);
    optional("--container", target.container);
    optional("--report", target.report);
    // `--` first: no host name, however it was written, is read as an option.
    args.push_back("--");
    args.insert(args.end(), target.hosts.begin(), target.hosts.end());
    return args;
}

std::optional<ReleaseTarget> parse_deploy_hosts_args(const std::vector<std::string>& args, std::string& error) {
    ReleaseTarget target;
    std::map<std::string, std::string*> texts = {
        {"--dir", &target.dir},         {"--release", &target.release},   {"--kind", &target.kind},
        {"--artifact", &target.artifact}, {"--strategy", &target.strategy}, {"--known-hosts", &target.known_hosts},
        {"--user", &target.user},       {"--health", &target.health},     {"--image", &target.image},
        {"--container", &target.container}, {"--report", &target.report}};
    std::size_t i = 0;
    for (; i < args.size() && args[i] != "--"; i += 2) {
        if (i + 1 >= args.size()) {
            error = args[i] + " needs a value";
            return std::nullopt;
        }
        if (auto text = texts.find(args[i]); text != texts.end()) {
            *text->second = args[i + 1];
        } else if (args[i] == "--batch" || args[i] == "--connect-timeout") {
            error = number_problem(args[i], args[i + 1], args[i] == "--batch" ? target.batch : target.connect_timeout);
        } else {
            error = "unknown option " + args[i];
        }
        if (!error.empty()) {
            return std::nullopt;
        }
    }
    target.hosts.assign(args.begin() + static_cast<std::ptrdiff_t>(std::min(i + 1, args.size())), args.end());
    if (target.hosts.empty() || target.dir.empty() || target.known_hosts.empty()) {
        error = "chain deploy-hosts needs --dir, --known-hosts and, after --, the hosts";
        return std::nullopt;
    }
    for (const std::string& host : target.hosts) {
        if (std::string problem = host_name_problem(host); !problem.empty()) {
            error = problem;
            return std::nullopt;
        }
    }
    if (std::string problem = release_name_problem(target.release); !problem.empty()) {
        error = problem;
        return std::nullopt;
    }
    return target;
}

std::string read_release_state(Machine& machine, const std::string& dir, ReleaseState& state) {
    std::string script = fmt::format(
        "cd -- {} 2>/dev/null || exit 0; "
        "printf 'chain-current=%s\\n' \"$(readlink current 2>/dev/null)\"; "
        "printf 'chain-previous=%s\\n' \"$(readlink previous 2>/dev/null)\"; "
        "for r in releases/*; do if [ -d \"$r\" ]; then printf 'chain-release=%s\\n' \"${{r#releases/}}\"; fi; done",
        q(dir));
    ShellResult result = machine.run(script);
    if (std::string error = failure(machine, result, "reading " + dir); !error.empty()) {
        return error;
    }
    state = {};
    auto release_of = [](const std::string& link) {
        return link.starts_with("releases/") ? link.substr(9) : link;
    };
    for (std::size_t at = 0; at < result.output.size();) {
        std::size_t end = result.output.find('\n', at);
        std::string line = result.output.substr(at, end == std::string::npos ? std::string::npos : end - at);
        at = end == std::string::npos ? result.output.size() : end + 1;
        if (line.starts_with("chain-current=")) {
            state.current = release_of(line.substr(14));
        } else if (line.starts_with("chain-previous=")) {
            state.previous = release_of(line.substr(15));
        } else if (line.starts_with("chain-release=")) {
            state.releases.push_back(line.substr(14));
        }
    }
    std::sort(state.releases.begin(), state.releases.end());
    return "";
}

DeployOutcome deploy_to_hosts(const ReleaseTarget& target, const std::string& key, const Progress& progress) {
    SshSession session(key, target.known_hosts, target.connect_timeout);
    std::vector<std::unique_ptr<Machine>> hosts;
    std::vector<Machine*> machines;
    for (const std::string& name : target.hosts) {
        hosts.push_back(session.host(parse_host(name, target.user)));
        machines.push_back(hosts.back().get());
    }
    fs::path upload = target.artifact;
    if (target.kind == "dir") {
        // A folder travels as one tar stream: no scp -r, and links inside stay links.
        upload = session.private_file("release.tar");
        ShellResult packed = local_machine()->run(fmt::format("tar -C {} -cf {} .", q(target.artifact), q(upload.string())));
        if (packed.exit_code != 0) {
            return DeployOutcome{fmt::format("cannot pack {}: {}", target.artifact, tail(packed.output)), {}};
        }
    }
    Prepare prepare = [&](const ReleaseTarget& t, MachineRun& run) -> std::string {
        run.target = t.release;
        if (std::string error = install(t, run, upload); !error.empty()) {
            return error;
        }
        if (std::string error = check_health(t, run, t.release); !error.empty()) {
            return error;
        }
        return t.kind == "image" ? start_container(t, run) : "";
    };
    DeployOutcome outcome = roll_out(target, machines, prepare, progress);
    if (outcome.error.empty() && target.strategy == "direct") {
        for (Machine* machine : machines) {
            std::string script = fmt::format(
                "cd -- {}/releases && for r in * .upload-*; do [ -e \"$r\" ] || continue; [ \"$r\" = {} ] && continue; "
                "if [ -f \"$r/container\" ]; then {} rm --force --ignore -- \"$(cat \"$r/container\")\" >/dev/null; fi; "
                "rm -rf -- \"$r\"; done; rm -f -- ../previous",
                q(target.dir), q(target.release), podman_words(target));
            if (std::string error = failure(*machine, machine->run(script), "removing the other releases");
                !error.empty()) {
                outcome.error = error;
                return outcome;
            }
            progress(machine->name(), "other releases removed");
        }
    }
    return outcome;
}

DeployOutcome roll_back(const ReleaseTarget& target, std::vector<Machine*> machines, const std::string& to,
                        const Progress& progress) {
    Prepare prepare = [&](const ReleaseTarget& t, MachineRun& run) -> std::string {
        run.target = to.empty() ? run.before.previous : to;
        const std::vector<std::string>& present = run.before.releases;
        std::string listed;
        for (const std::string& release : present) {
            listed += (listed.empty() ? "" : ", ") + release;
        }
        if (run.target.empty()) {
            return fmt::format("{} has no previous release to roll back to; name one with --to (its releases: {})",
                               run.machine->name(), listed.empty() ? "none" : listed);
        }
        if (std::find(present.begin(), present.end(), run.target) == present.end()) {
            return fmt::format("{} has no release {} (its releases: {})", run.machine->name(), run.target,
                               listed.empty() ? "none" : listed);
        }
        if (run.target == run.before.current) {
            run.skip = true;
            run.account->events.push_back("already at " + run.target);
            return "";
        }
        if (std::string error = check_health(t, run, run.target); !error.empty()) {
            return error;
        }
        return start_release_container(t, run);
    };
    ReleaseTarget rollback = target;
    rollback.strategy = target.strategy == "direct" ? "blue_green" : target.strategy; // keep what was live as previous
    return roll_out(rollback, machines, prepare, progress);
}

std::vector<std::pair<std::string, ReleaseState>> list_releases(const ReleaseTarget& target,
                                                                std::vector<Machine*> machines, std::string& error) {
    std::vector<std::pair<std::string, ReleaseState>> states;
    for (Machine* machine : machines) {
        ReleaseState state;
        if (error = read_release_state(*machine, target.dir, state); !error.empty()) {
            return states;
        }
        states.emplace_back(machine->name(), std::move(state));
    }
    return states;
}

std::vector<DeployTarget> deploy_targets(const std::vector<Step>& steps) {
    std::vector<DeployTarget> targets;
    for (std::size_t i = 0; i < steps.size(); ++i) {
        const Step& step = steps[i];
        if (step.argv.size() > 2 && step.argv[0] == "chain" && step.argv[1] == "deploy-hosts") {
            std::string error;
            std::optional<ReleaseTarget> hosts =
                parse_deploy_hosts_args({step.argv.begin() + 2, step.argv.end()}, error);
            if (hosts) {
                DeployTarget target{*hosts, ""};
                for (const auto& [name, value] : step.env) {
                    target.key = name == "CHAIN_SSH_KEY" ? value : target.key;
                }
                targets.push_back(std::move(target));
            }
        } else if (step.builtin == "deploy" && step.action_args.size() == 4 && step.action_args[0] == "switch") {
            DeployTarget target;
            target.release.dir = step.action_args[1];
            target.release.strategy = step.action_args[3];
            target.release.podman = podman_argv({});
            // The health check is the deploy's command before the switch that runs in the release: sh -c
            // HEALTH for files, podman run ... -c HEALTH for an image.
            for (std::size_t j = i; j-- > 0 && steps[j].builtin == "deploy";) {
                const std::vector<std::string>& argv = steps[j].argv;
                if (argv.size() == 3 && argv[0] == "sh" && argv[1] == "-c") {
                    target.release.health = argv[2];
                    break;
                }
                if (argv.size() > 3 && argv[argv.size() - 2] == "-c" &&
                    std::find(argv.begin(), argv.end(), "--entrypoint") != argv.end()) {
                    target.release.health = argv.back();
                    target.release.kind = "image";
                    break;
                }
            }
            targets.push_back(std::move(target));
        }
    }
    return targets;
}

TargetMachines machines_of(const DeployTarget& target) {
    TargetMachines machines;
    if (target.release.hosts.empty()) {
        machines.owned.push_back(local_machine());
    } else {
        machines.session = std::make_unique<SshSession>(target.key, target.release.known_hosts,
                                                        target.release.connect_timeout);
        for (const std::string& name : target.release.hosts) {
            machines.owned.push_back(machines.session->host(parse_host(name, target.release.user)));
        }
    }
    for (const auto& machine : machines.owned) {
        machines.list.push_back(machine.get());
    }
    return machines;
}

} // namespace chain::stdlib
