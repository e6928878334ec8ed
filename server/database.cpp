#include "database.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <ctime>
#include <fmt/format.h>

namespace chain::server {

namespace {

constexpr const char* columns =
    "id, repository, ref, commit_id, status, pusher, approved, queued_at, started_at, "
    "finished_at, duration, version, upstream, superseded_by, work_dir, error, "
    "trigger_token, upstream_env, approves";

std::optional<std::string> optional_text(const SQLite::Column& column) {
    return column.isNull() ? std::nullopt : std::optional<std::string>(column.getString());
}

RunRow read_row(SQLite::Statement& query) {
    RunRow row;
    row.id = query.getColumn(0).getInt64();
    row.repository = query.getColumn(1).getString();
    row.ref = query.getColumn(2).getString();
    row.commit = query.getColumn(3).getString();
    row.status = query.getColumn(4).getString();
    row.pusher = query.getColumn(5).getString();
    nlohmann::json approved = nlohmann::json::parse(query.getColumn(6).getString(), nullptr, false);
    if (approved.is_array()) {
        for (const auto& name : approved) {
            if (name.is_string()) {
                row.approved.push_back(name.get<std::string>());
            }
        }
    }
    row.queued_at = query.getColumn(7).getString();
    row.started_at = optional_text(query.getColumn(8));
    row.finished_at = optional_text(query.getColumn(9));
    if (!query.getColumn(10).isNull()) {
        row.duration_seconds = query.getColumn(10).getDouble();
    }
    row.version = optional_text(query.getColumn(11));
    if (!query.getColumn(12).isNull()) {
        row.upstream = query.getColumn(12).getInt64();
    }
    if (!query.getColumn(13).isNull()) {
        row.superseded_by = query.getColumn(13).getInt64();
    }
    row.work_dir = query.getColumn(14).getString();
    row.error = query.getColumn(15).getString();
    row.trigger_token = query.getColumn(16).getString();
    nlohmann::json env = nlohmann::json::parse(query.getColumn(17).getString(), nullptr, false);
    if (env.is_object()) {
        for (const auto& [name, value] : env.items()) {
            if (value.is_string()) {
                row.upstream_env.emplace_back(name, value.get<std::string>());
            }
        }
    }
    if (!query.getColumn(18).isNull()) {
        row.approves = query.getColumn(18).getInt64();
    }
    return row;
}

std::vector<RunRow> read_rows(SQLite::Statement& query) {
    std::vector<RunRow> rows;
    while (query.executeStep()) {
        rows.push_back(read_row(query));
    }
    return rows;
}

} // namespace

std::string utc_now() {
    std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm parts{};
    gmtime_r(&now, &parts);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
    return text;
}

RunDatabase::RunDatabase(const std::filesystem::path& file)
    : db_(std::make_unique<SQLite::Database>(file.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE)) {
    // WAL: readers (the pages, the API) never wait for the workers' writes.
    db_->exec("PRAGMA journal_mode = WAL");
    db_->exec("PRAGMA synchronous = NORMAL");
    db_->exec(
        "CREATE TABLE IF NOT EXISTS runs ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT, repository TEXT NOT NULL, ref TEXT NOT NULL,"
        " commit_id TEXT NOT NULL, status TEXT NOT NULL, pusher TEXT NOT NULL DEFAULT '',"
        " approved TEXT NOT NULL DEFAULT '[]', queued_at TEXT NOT NULL, started_at TEXT, finished_at TEXT,"
        " duration REAL, version TEXT, upstream INTEGER, superseded_by INTEGER,"
        " work_dir TEXT NOT NULL DEFAULT '', error TEXT NOT NULL DEFAULT '',"
        " trigger_token TEXT NOT NULL DEFAULT '', upstream_env TEXT NOT NULL DEFAULT '{}',"
        " approves INTEGER)");
    // A state folder from before approvals were linked gets the column; its runs approve nothing.
    bool has_approves = false;
    {
        SQLite::Statement column(*db_,
                                 "SELECT COUNT(*) FROM pragma_table_info('runs') WHERE name = 'approves'");
        has_approves = column.executeStep() && column.getColumn(0).getInt() > 0;
    }
    if (!has_approves) {
        db_->exec("ALTER TABLE runs ADD COLUMN approves INTEGER");
    }
    db_->exec("CREATE INDEX IF NOT EXISTS runs_by_repository ON runs (repository, id)");
}

RunDatabase::~RunDatabase() = default;

std::int64_t RunDatabase::enqueue(const NewRun& run) {
    std::lock_guard lock(mutex_);
    SQLite::Transaction transaction(*db_);
    SQLite::Statement insert(
        *db_, "INSERT INTO runs (repository, ref, commit_id, status, pusher, approved, queued_at,"
              " upstream, upstream_env, approves) VALUES (?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?)");
    insert.bind(1, run.repository);
    insert.bind(2, run.ref);
    insert.bind(3, run.commit);
    insert.bind(4, run.pusher);
    insert.bind(5, nlohmann::json(run.approved).dump());
    insert.bind(6, utc_now());
    if (run.upstream) {
        insert.bind(7, static_cast<std::int64_t>(*run.upstream));
    } else {
        insert.bind(7);
    }
    nlohmann::json env = nlohmann::json::object();
    for (const auto& [name, value] : run.upstream_env) {
        env[name] = value;
    }
    insert.bind(8, env.dump());
    if (run.approves) {
        insert.bind(9, static_cast<std::int64_t>(*run.approves));
    } else {
        insert.bind(9);
    }
    insert.exec();
    std::int64_t id = db_->getLastInsertRowid();
    if (!run.upstream) {
        SQLite::Statement supersede(
            *db_, "UPDATE runs SET status = 'superseded', superseded_by = ?, finished_at = ?"
                  " WHERE repository = ? AND ref = ? AND status = 'queued'"
                  " AND upstream IS NULL AND id <> ?");
        supersede.bind(1, id);
        supersede.bind(2, utc_now());
        supersede.bind(3, run.repository);
        supersede.bind(4, run.ref);
        supersede.bind(5, id);
        supersede.exec();
    }
    transaction.commit();
    return id;
}

std::optional<RunRow> RunDatabase::claim_next() {
    std::lock_guard lock(mutex_);
    SQLite::Statement query(*db_,
                            fmt::format("SELECT {} FROM runs WHERE status = 'queued' AND upstream IS NULL"
                                        " ORDER BY id LIMIT 1",
                                        columns));
    if (!query.executeStep()) {
        return std::nullopt;
    }
    RunRow row = read_row(query);
    SQLite::Statement update(*db_, "UPDATE runs SET status = 'running', started_at = ? WHERE id = ?");
    update.bind(1, utc_now());
    update.bind(2, row.id);
    update.exec();
    row.status = "running";
    return row;
}

bool RunDatabase::claim(std::int64_t id) {
    std::lock_guard lock(mutex_);
    SQLite::Statement update(
        *db_, "UPDATE runs SET status = 'running', started_at = ? WHERE id = ? AND status = 'queued'");
    update.bind(1, utc_now());
    update.bind(2, id);
    return update.exec() == 1;
}

void RunDatabase::requeue(std::int64_t id) {
    std::lock_guard lock(mutex_);
    SQLite::Statement update(*db_, "UPDATE runs SET status = 'queued', started_at = NULL, work_dir = '',"
                                   " trigger_token = '' WHERE id = ?");
    update.bind(1, id);
    update.exec();
}

void RunDatabase::set_work(std::int64_t id, const std::string& work_dir, const std::string& trigger_token) {
    std::lock_guard lock(mutex_);
    SQLite::Statement update(*db_, "UPDATE runs SET work_dir = ?, trigger_token = ? WHERE id = ?");
    update.bind(1, work_dir);
    update.bind(2, trigger_token);
    update.bind(3, id);
    update.exec();
}

void RunDatabase::finish(std::int64_t id, const std::string& status,
                         const std::optional<std::string>& version, double duration_seconds,
                         const std::string& error) {
    std::lock_guard lock(mutex_);
    SQLite::Statement update(
        *db_, "UPDATE runs SET status = ?, version = ?, duration = ?, finished_at = ?, error = ?,"
              " trigger_token = '' WHERE id = ?");
    update.bind(1, status);
    if (version) {
        update.bind(2, *version);
    } else {
        update.bind(2);
    }
    update.bind(3, duration_seconds);
    update.bind(4, utc_now());
    update.bind(5, error);
    update.bind(6, id);
    update.exec();
}

std::vector<RunRow> RunDatabase::interrupt_running() {
    std::lock_guard lock(mutex_);
    SQLite::Statement query(*db_,
                            fmt::format("SELECT {} FROM runs WHERE status = 'running' ORDER BY id", columns));
    std::vector<RunRow> rows = read_rows(query);
    SQLite::Statement update(*db_,
                             "UPDATE runs SET status = 'interrupted', finished_at = ?, trigger_token = '',"
                             " error = 'the server stopped during the run' WHERE status = 'running'");
    update.bind(1, utc_now());
    update.exec();
    return rows;
}

std::vector<RunRow> RunDatabase::queued_downstream() {
    std::lock_guard lock(mutex_);
    SQLite::Statement query(*db_,
                            fmt::format("SELECT {} FROM runs WHERE status = 'queued' AND upstream IS NOT NULL"
                                        " ORDER BY id",
                                        columns));
    return read_rows(query);
}

std::optional<RunRow> RunDatabase::get(std::int64_t id) {
    std::lock_guard lock(mutex_);
    SQLite::Statement query(*db_, fmt::format("SELECT {} FROM runs WHERE id = ?", columns));
    query.bind(1, id);
    if (!query.executeStep()) {
        return std::nullopt;
    }
    return read_row(query);
}

std::vector<RunRow> RunDatabase::list(const std::string& repository, std::size_t limit) {
    std::lock_guard lock(mutex_);
    SQLite::Statement query(*db_, fmt::format("SELECT {} FROM runs WHERE (? = '' OR repository = ?)"
                                              " ORDER BY id DESC LIMIT ?",
                                              columns));
    query.bind(1, repository);
    query.bind(2, repository);
    query.bind(3, static_cast<std::int64_t>(limit));
    return read_rows(query);
}

std::vector<std::int64_t> RunDatabase::downstream_of(std::int64_t id) {
    std::lock_guard lock(mutex_);
    SQLite::Statement query(*db_, "SELECT id FROM runs WHERE upstream = ? ORDER BY id");
    query.bind(1, id);
    std::vector<std::int64_t> ids;
    while (query.executeStep()) {
        ids.push_back(query.getColumn(0).getInt64());
    }
    return ids;
}

std::vector<std::int64_t> RunDatabase::approvals_of(std::int64_t id) {
    std::lock_guard lock(mutex_);
    SQLite::Statement query(*db_, "SELECT id FROM runs WHERE approves = ? ORDER BY id");
    query.bind(1, id);
    std::vector<std::int64_t> ids;
    while (query.executeStep()) {
        ids.push_back(query.getColumn(0).getInt64());
    }
    return ids;
}

std::vector<RunRow> RunDatabase::last_run_per_branch(const std::string& repository) {
    std::lock_guard lock(mutex_);
    SQLite::Statement query(*db_,
                            fmt::format("SELECT {} FROM runs WHERE id IN (SELECT MAX(id) FROM runs"
                                        " WHERE repository = ? AND ref LIKE 'refs/heads/%' GROUP BY ref)"
                                        " ORDER BY ref",
                                        columns));
    query.bind(1, repository);
    return read_rows(query);
}

std::vector<RunRow> RunDatabase::finished_past(const std::string& repository, unsigned keep) {
    std::lock_guard lock(mutex_);
    SQLite::Statement query(*db_, fmt::format("SELECT {} FROM runs WHERE repository = ?"
                                              " AND status NOT IN ('queued', 'running')"
                                              " ORDER BY id DESC LIMIT -1 OFFSET ?",
                                              columns));
    query.bind(1, repository);
    query.bind(2, static_cast<std::int64_t>(keep));
    return read_rows(query);
}

void RunDatabase::remove(const std::vector<std::int64_t>& ids) {
    std::lock_guard lock(mutex_);
    SQLite::Transaction transaction(*db_);
    for (std::int64_t id : ids) {
        SQLite::Statement remove(*db_, "DELETE FROM runs WHERE id = ?");
        remove.bind(1, id);
        remove.exec();
    }
    transaction.commit();
}

} // namespace chain::server
