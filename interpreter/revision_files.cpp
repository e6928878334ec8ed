#include "revision_files.hpp"

#include <fmt/format.h>
#include <git2.h>

#include <filesystem>

namespace chain {

namespace {

std::string last_git_error() {
    const git_error* error = git_error_last();
    return error && error->message ? error->message : "unknown error";
}

} // namespace

struct RevisionFiles::Handles {
    git_repository* repository = nullptr;
    git_tree* tree = nullptr;
    std::filesystem::path workdir;

    ~Handles() {
        git_tree_free(tree);
        git_repository_free(repository);
    }
};

RevisionFiles::RevisionFiles(const std::string& path, const std::string& revision)
    : handles_(std::make_unique<Handles>()), revision_(revision) {
    static const int initialised = git_libgit2_init();
    (void)initialised;
    std::filesystem::path folder = std::filesystem::path(path).parent_path();
    if (git_repository_open_ext(&handles_->repository, folder.empty() ? "." : folder.c_str(), 0, nullptr) != 0) {
        problem_ = fmt::format("{} is not in a git repository", path);
        return;
    }
    const char* workdir = git_repository_workdir(handles_->repository);
    if (!workdir) {
        problem_ = "the repository has no working tree to compare with";
        return;
    }
    handles_->workdir = std::filesystem::weakly_canonical(workdir);
    git_object* object = nullptr;
    if (git_revparse_single(&object, handles_->repository, (revision + "^{tree}").c_str()) != 0) {
        problem_ = fmt::format("no revision '{}' in the repository ({})", revision, last_git_error());
        return;
    }
    handles_->tree = reinterpret_cast<git_tree*>(object);
}

RevisionFiles::~RevisionFiles() = default;

LoadedSource RevisionFiles::read(const std::string& path) const {
    std::filesystem::path inside =
        std::filesystem::weakly_canonical(std::filesystem::absolute(path)).lexically_relative(handles_->workdir);
    if (inside.empty() || *inside.begin() == "..") {
        return {nullptr, "outside the repository"};
    }
    std::string name = inside.generic_string();
    git_tree_entry* entry = nullptr;
    if (git_tree_entry_bypath(&entry, handles_->tree, name.c_str()) != 0) {
        return {nullptr, fmt::format("no such file at {}", revision_)};
    }
    git_object* object = nullptr;
    int failed = git_tree_entry_type(entry) != GIT_OBJECT_BLOB ||
                 git_tree_entry_to_object(&object, handles_->repository, entry) != 0;
    git_tree_entry_free(entry);
    if (failed) {
        return {nullptr, fmt::format("not a file at {}", revision_)};
    }
    const git_blob* blob = reinterpret_cast<const git_blob*>(object);
    std::string text(static_cast<const char*>(git_blob_rawcontent(blob)), git_blob_rawsize(blob));
    git_object_free(object);
    return {std::make_shared<const SourceFile>(revision_ + ":" + name, std::move(text)), ""};
}

} // namespace chain
