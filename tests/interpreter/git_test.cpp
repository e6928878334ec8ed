#include "interpreter/git.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

using namespace chain;

namespace {

/// A real git repository in a temporary folder, removed at the end of the test.
class TempRepository {
  public:
    TempRepository() {
        char pattern[] = "/tmp/chain-git-test-XXXXXX";
        path_ = mkdtemp(pattern);
    }
    ~TempRepository() { std::filesystem::remove_all(path_); }

    void git(const std::string& arguments) {
        std::string command = "git -C '" + path_ + "' -c user.name=t -c user.email=t@example.invalid " +
                              "-c commit.gpgsign=false -c tag.gpgsign=false " + arguments + " >/dev/null 2>&1";
        REQUIRE(std::system(command.c_str()) == 0);
    }
    void commit(const std::string& message) {
        std::ofstream(path_ + "/file", std::ios::app) << message << "\n";
        git("add -A");
        git("commit -q -m '" + message + "'");
    }
    const std::string& path() const { return path_; }

  private:
    std::string path_;
};

std::string version_on(const TempRepository& repo, refs::Ref ref) {
    return pipeline_version(ref, read_repository(repo.path()).facts);
}

} // namespace

TEST_CASE("a folder outside any repository has no ref") {
    char pattern[] = "/tmp/chain-no-git-XXXXXX";
    std::string folder = mkdtemp(pattern);
    GitRepository repository = read_repository(folder);
    CHECK_FALSE(repository.head);
    CHECK(repository.problem.find("is not inside a git repository") != std::string::npos);
    std::filesystem::remove_all(folder);
}

TEST_CASE("a repository without commits has no ref") {
    TempRepository repo;
    repo.git("init -q -b develop");
    GitRepository repository = read_repository(repo.path());
    CHECK_FALSE(repository.head);
    CHECK(repository.problem == "the git repository has no commits yet");
}

TEST_CASE("without tags, T is 0.0.0 and N counts all commits") {
    TempRepository repo;
    repo.git("init -q -b develop");
    repo.commit("one");
    repo.commit("two");
    repo.commit("three");
    GitRepository repository = read_repository(repo.path());
    REQUIRE(repository.head);
    CHECK(*repository.head == refs::Ref{false, "develop"});
    CHECK(version_on(repo, {false, "develop"}) == "0.0.1.dev3");
    CHECK(version_on(repo, {false, "feature/x"}) == "0.0.1.dev3");
    CHECK(version_on(repo, {false, "master"}) == "0.0.0.post3");
    CHECK(version_on(repo, {false, "release/1.4"}) == "1.4.0rc3");
}

TEST_CASE("after an annotated tag, N counts the commits since it") {
    TempRepository repo;
    repo.git("init -q -b master");
    repo.commit("one");
    repo.git("tag -a v1.2.0 -m release");
    repo.commit("two");
    repo.commit("three");
    CHECK(version_on(repo, {false, "develop"}) == "1.2.1.dev2");
    CHECK(version_on(repo, {false, "master"}) == "1.2.0.post2");
    CHECK(version_on(repo, {false, "hotfix/1.2.4"}) == "1.2.4rc2");
    CHECK(version_on(repo, {false, "release/1.4"}) == "1.4.0rc2");
    CHECK(version_on(repo, {false, "release/next"}) == "1.2.0rc2"); // no version in the name: T
    CHECK(version_on(repo, {false, "feature/x"}) == "1.2.1.dev2");
}

TEST_CASE("a lightweight tag on HEAD gives its version on any branch") {
    TempRepository repo;
    repo.git("init -q -b master");
    repo.commit("one");
    repo.commit("two");
    repo.git("tag 1.3.0");
    CHECK(version_on(repo, {false, "master"}) == "1.3.0");
    CHECK(version_on(repo, {false, "develop"}) == "1.3.0");
}

TEST_CASE("the nearest version tag wins and other tags are ignored") {
    TempRepository repo;
    repo.git("init -q -b develop");
    repo.commit("one");
    repo.git("tag v1.0.0");
    repo.commit("two");
    repo.git("tag v1.1.0");
    repo.commit("three");
    repo.git("tag nightly");
    repo.commit("four");
    GitFacts facts = read_repository(repo.path()).facts;
    REQUIRE(facts.nearest_tag);
    CHECK(facts.nearest_tag->minor == 1);
    CHECK(facts.commits_since_tag == 2);
    CHECK(pipeline_version({false, "develop"}, facts) == "1.1.1.dev2");
}

TEST_CASE("a detached HEAD on a tag is that tag") {
    TempRepository repo;
    repo.git("init -q -b develop");
    repo.commit("one");
    repo.git("tag -a v2.0.0 -m release");
    repo.commit("two");
    repo.git("checkout -q v2.0.0");
    GitRepository repository = read_repository(repo.path());
    REQUIRE(repository.head);
    CHECK(*repository.head == refs::Ref{true, "v2.0.0"});
    CHECK(pipeline_version(*repository.head, repository.facts) == "2.0.0");
}

TEST_CASE("a detached HEAD without a tag has no ref") {
    TempRepository repo;
    repo.git("init -q -b develop");
    repo.commit("one");
    repo.commit("two");
    repo.git("checkout -q HEAD~1");
    GitRepository repository = read_repository(repo.path());
    CHECK_FALSE(repository.head);
    CHECK(repository.problem == "HEAD is detached and no tag points at it");
}

TEST_CASE("a --tag ref with a version name gives that version") {
    CHECK(pipeline_version({true, "v3.1.4"}, GitFacts{}) == "3.1.4");
    CHECK(pipeline_version({true, "nightly"}, GitFacts{}) == "0.0.1.dev0");
}

TEST_CASE("version tags are vX.Y.Z or X.Y.Z") {
    CHECK(parse_version_tag("v1.2.3"));
    CHECK(parse_version_tag("10.20.30"));
    CHECK_FALSE(parse_version_tag("v1.2"));
    CHECK_FALSE(parse_version_tag("v1.2.3-rc1"));
    CHECK_FALSE(parse_version_tag("release"));
}
