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
    if (!files_) {
        files_.emplace();
        auto it = fs::recursive_directory_iterator(root_, fs::directory_options::skip_permission_denied);
        for (auto end = fs::recursive_directory_iterator(); it != end; ++it) {
            std::string name = it->path().filename().string();
            if (it->is_directory() && (name == ".chain" || name == ".git")) {
                it.disable_recursion_pending();
            } else if (it->is_regular_file()) {
                files_->emplace_back(it->path().lexically_relative(root_).generic_string(), it->path());
            }
        }
        std::sort(files_->begin(), files_->end());
    }
    // Only the names that start with a glob's text before its first wildcard can match it: a binary
    // search finds them, so that many stages with inputs do not each scan every file.
    std::vector<fs::path> files;
    for (const std::string& glob : globs) {
        std::string prefix = glob.substr(0, glob.find_first_of("*?"));
        auto first = std::lower_bound(files_->begin(), files_->end(), prefix,
                                      [](const auto& file, const std::string& key) { return file.first < key; });
        for (auto it = first; it != files_->end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
            if (refs::glob_match(glob, it->first)) {
                files.push_back(it->second);
            }
        }
    }
    std::sort(files.begin(), files.end());
    files.erase(std::unique(files.begin(), files.end()), files.end());
    return files;
}

std::optional<Store::CacheRecord> Store::cached(const std::string& instance) {
    if (!cache_) {
        cache_.emplace();
        fs::path file = chain_dir() / "cache" / "stages.json";
        if (fs::exists(file)) {
            try {
                nlohmann::json records = nlohmann::json::parse(read_file(file));
                for (auto it = records.begin(); it != records.end(); ++it) {
                    (*cache_)[it.key()] = CacheRecord{it->at("key").get<std::string>(),
                                                      it->at("artifacts").get<std::map<std::string, std::string>>()};
                }
            } catch (const nlohmann::json::exception&) {
                cache_->clear(); // a damaged cache is a cache miss for every stage
            }
        }
    }
    auto it = cache_->find(instance);
    return it == cache_->end() ? std::nullopt : std::optional(it->second);
}

void Store::remember(const std::string& instance, const CacheRecord& record) {
    cached(instance);
    (*cache_)[instance] = record;
    cache_changed_ = true;
}

void Store::save_cache() {
    if (!cache_changed_) {
        return;
    }
    nlohmann::json records = nlohmann::json::object();
    for (const auto& [name, record] : *cache_) {
        records[name] = {{"key", record.key}, {"artifacts", record.artifacts}};
    }
    fs::path folder = chain_dir() / "cache";
    fs::create_directories(folder);
    fs::path temporary = folder / "stages.json.tmp";
    std::ofstream(temporary) << records.dump(1) << "\n";
    fs::rename(temporary, folder / "stages.json");
    cache_changed_ = false;
}

} // namespace chain
