#pragma once
// The files of a git revision, read from its tree through libgit2: `chain plan --diff` compares the pipeline
// with the one a revision holds without checking anything out.

#include "grammar/source.hpp"

#include <memory>
#include <string>

namespace chain {

class RevisionFiles {
  public:
    /// Opens the repository around `path` and the tree of `revision` (anything git rev-parse takes); when
    /// either cannot be found, `problem()` says why.
    RevisionFiles(const std::string& path, const std::string& revision);
    ~RevisionFiles();
    RevisionFiles(const RevisionFiles&) = delete;
    RevisionFiles& operator=(const RevisionFiles&) = delete;

    const std::string& problem() const { return problem_; }

    /// The file at `path` (as the working tree names it) as it is at the revision, named `REVISION:PATH`
    /// with PATH relative to the repository; why not when it is not there.
    LoadedSource read(const std::string& path) const;

  private:
    struct Handles;
    std::unique_ptr<Handles> handles_;
    std::string revision_;
    std::string problem_;
};

} // namespace chain
