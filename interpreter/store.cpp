#include "store.hpp"

#include "glob.hpp"
#include "stdlib/files.hpp"
#include "stdlib/sha256.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <ctime>
#include <set>
#include <fstream>
#include <tuple>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace chain {

namespace fs = std::filesystem;
using stdlib::read_file;
using stdlib::replace_file;

std::string instance_folder_name(std::string_view instance) {
    if (instance.empty()) {
        return "%"; // no instance is nameless; this keeps the name from being the folder above
    }
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string name;
    name.reserve(instance.size() + 8);
    for (std::size_t i = 0; i < instance.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(instance[i]);
        bool kept = std::isalnum(c) || c == '_' || c == '=' || c == '-' || (c == '.' && i > 0);
        if (kept) {
            name += static_cast<char>(c);
        } else {
            name += '%';
            name += hex[c >> 4];
            name += hex[c & 0xF];
        }
    }
    return name;
}

bool looks_like_run_id(std::string_view name) {
    return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || c == '-';
    });
}

std::vector<std::string> runs_oldest_first(const fs::path& runs_dir) {
    struct Found {
        std::string second;
        fs::file_time_type written;
        std::string id;
        bool operator<(const Found& other) const {
            return std::tie(second, written, id) < std::tie(other.second, other.written, other.id);
        }
    };
    std::vector<Found> found;
    std::error_code unreadable;
    for (const fs::directory_entry& entry : fs::directory_iterator(runs_dir, unreadable)) {
        std::string id = entry.path().filename().string();
        std::error_code no_record;
        fs::file_time_type written = fs::last_write_time(entry.path() / "run.json", no_record);
        if (looks_like_run_id(id) && !no_record) {
            found.push_back({id.substr(0, id.find('-')), written, id});
        }
    }
    std::sort(found.begin(), found.end());
    std::vector<std::string> ids;
    for (Found& run : found) {
        ids.push_back(std::move(run.id));
    }
    return ids;
}

namespace {

/// Whether `path` names something strictly inside `folder` (both without `.` and `..`).
bool strictly_inside(const fs::path& path, const fs::path& folder) {
    fs::path relative = path.lexically_relative(folder);
    return !relative.empty() && relative != "." && *relative.begin() != "..";
}

std::int64_t nanoseconds(const struct timespec& time) {
    return static_cast<std::int64_t>(time.tv_sec) * 1'000'000'000 + time.tv_nsec;
}

/// `path.lexically_relative(folder).generic_string()`, without building either path's components in the
/// usual case, a path that is the folder's text, a `/`, and a relative name without empty parts: for such a
/// path lexically_relative gives that name as it is. A no-op run asks this for every input file.
std::string relative_name(std::string_view whole, const fs::path& folder) {
    std::string_view base = folder.native();
    if (!base.empty() && whole.starts_with(base)) {
        std::string_view rest = whole.substr(base.size());
        if (!base.ends_with('/') && rest.starts_with('/')) {
            rest.remove_prefix(1);
        }
        if (!rest.empty() && (base.ends_with('/') || whole[base.size()] == '/') && !rest.starts_with('/') &&
            !rest.ends_with('/') && rest.find("//") == std::string_view::npos) {
            return std::string(rest);
        }
    }
    return fs::path(whole).lexically_relative(folder).generic_string();
}

/// The order of std::filesystem::path, element by element, without splitting the paths into elements: a
/// `/` sorts before any other character (`a/b` before `a-b`, as the element `a` before `a-b`).
bool path_order(const std::string& left, const std::string& right) {
    auto rank = [](char c) { return c == '/' ? 0 : static_cast<int>(static_cast<unsigned char>(c)) + 1; };
    return std::lexicographical_compare(left.begin(), left.end(), right.begin(), right.end(),
                                        [&](char a, char b) { return rank(a) < rank(b); });
}

} // namespace

Store::Store(fs::path root) : root_(std::move(root)) {}

std::string Store::under_root(const std::string& name) const {
    // What `root_ / name` is, without making a path of it: an absolute name stands alone.
    const std::string& root = root_.native();
    if (root.empty() || name.starts_with('/')) {
        return name;
    }
    return root.ends_with('/') ? root + name : root + '/' + name;
}

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
        // Lexically: fs::relative resolves symbolic links, so a venv's bin/python -> /usr/bin/python3 would
        // hash as a path from wherever the object lies, and an object would not match its name once moved.
        std::string relative = file.lexically_relative(target).generic_string();
        hash.update(relative);
        hash.update(std::string_view("\0", 1));
        hash.update(fs::is_symlink(file) ? fs::read_symlink(file).string() : sha256_hex(read_file(file)));
        hash.update(std::string_view("\0", 1));
    }
    return hash.hex();
}

fs::path Store::inside(const fs::path& path) const {
    fs::path base = fs::weakly_canonical(root_) / ".chain";
    fs::path written = (path.is_absolute() ? path : root_ / path).lexically_normal();
    // The last name is what is written or removed (a link there is replaced, not followed); the folders
    // above it are where that happens, so their links are followed.
    fs::path resolved = fs::weakly_canonical(written.parent_path()) / written.filename();
    if (!strictly_inside(written, chain_dir().lexically_normal()) || !strictly_inside(resolved, base) ||
        written.filename() == "..") {
        throw OutsideStore(fmt::format("refusing to write or remove {}: it is not inside {} (chain writes only "
                                       "there; a symbolic link on the way may lead elsewhere)",
                                       path.string(), chain_dir().string()));
    }
    return written;
}

std::string Store::keep_artifact(const fs::path& path) {
    fs::path where = inside(path);
    std::string hash = content_hash(where);
    fs::path objects = inside(chain_dir() / "artifacts");
    fs::create_directories(objects);
    fs::path object = objects / hash;
    if (fs::exists(object) && !intact(hash)) {
        discard(hash); // changed in place since it was stored: this run's output takes its place
    }
    if (fs::exists(object)) {
        stdlib::remove_tree(where);
    } else {
        fs::rename(where, object); // one rename: the object appears whole or not at all
        stdlib::make_read_only(object);
    }
    fs::create_directory_symlink(fs::relative(object, where.parent_path()), where);
    return hash;
}

bool Store::restore_artifact(const fs::path& path, const std::string& hash) {
    if (!intact(hash)) {
        return false;
    }
    fs::path where = inside(path);
    fs::path target = fs::relative(chain_dir() / "artifacts" / hash, where.parent_path());
    std::error_code not_a_link;
    if (fs::read_symlink(where, not_a_link) == target && !not_a_link) {
        return true; // already in place (a no-op run): nothing to write
    }
    files_changed();
    fs::create_directories(where.parent_path());
    stdlib::remove_tree(where);
    fs::create_directory_symlink(target, where);
    return true;
}

bool Store::intact(const std::string& hash) const {
    // A name from a damaged cache record must not lead out of the store.
    if (hash.size() != 64 || !std::all_of(hash.begin(), hash.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); })) {
        return false;
    }
    fs::path object = chain_dir() / "artifacts" / hash;
    std::error_code error;
    return fs::exists(fs::symlink_status(object, error)) && content_hash(object) == hash;
}

void Store::discard(const std::string& hash) { stdlib::remove_tree(inside(chain_dir() / "artifacts" / hash)); }

std::vector<fs::path> Store::damaged_objects() const {
    std::vector<fs::path> damaged;
    fs::path objects = chain_dir() / "artifacts";
    if (!fs::is_directory(objects)) {
        return damaged;
    }
    for (const auto& entry : fs::directory_iterator(objects)) {
        if (!intact(entry.path().filename().string())) {
            damaged.push_back(entry.path());
        }
    }
    std::sort(damaged.begin(), damaged.end());
    return damaged;
}

namespace {

/// One line per file: `SHA256 SIZE MTIME_NS INODE PATH`. It is read at every run, and as plain text it
/// reads several times faster than JSON; a damaged line only means reading that file again.
Store::KnownFiles read_file_stamps(std::string_view text) {
    Store::KnownFiles files;
    files.reserve(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')));
    while (!text.empty()) {
        std::size_t end = text.find('\n');
        std::string_view line = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
        Store::FileStamp stamp;
        std::size_t fields[4];
        std::size_t at = 0;
        bool whole = true;
        for (std::size_t& field : fields) {
            field = line.find(' ', at);
            whole = whole && field != std::string_view::npos;
            at = whole ? field + 1 : line.size();
        }
        if (!whole || fields[0] != 64) {
            continue;
        }
        auto number = [&](std::size_t from, std::size_t to, auto& value) {
            return std::from_chars(line.data() + from, line.data() + to, value).ec == std::errc();
        };
        stamp.hash = line.substr(0, 64);
        if (number(fields[0] + 1, fields[1], stamp.size) && number(fields[1] + 1, fields[2], stamp.mtime_ns) &&
            number(fields[2] + 1, fields[3], stamp.inode)) {
            files.insert_or_assign(std::string(line.substr(fields[3] + 1)), Store::KnownFile{std::move(stamp)});
        }
    }
    return files;
}

/// One line per stage instance: `NAME<tab>KEY`, then `<tab>ARTIFACT=SHA256` for each artifact. Read at
/// every run like the file stamps, and plain for the same reason; a damaged line is a cache miss.
std::unordered_map<std::string, Store::CacheRecord> parse_stage_records(std::string_view text) {
    std::unordered_map<std::string, Store::CacheRecord> records;
    records.reserve(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')));
    std::string_view rest = text;
    std::vector<std::string_view> fields;
    while (!rest.empty()) {
        std::size_t end = rest.find('\n');
        std::string_view line = rest.substr(0, end);
        rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
        fields.clear();
        for (std::size_t at = 0; at <= line.size();) {
            std::size_t tab = std::min(line.find('\t', at), line.size());
            fields.push_back(line.substr(at, tab - at));
            at = tab + 1;
        }
        if (fields.size() < 2) {
            continue;
        }
        Store::CacheRecord record{std::string(fields[1]), {}};
        bool whole = true;
        for (std::size_t i = 2; i < fields.size(); ++i) {
            std::size_t equals = fields[i].find('=');
            whole = whole && equals != std::string_view::npos;
            if (whole) {
                record.artifacts.emplace(fields[i].substr(0, equals), fields[i].substr(equals + 1));
            }
        }
        if (whole) {
            records.insert_or_assign(std::string(fields[0]), std::move(record));
        }
    }
    return records;
}

/// A table's entries in order of name: the files written from it do not depend on how it hashes.
template <typename Table> std::vector<const typename Table::value_type*> by_name(const Table& table) {
    std::vector<const typename Table::value_type*> entries;
    entries.reserve(table.size());
    for (const auto& entry : table) {
        entries.push_back(&entry);
    }
    std::sort(entries.begin(), entries.end(), [](const auto* a, const auto* b) { return a->first < b->first; });
    return entries;
}

/// The stamp of a regular file as it is now (without its hash), or nothing; `file` is looked up from the
/// folder open as `folder` (AT_FDCWD: the current one) unless it is absolute.
std::optional<Store::FileStamp> stamp_of(const std::string& file, int folder = AT_FDCWD) {
    struct stat info {};
    if (::fstatat(folder, file.c_str(), &info, 0) != 0 || !S_ISREG(info.st_mode)) {
        return std::nullopt;
    }
    return Store::FileStamp{static_cast<std::uint64_t>(info.st_size), nanoseconds(info.st_mtim),
                            static_cast<std::uint64_t>(info.st_ino), {}};
}

bool same_file(const Store::FileStamp& now, const Store::FileStamp& known) {
    return now.size == known.size && now.mtime_ns == known.mtime_ns && now.inode == known.inode;
}

/// The text of a file of `.chain/cache/`, empty when there is none; one that cannot be read (a folder in
/// its place) is an error, whoever reads it first.
std::string cache_file_text(const fs::path& chain_dir, const char* name) {
    fs::path file = chain_dir / "cache" / name;
    return fs::exists(file) ? read_file(file) : "";
}

} // namespace

Store::KnownFiles Store::file_stamps(const fs::path& root) {
    return read_file_stamps(cache_file_text(root / ".chain", "files"));
}

void Store::look_at(KnownFiles& files, const fs::path& root) {
    // Each name is looked up from the folder, not from the root of the file system: a third less time a
    // file. The names are relative (relative_name); one that is not is left for the run to look at.
    int folder = ::open(root.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (folder < 0) {
        return; // nothing marked: the run looks at each file itself
    }
    for (auto& [name, known] : files) {
        if (!name.starts_with('/')) {
            std::optional<FileStamp> now = stamp_of(name, folder);
            known.unchanged = now && same_file(*now, known.stamp);
        }
    }
    ::close(folder);
}

void Store::use(KnownFiles looked_at) { known_files_ = std::move(looked_at); }

std::optional<Store::HashedInput> Store::input_hash(const std::string& file) {
    if (!known_files_) {
        known_files_ = read_file_stamps(cache_file_text(chain_dir(), "files"));
    }
    std::string key = relative_name(file, root_);
    auto known = known_files_->find(key);
    if (known != known_files_->end() && known->second.unchanged && looks_current_) {
        known->second.used = true;
        return HashedInput{std::move(key), known->second.stamp.hash};
    }
    // A file changed within the same clock tick as its modification time could keep that time, so only a
    // file last modified before the current tick began may be recognised by its stamp later.
    struct timespec now {};
    ::clock_gettime(CLOCK_REALTIME_COARSE, &now);
    std::optional<FileStamp> stamp = stamp_of(file);
    if (!stamp) {
        return std::nullopt;
    }
    if (known != known_files_->end() && same_file(*stamp, known->second.stamp)) {
        known->second.used = true;
        return HashedInput{std::move(key), known->second.stamp.hash};
    }
    stamp->hash = sha256_hex(read_file(file));
    std::string hash = stamp->hash;
    if (stamp->mtime_ns < nanoseconds(now)) {
        (*known_files_)[key] = KnownFile{std::move(*stamp), true};
        stamps_changed_ = true;
    } else if (known != known_files_->end()) {
        known->second.used = false; // its stamp is stale, and the new one too young to be trusted
        stamps_changed_ = true;
    }
    return HashedInput{std::move(key), std::move(hash)};
}

void Store::save_file_stamps() {
    if (!known_files_ || (!stamps_changed_ && std::all_of(known_files_->begin(), known_files_->end(),
                                                          [](const auto& known) { return known.second.used; }))) {
        return;
    }
    std::string text;
    for (const auto* entry : by_name(*known_files_)) {
        const auto& [name, known] = *entry;
        const FileStamp& stamp = known.stamp;
        if (known.used && name.find('\n') == std::string::npos) {
            text += fmt::format("{} {} {} {} {}\n", stamp.hash, stamp.size, stamp.mtime_ns, stamp.inode, name);
        }
    }
    replace_file(chain_dir() / "cache" / "files", text);
}

std::vector<std::string> Store::input_files(const std::vector<std::string>& globs) const {
    // Inputs that name files without wildcards need no listing of the folder.
    bool literal = std::none_of(globs.begin(), globs.end(), [](const std::string& glob) {
        return glob.find_first_of("*?") != std::string::npos || glob.starts_with(".chain/") || glob.starts_with(".git/");
    });
    if (literal && globs.size() == 1) {
        return {under_root(globs.front())}; // the usual input: one file, nothing to sort
    }
    std::vector<std::string> files;
    for (const std::string& glob : globs) {
        if (literal) {
            files.push_back(under_root(glob)); // input_hash tells a missing one
            continue;
        }
        // Only the names that start with a glob's text before its first wildcard can match it: a binary
        // search finds them, so that many stages with inputs do not each scan every file.
        const auto& listing = listed_files();
        std::string prefix = glob.substr(0, glob.find_first_of("*?"));
        auto first = std::lower_bound(listing.begin(), listing.end(), prefix,
                                      [](const auto& file, const std::string& key) { return file.first < key; });
        for (auto it = first; it != listing.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
            if (glob_match(glob, it->first)) {
                files.push_back(it->second.native());
            }
        }
    }
    std::sort(files.begin(), files.end(), path_order);
    files.erase(std::unique(files.begin(), files.end()), files.end());
    return files;
}

const std::vector<std::pair<std::string, fs::path>>& Store::listed_files() const {
    if (!files_) {
        files_.emplace();
        auto it = fs::recursive_directory_iterator(root_, fs::directory_options::skip_permission_denied);
        for (auto end = fs::recursive_directory_iterator(); it != end; ++it) {
            std::string name = it->path().filename().string();
            if (it->is_directory() && (name == ".chain" || name == ".git")) {
                it.disable_recursion_pending();
            } else if (it->is_regular_file()) {
                files_->emplace_back(relative_name(it->path().native(), root_), it->path());
            }
        }
        std::sort(files_->begin(), files_->end());
    }
    return *files_;
}

void Store::read_stage_records() {
    if (!cache_) {
        cache_ = parse_stage_records(cache_file_text(chain_dir(), "stages"));
    }
}

const Store::CacheRecord* Store::cached(const std::string& instance) {
    read_stage_records();
    auto it = cache_->find(instance);
    return it == cache_->end() ? nullptr : &it->second;
}

void Store::remember(const std::string& instance, const CacheRecord& record) {
    read_stage_records();
    (*cache_)[instance] = record;
    cache_changed_ = true;
}

void Store::save_cache() {
    save_file_stamps();
    if (!cache_changed_) {
        return;
    }
    std::string text;
    for (const auto* entry : by_name(*cache_)) {
        const auto& [name, record] = *entry;
        if (name.find_first_of("\t\n") != std::string::npos) {
            continue;
        }
        text += name + '\t' + record.key;
        for (const auto& [artifact, hash] : record.artifacts) {
            text += '\t' + artifact + '=' + hash;
        }
        text += '\n';
    }
    replace_file(chain_dir() / "cache" / "stages", text);
    cache_changed_ = false;
}

namespace {

/// The size of a file, or of what a folder holds; a link counts as nothing (its target is elsewhere).
std::uintmax_t bytes_of(const fs::path& path) {
    std::error_code unreadable;
    if (fs::is_regular_file(fs::symlink_status(path, unreadable))) {
        return fs::file_size(path, unreadable);
    }
    std::uintmax_t total = 0;
    for (fs::recursive_directory_iterator it(path, unreadable), end; !unreadable && it != end; it.increment(unreadable)) {
        if (it->is_regular_file(unreadable) && !it->is_symlink(unreadable)) {
            total += it->file_size(unreadable);
        }
    }
    return total;
}

/// The objects the kept run records name: every stage's artifacts with their SHA-256. A record that cannot
/// be read names nothing (a run that was killed before it wrote its stages made nothing it kept).
void add_recorded_objects(const fs::path& runs_dir, std::set<std::string>& referenced) {
    for (const std::string& id : runs_oldest_first(runs_dir)) {
        std::ifstream in(runs_dir / id / "run.json", std::ios::binary);
        nlohmann::json record = nlohmann::json::parse(in, nullptr, false);
        if (!record.is_object() || !record.contains("stages") || !record["stages"].is_array()) {
            continue;
        }
        for (const nlohmann::json& stage : record["stages"]) {
            if (!stage.is_object() || !stage.contains("artifacts") || !stage["artifacts"].is_object()) {
                continue;
            }
            for (const auto& [name, artifact] : stage["artifacts"].items()) {
                if (artifact.is_object() && artifact.contains("sha256") && artifact["sha256"].is_string()) {
                    referenced.insert(artifact["sha256"].get<std::string>());
                }
            }
        }
    }
}

/// The objects the links of `.chain/out/` point at (a stage's artifacts where its consumers find them).
void add_linked_objects(const fs::path& out_dir, std::set<std::string>& referenced) {
    std::error_code unreadable;
    for (fs::recursive_directory_iterator it(out_dir, unreadable), end; !unreadable && it != end; it.increment(unreadable)) {
        if (it->is_symlink(unreadable)) {
            fs::path target = fs::read_symlink(it->path(), unreadable);
            if (!unreadable && target.parent_path().filename() == "artifacts") {
                referenced.insert(target.filename().string());
            }
        }
    }
}

} // namespace

std::vector<Store::Unreferenced> Store::unreferenced_objects() {
    std::set<std::string> referenced;
    read_stage_records();
    for (const auto& [instance, record] : *cache_) {
        for (const auto& [name, hash] : record.artifacts) {
            referenced.insert(hash);
        }
    }
    add_recorded_objects(chain_dir() / "runs", referenced);
    add_linked_objects(chain_dir() / "out", referenced);
    std::vector<Unreferenced> unreferenced;
    std::error_code unreadable;
    for (const fs::directory_entry& entry : fs::directory_iterator(chain_dir() / "artifacts", unreadable)) {
        if (!referenced.contains(entry.path().filename().string())) {
            unreferenced.push_back({entry.path(), bytes_of(entry.path())});
        }
    }
    std::sort(unreferenced.begin(), unreferenced.end(),
              [](const Unreferenced& a, const Unreferenced& b) { return a.path < b.path; });
    return unreferenced;
}

void Store::remove_object(const fs::path& object) {
    fs::path where = inside(object);
    if (where.parent_path() != inside(chain_dir() / "artifacts")) {
        throw OutsideStore(fmt::format("{} is not an object of the artifact store", object.string()));
    }
    stdlib::remove_tree(where);
}

} // namespace chain
