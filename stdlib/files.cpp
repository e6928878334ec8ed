#include "files.hpp"

#include <cerrno>
#include <fstream>
#include <system_error>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace chain::stdlib {

namespace fs = std::filesystem;

std::string leaves_repository(const fs::path& root, const std::string& path) {
    auto inside = [](const fs::path& where, const fs::path& folder) {
        fs::path relative = where.lexically_relative(folder);
        return !relative.empty() && *relative.begin() != "..";
    };
    if (!inside((root / path).lexically_normal(), root.lexically_normal())) {
        return std::string(leaves_through_dot_dot);
    }
    std::error_code error;
    fs::path base = fs::weakly_canonical(root, error);
    fs::path resolved = error ? fs::path() : fs::weakly_canonical(root / path, error);
    if (error) {
        return "its symbolic links cannot be followed: " + error.message();
    }
    if (!inside(resolved, base)) {
        return "a symbolic link leads it out of the repository, to " + resolved.string();
    }
    return "";
}

std::string read_file(const fs::path& file) {
    int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        throw fs::filesystem_error("cannot read", file, std::error_code(errno, std::generic_category()));
    }
    std::string text;
    struct stat info {};
    if (::fstat(fd, &info) == 0 && info.st_size > 0) {
        text.reserve(static_cast<std::size_t>(info.st_size));
    }
    char buffer[65536];
    ssize_t count;
    while ((count = ::read(fd, buffer, sizeof buffer)) > 0) {
        text.append(buffer, static_cast<std::size_t>(count));
    }
    int error = errno;
    ::close(fd);
    if (count < 0) {
        throw fs::filesystem_error("cannot read", file, std::error_code(error, std::generic_category()));
    }
    return text;
}

void replace_file(const fs::path& file, const std::string& text) {
    // A bare file name ("pipeline.chain") has no parent: it lives in the current folder, which exists.
    if (file.has_parent_path()) {
        fs::create_directories(file.parent_path());
    }
    fs::path temporary = file;
    temporary += ".tmp";
    std::ofstream(temporary, std::ios::binary) << text;
    fs::rename(temporary, file);
}

namespace {

/// Calls `change` on `path` and, for a folder, everything under it; symbolic links are left alone.
template <class Change> void each_in_tree(const fs::path& path, Change change) {
    std::error_code error;
    fs::file_status status = fs::symlink_status(path, error);
    if (error || fs::is_symlink(status) || !fs::exists(status)) {
        return;
    }
    change(path, status.permissions());
    if (fs::is_directory(status)) {
        for (const auto& entry : fs::directory_iterator(path)) {
            each_in_tree(entry.path(), change);
        }
    }
}

} // namespace

void make_read_only(const fs::path& path) {
    // A folder's entries are listed before its own write permission goes, which it does not need to be read.
    std::vector<fs::path> folders;
    each_in_tree(path, [&](const fs::path& item, fs::perms) {
        if (fs::is_directory(fs::symlink_status(item))) {
            folders.push_back(item);
        } else {
            fs::permissions(item, fs::perms::owner_write | fs::perms::group_write | fs::perms::others_write,
                            fs::perm_options::remove);
        }
    });
    for (auto it = folders.rbegin(); it != folders.rend(); ++it) {
        fs::permissions(*it, fs::perms::owner_write | fs::perms::group_write | fs::perms::others_write,
                        fs::perm_options::remove);
    }
}

void make_writable(const fs::path& path) {
    each_in_tree(path, [](const fs::path& item, fs::perms permissions) {
        if ((permissions & fs::perms::owner_write) == fs::perms::none) {
            fs::permissions(item, fs::perms::owner_write, fs::perm_options::add);
        }
    });
}

void remove_tree(const fs::path& path) {
    make_writable(path);
    fs::remove_all(path);
}

} // namespace chain::stdlib
