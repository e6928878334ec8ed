#include "interpreter/store.hpp"

#include "tests/temp_folder.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>

using namespace chain;
namespace fs = std::filesystem;

namespace {

void write_old(const fs::path& file, const std::string& text) {
    fs::create_directories(file.parent_path());
    std::ofstream(file) << text;
    // Older than the current clock tick, so that its stamp may be kept.
    fs::last_write_time(file, fs::last_write_time(file) - std::chrono::hours(1));
}

} // namespace

TEST_CASE("input files come in the order of their paths, each once, where names sort otherwise as text") {
    test::TempFolder folder;
    // As text `src/a-b.py` < `src/a.py` < `src/a/b.py`; as paths the folder `src/a` comes first.
    for (const char* name : {"src/a-b.py", "src/a/b.py", "src/a.py", "src/a0", "src/a/b/c", "src/ab", "src/a~"}) {
        write_old(folder.root / name, name);
    }
    Store store(folder.root);
    std::vector<std::string> files = store.input_files({"src/**", "src/a/**", "src/a.py"});
    std::vector<fs::path> as_paths(files.begin(), files.end());
    std::vector<fs::path> expected = as_paths;
    std::sort(expected.begin(), expected.end());
    CHECK(as_paths == expected);
    CHECK(files.size() == 7);
    CHECK(files.front() == (folder.root / "src/a/b/c").string());
    CHECK(files.back() == (folder.root / "src/a~").string());
    // Without wildcards, a name is taken as it is, under the folder, whether or not it exists.
    CHECK(store.input_files({"src/missing"}) == std::vector<std::string>{(folder.root / "src/missing").string()});
}

TEST_CASE("the file stamps keep the inputs of the last run, and are written only when they changed") {
    test::TempFolder folder;
    write_old(folder.root / "a.txt", "a\n");
    write_old(folder.root / "b.txt", "b\n");
    fs::path stamps = folder.root / ".chain/cache/files";
    {
        Store store(folder.root);
        REQUIRE(store.input_hash((folder.root / "a.txt").string()));
        REQUIRE(store.input_hash((folder.root / "b.txt").string()));
        CHECK_FALSE(store.input_hash((folder.root / "none.txt").string()));
        store.save_cache();
    }
    std::string both = folder.read(".chain/cache/files");
    CHECK(both.find(" a.txt\n") != std::string::npos);
    CHECK(both.find(" b.txt\n") != std::string::npos);
    CHECK(both.find("none") == std::string::npos);

    // The same inputs, unchanged: the file is left as it is (not even rewritten).
    auto written = fs::last_write_time(stamps) - std::chrono::hours(1);
    fs::last_write_time(stamps, written);
    {
        Store store(folder.root);
        CHECK(store.input_hash((folder.root / "b.txt").string())->name == "b.txt");
        CHECK(store.input_hash((folder.root / "a.txt").string())->hash ==
              "87428fc522803d31065e7bce3cf03fe475096631e5e07bbd7a0fde60c4cf25c7");
        store.save_cache();
    }
    CHECK(fs::last_write_time(stamps) == written);
    CHECK(folder.read(".chain/cache/files") == both);

    // A run that reads only one of them keeps only its stamp.
    {
        Store store(folder.root);
        REQUIRE(store.input_hash((folder.root / "b.txt").string()));
        store.save_cache();
    }
    std::string one = folder.read(".chain/cache/files");
    CHECK(one.find(" a.txt\n") == std::string::npos);
    CHECK(one.ends_with(" b.txt\n"));

    // A changed file gets its new stamp; the old one is gone.
    write_old(folder.root / "b.txt", "b, longer\n");
    {
        Store store(folder.root);
        REQUIRE(store.input_hash((folder.root / "b.txt").string()));
        store.save_cache();
    }
    std::string changed = folder.read(".chain/cache/files");
    CHECK(changed != one);
    CHECK(changed.find(" 10 ") != std::string::npos);
    CHECK(std::count(changed.begin(), changed.end(), '\n') == 1);
}
