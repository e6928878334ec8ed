// `chain chroot-exec ROOT -- COMMAND...`: what each step inside `chroot(...) { }` runs. The repository's
// parent folder is bind-mounted at the same path inside ROOT, so that the step sees the repository
// and its siblings (a local index in ../.index) where it would outside, and relative paths mean the
// same on both sides. The mounts live in a mount namespace of this process alone: they vanish with
// it, whether the step succeeds, fails or is killed.
#include "commands.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

namespace chain::cli {

namespace fs = std::filesystem;

namespace {

struct ChrootExec {
    std::string root;
    std::vector<std::string> command;
};

int fail(const std::string& what) {
    fmt::print(stderr, "chain chroot-exec: {}: {}\n", what, std::strerror(errno));
    return 127;
}

int chroot_exec(const ChrootExec& args) {
    if (geteuid() != 0) {
        fmt::print(stderr, "chain chroot-exec: a chroot needs root (chroot(2) and bind mounts are root's); "
                           "run chain as root\n");
        return 126;
    }
    fs::path work = fs::current_path();
    fs::path shared = work.parent_path();
    fs::path root = fs::absolute(args.root);
    if (!fs::is_directory(root / "usr")) {
        fmt::print(stderr, "chain chroot-exec: {} is not a root file system (it has no usr/)\n", root.string());
        return 126;
    }
    if (unshare(CLONE_NEWNS) != 0) {
        return fail("cannot make a mount namespace");
    }
    if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
        return fail("cannot make the mounts private");
    }
    fs::path inside = root / shared.relative_path();
    fs::create_directories(inside);
    if (mount(shared.c_str(), inside.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0) {
        return fail("cannot bind-mount " + shared.string());
    }
    fs::create_directories(root / "dev");
    if (mount("/dev", (root / "dev").c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0) {
        return fail("cannot bind-mount /dev");
    }
    fs::create_directories(root / "proc");
    if (mount("proc", (root / "proc").c_str(), "proc", 0, nullptr) != 0) {
        return fail("cannot mount /proc");
    }
    if (chroot(root.c_str()) != 0 || chdir(work.c_str()) != 0) {
        return fail("cannot enter " + root.string());
    }
    std::vector<char*> argv;
    for (const std::string& word : args.command) {
        argv.push_back(const_cast<char*>(word.c_str()));
    }
    argv.push_back(nullptr);
    execvp(argv[0], argv.data());
    return fail("cannot run " + args.command[0] + " in the chroot");
}

} // namespace

std::function<int()> setup_chroot_exec(CLI::App& app) {
    auto args = std::make_shared<ChrootExec>();
    CLI::App* command = app.add_subcommand(
        "chroot-exec", "Run a command inside a chroot with the repository at the same path (the chroot builtin's steps)");
    command->add_option("root", args->root, "the chroot's root folder")->required();
    command->add_option("command", args->command, "the command and its arguments, after --")->required();
    return [command, args] { return command->parsed() ? chroot_exec(*args) : -1; };
}

} // namespace chain::cli
