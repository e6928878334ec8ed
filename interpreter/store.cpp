#include "store.hpp"

#include "refs.hpp"
#include "sha256.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace chain {

namespace fs = std::filesystem;

namespace {

std::string read_file(const fs::path& path) {
    std::ifstream stream(path, std::ios::binary);
    std::ostringstream text;
    text << stream.rdbuf();
    return text.str();
}

std::string cache_file_name(const std::string& instance) {
    std::string name;
    for (char c : instance) {
        name += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ? c : '_';
    }
    return name + "-" + sha256_hex(instance).substr(0, 8) + ".json";
}

} // namespace

Store::Store(fs::path root) : root_(std::move(root)) {}

std::string Store::content_hash(const fs::path& path) {
    fs::path target = fs::is_symlink(path) ? fs::canonical(path) : path;
    if (!fs::is_directory(target)) {
        return sha256_hex(read_file(target));
    }
    std::vector<fs::path> files;
    for (const auto& entry : fs::recursive_directory_iterator(target)) {
        if (entry.is_regular_file() || entry.is_symlink()) {
            files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());
    Sha256 hash;
    for (const fs::path& file : files) {
        std::string relative = fs::relative(file, target).generic_string();
        hash.update(relative);
        hash.update(std::string_view("\0", 1));
        hash.update(fs::is_symlink(file) ? fs::read_symlink(file).string() : sha256_hex(read_file(file)));
        hash.update(std::string_view("\0", 1));
    }
    return hash.hex();
}

std::string Store::keep_artifact(const fs::path& path) {
    std::string hash = content_hash(path);
    fs::path objects = chain_dir() / "artifacts";
    fs::create_directories(objects);
    fs::path object = objects / hash;
    if (fs::exists(object)) {
        fs::remove_all(path);
    } else {
        fs::rename(path, object); // one rename: the object appears whole or not at all
    }
    fs::create_directory_symlink(fs::relative(object, path.parent_path()), path);
    return hash;
}

bool Store::restore_artifact(const fs::path& path, const std::string& hash) {
    fs::path object = chain_dir() / "artifacts" / hash;
    if (!fs::exists(object)) {
        return false;
    }
    fs::create_directories(path.parent_path());
    fs::remove_all(path);
    fs::create_directory_symlink(fs::relative(object, path.parent_path()), path);
    return true;
}

std::vector<fs::path> Store::input_files(const std::vector<std::string>& globs) const {
    std::vector<fs::path> files;
    auto it = fs::recursive_directory_iterator(root_, fs::directory_options::skip_permission_denied);
    for (auto end = fs::recursive_directory_iterator(); it != end; ++it) {
        std::string name = it->path().filename().string();
        if (it->is_directory() && (name == ".chain" || name == ".git")) {
            it.disable_recursion_pending();
            continue;
        }
        if (!it->is_regular_file()) {
            continue;
        }
        std::string relative = fs::relative(it->path(), root_).generic_string();
        for (const std::string& glob : globs) {
            if (refs::glob_match(glob, relative)) {
                files.push_back(it->path());
                break;
            }
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

std::optional<Store::CacheRecord> Store::cached(const std::string& instance) const {
    fs::path file = chain_dir() / "cache" / cache_file_name(instance);
    if (!fs::exists(file)) {
        return std::nullopt;
    }
    try {
        nlohmann::json record = nlohmann::json::parse(read_file(file));
        return CacheRecord{record.at("key").get<std::string>(),
                           record.at("artifacts").get<std::map<std::string, std::string>>()};
    } catch (const nlohmann::json::exception&) {
        return std::nullopt; // a damaged record is a cache miss
    }
}

void Store::remember(const std::string& instance, const CacheRecord& record) const {
    fs::path folder = chain_dir() / "cache";
    fs::create_directories(folder);
    fs::path file = folder / cache_file_name(instance);
    fs::path temporary = file;
    temporary += ".tmp";
    std::ofstream(temporary) << nlohmann::json{{"stage", instance}, {"key", record.key}, {"artifacts", record.artifacts}}.dump(2);
    fs::rename(temporary, file);
}

} // namespace chain
