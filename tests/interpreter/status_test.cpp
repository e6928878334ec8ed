#include "interpreter/status.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <string>

using namespace chain;

namespace {
std::string written(std::FILE* file) {
    std::fflush(file);
    std::rewind(file);
    std::string text;
    for (int c = std::fgetc(file); c != EOF; c = std::fgetc(file)) {
        text += static_cast<char>(c);
    }
    return text;
}
} // namespace

TEST_CASE("on a terminal, events print above a live area that is redrawn in place") {
    std::FILE* file = std::tmpfile();
    auto status = make_terminal_status(file);
    status->refresh({{"build", std::chrono::milliseconds(1500), "compiling"}}, 1, 3);
    status->event("ok      test  0.4s");
    status->close();
    std::string area = "[1/3] 1 running\n  build                           1.5s  compiling\n";
    std::string clear_two = "\x1b[1A\x1b[2K\x1b[1A\x1b[2K";
    CHECK(written(file) == area + clear_two + "ok      test  0.4s\n" + area + clear_two);
    std::fclose(file);
}

TEST_CASE("without a terminal, one plain line per event and no live area") {
    std::FILE* file = std::tmpfile();
    auto status = make_plain_status(file);
    status->refresh({{"build", std::chrono::milliseconds(1500), "compiling"}}, 1, 3);
    status->event("start   build");
    status->close();
    CHECK(written(file) == "start   build\n");
    std::fclose(file);
}
