#include "files.hpp"

#include <cerrno>
#include <fstream>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace chain::stdlib {

namespace fs = std::filesystem;

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
    fs::create_directories(file.parent_path());
    fs::path temporary = file;
    temporary += ".tmp";
    std::ofstream(temporary, std::ios::binary) << text;
    fs::rename(temporary, file);
}

} // namespace chain::stdlib
