// A stage instance's name (a matrix value in it) becomes one folder name that cannot climb out of
// .chain/, and every path chain writes or removes there is checked to stay inside it.

#include "interpreter/store.hpp"
#include "tests/temp_folder.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

namespace fs = std::filesystem;
using chain::instance_folder_name;
using chain::OutsideStore;
using chain::Store;
using chain::test::TempFolder;

TEST_CASE("an instance name is percent-encoded outside [A-Za-z0-9._=-], and never . or ..") {
    CHECK(instance_folder_name("test") == "test");
    CHECK(instance_folder_name("test[python=3.11]") == "test%5Bpython=3.11%5D");
    CHECK(instance_folder_name("s[v=/../../../../victim]") == "s%5Bv=%2F..%2F..%2F..%2F..%2Fvictim%5D");
    CHECK(instance_folder_name("..") == "%2E.");
    CHECK(instance_folder_name(".") == "%2E");
    CHECK(instance_folder_name("a b%c\n\xff") == "a%20b%25c%0A%FF");
    CHECK(instance_folder_name("") == "%");
}

TEST_CASE("a path under .chain/ passes the guard; one that leaves it, lexically or through a link, does not") {
    TempFolder repo;
    Store store(repo.root);
    fs::create_directories(repo.root / ".chain" / "out");
    CHECK(store.inside(".chain/out/x/_1") == repo.root / ".chain/out/x/_1");
    CHECK(store.inside(repo.root / ".chain/runs/1/logs/x") == repo.root / ".chain/runs/1/logs/x");
    CHECK_THROWS_AS(store.inside(".chain/out/s[v=/../../../victim]"), OutsideStore);
    CHECK_THROWS_AS(store.inside(".chain"), OutsideStore);
    CHECK_THROWS_AS(store.inside(".chain/out/.."), OutsideStore);
    CHECK_THROWS_AS(store.inside("/etc/passwd"), OutsideStore);
    fs::create_directories(repo.root / "elsewhere");
    fs::create_directory_symlink(repo.root / "elsewhere", repo.root / ".chain" / "out" / "link");
    CHECK_THROWS_WITH(store.inside(".chain/out/link/x"),
                      "refusing to write or remove .chain/out/link/x: it is not inside " +
                          (repo.root / ".chain").string() +
                          " (chain writes only there; a symbolic link on the way may lead elsewhere)");
    // The link itself is inside: removing it removes the link, not what it points at.
    CHECK(store.inside(".chain/out/link") == repo.root / ".chain/out/link");
}

TEST_CASE("a .chain that is a link to another folder is refused") {
    TempFolder repo;
    fs::create_directories(repo.root / "elsewhere");
    fs::create_directory_symlink(repo.root / "elsewhere", repo.root / ".chain");
    Store store(repo.root);
    CHECK_THROWS_AS(store.inside(".chain/runs"), OutsideStore);
}
