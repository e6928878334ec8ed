#pragma once
// A temporary folder for one test, removed afterwards, with its files written and read by relative path.

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace chain::test {

struct TempFolder {
    std::filesystem::path root;
    TempFolder() {
        char pattern[] = "/tmp/chain-test-XXXXXX";
        root = mkdtemp(pattern);
    }
    ~TempFolder() { std::filesystem::remove_all(root); }
    TempFolder(const TempFolder&) = delete;
    TempFolder& operator=(const TempFolder&) = delete;

    void write(const std::string& relative, const std::string& text) const {
        std::filesystem::create_directories((root / relative).parent_path());
        std::ofstream(root / relative) << text;
    }
    std::string read(const std::string& relative) const {
        std::ifstream stream(root / relative);
        std::stringstream text;
        text << stream.rdbuf();
        return text.str();
    }
};

} // namespace chain::test
