#pragma once
// One file per subcommand: each adds its options to the command line and runs when it is chosen.

#include <CLI/CLI.hpp>

#include <functional>

namespace chain::cli {

/// Exit codes of every command (SPEC.md section 5).
enum ExitCode : int { exit_ok = 0, exit_failed = 1, exit_usage = 2, exit_interrupted = 130 };

/// Adds `chain check` to the app; the returned function runs it once the command line is parsed.
std::function<int()> setup_check(CLI::App& app);
/// Adds `chain plan`.
std::function<int()> setup_plan(CLI::App& app);
/// Adds `chain run`.
std::function<int()> setup_run(CLI::App& app);
/// Adds `chain fmt`.
std::function<int()> setup_fmt(CLI::App& app);
/// Adds `chain export`.
std::function<int()> setup_export(CLI::App& app);
/// Adds `chain lsp`.
std::function<int()> setup_lsp(CLI::App& app);
/// Adds `chain repl`.
std::function<int()> setup_repl(CLI::App& app);
/// Adds `chain log`.
std::function<int()> setup_log(CLI::App& app);
/// Adds `chain gc`.
std::function<int()> setup_gc(CLI::App& app);
/// Adds `chain verify`.
std::function<int()> setup_verify(CLI::App& app);
/// Adds `chain serve`.
std::function<int()> setup_serve(CLI::App& app);
/// Adds `chain serve-trigger`, the step a trigger plans inside a run of chain serve.
std::function<int()> setup_serve_trigger(CLI::App& app);
/// Adds `chain chroot-exec`, which the steps of the chroot builtin run.
std::function<int()> setup_chroot_exec(CLI::App& app);
/// Adds `chain deploy-hosts`, which the step of deploy(to: hosts(...)) runs.
std::function<int()> setup_deploy_hosts(CLI::App& app);
/// Adds `chain rollback`.
std::function<int()> setup_rollback(CLI::App& app);
/// Adds `chain releases`.
std::function<int()> setup_releases(CLI::App& app);

} // namespace chain::cli
