#pragma once
// The `.chain/` folder beside a pipeline: the artifact store by SHA-256, the cache of stages with inputs,
// and the records of runs (SPEC.md section 7).

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace chain {

/// A stage instance's name as one folder name, for `.chain/out/`, `.chain/scratch/` and a run's `logs/`:
/// each byte outside `[A-Za-z0-9._=-]`, and a leading `.`, is written `%XX` (its value in upper-case hex),
/// so that a matrix value's `/`, `..` or `[` never reaches the file system as such. `test[python=3.11]`
/// becomes `test%5Bpython=3.11%5D`.
std::string instance_folder_name(std::string_view instance);

/// Whether a name is a run id as new_run_id() makes it (`20260101T120000Z-4242`): only such a name, found
/// in `.chain/runs/`, in the run lock or on the command line, may name a run's folder.
bool looks_like_run_id(std::string_view name);

/// The run folders of `.chain/runs/` that hold a record, by id, oldest first: ids begin with the UTC
/// time, and runs of the same second (one at a time in a folder) go by when their record was written.
std::vector<std::string> runs_oldest_first(const std::filesystem::path& runs_dir);

/// A path chain was about to write or remove that is not inside the `.chain/` folder.
struct OutsideStore : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class Store {
  public:
    /// `root`: the folder of the pipeline file; the store is its `.chain/`.
    explicit Store(std::filesystem::path root);

    const std::filesystem::path& root() const { return root_; }
    std::filesystem::path chain_dir() const { return root_ / ".chain"; }

    /// The SHA-256 of a file, or of a folder: of its files' relative paths and contents, in sorted order.
    static std::string content_hash(const std::filesystem::path& path);

    /// `path` (relative to the pipeline's folder, or absolute) when it lies inside `.chain/`, both as written
    /// (with `.` and `..` resolved) and with the symbolic links of its existing folders followed; else
    /// throws OutsideStore. Every path chain writes or removes under `.chain/` is checked with it first.
    std::filesystem::path inside(const std::filesystem::path& path) const;

    /// The objects of `.chain/artifacts/` whose contents no longer match their name (`chain verify`).
    std::vector<std::filesystem::path> damaged_objects() const;
    /// Whether `.chain/artifacts/<hash>` exists and still holds the contents it is named by.
    bool intact(const std::string& hash) const;
    /// Removes a damaged object so that the stage that made it runs again.
    void discard(const std::string& hash);

    /// Moves what a successful stage wrote at `path` into `artifacts/<sha256>` (kept once per content)
    /// and leaves a symbolic link at `path`, so that consumers keep a stable path. The object is made
    /// read-only (no write permission on its files and folders). Returns the hash.
    std::string keep_artifact(const std::filesystem::path& path);
    /// Points `path` at an artifact already in the store (a cached stage's artifact).
    bool restore_artifact(const std::filesystem::path& path, const std::string& hash);

    /// An input file by its name relative to the pipeline's folder (`/`-separated), with its SHA-256.
    struct HashedInput {
        std::string name;
        std::string hash;
    };
    /// The SHA-256 of an input file, or nothing when it is not a file (a named input that is missing).
    /// It is remembered in `.chain/cache/files` with the file's size,
    /// modification time and inode, so that a rerun reads no unchanged file (as git's index does).
    std::optional<HashedInput> input_hash(const std::string& file);

    /// The files of the pipeline's folder that match any of the `inputs` globs (`**` and `*` cross folders),
    /// as paths under root(), in the order of their names taken as paths; an input without wildcards is given
    /// as it is, without looking whether it exists.
    std::vector<std::string> input_files(const std::vector<std::string>& globs) const;

    /// An object of `.chain/artifacts/` that nothing refers to: no run record kept in `.chain/runs/`, no
    /// cache record and no link in `.chain/out/` (what `chain gc` removes).
    struct Unreferenced {
        std::filesystem::path path;
        std::uintmax_t bytes = 0;
    };
    std::vector<Unreferenced> unreferenced_objects();
    /// Removes an object that unreferenced_objects() found.
    void remove_object(const std::filesystem::path& object);

    struct CacheRecord {
        std::string key;
        std::map<std::string, std::string> artifacts; // name -> hash
    };
    /// The instance's record, or null; valid until the next remember().
    const CacheRecord* cached(const std::string& instance);
    void remember(const std::string& instance, const CacheRecord& record);
    /// A file as `.chain/cache/files` remembers it: size, modification time and inode, and the SHA-256 of
    /// its contents then.
    struct FileStamp {
        std::uint64_t size = 0;
        std::int64_t mtime_ns = 0;
        std::uint64_t inode = 0;
        std::string hash;
        bool operator==(const FileStamp&) const = default;
    };
    struct KnownFile {
        FileStamp stamp;
        bool used = false;      // an input of this run: only those are written back
        bool unchanged = false; // looked at under the run lock and found as stamped: input_hash needs no stat
    };
    using KnownFiles = std::unordered_map<std::string, KnownFile>;
    /// The file stamps the last run left in `.chain/cache/files` of the pipeline folder `root`; throws
    /// what reading them throws.
    static KnownFiles file_stamps(const std::filesystem::path& root);
    /// Looks at each file of `files` (named relative to `root`) once, and marks those still as stamped
    /// `unchanged`. Done while the run lock is held, before the pipeline is planned, on a thread of its own
    /// (cli/run.cpp): a no-op run then finds its inputs looked at while it parsed, checked and planned.
    static void look_at(KnownFiles& files, const std::filesystem::path& root);
    /// Takes the stamps look_at() marked, before the first input_hash().
    void use(KnownFiles looked_at);
    /// Reads `.chain/cache/stages` now, if not read yet (the first cached() or remember() would), so that
    /// it is read while a thread runs look_at().
    void read_stage_records();
    /// Says that this run changed files (a step ran, an artifact's link was put back): from now on each
    /// input is looked at anew, as what was seen before may be out of date.
    void files_changed() { looks_current_ = false; }

    /// Writes the cache records (one file, replaced atomically) if any changed.
    void save_cache();

  private:
    std::filesystem::path root_;
    std::string under_root(const std::string& name) const;
    /// The pipeline folder's files (without .chain and .git) by relative name, listed once per run, sorted.
    const std::vector<std::pair<std::string, std::filesystem::path>>& listed_files() const;
    mutable std::optional<std::vector<std::pair<std::string, std::filesystem::path>>> files_;
    /// The cache records of every stage instance, read once: `.chain/cache/stages`.
    std::optional<std::unordered_map<std::string, CacheRecord>> cache_;
    bool cache_changed_ = false;

    /// `.chain/cache/files` as read, with the stamps of the input files hashed in this run put in.
    std::optional<KnownFiles> known_files_;
    bool looks_current_ = true; // what look_at() saw still holds: nothing of this run wrote files
    bool stamps_changed_ = false; // a stamp was added, changed or dropped since the file was read
    void save_file_stamps();
};

} // namespace chain
