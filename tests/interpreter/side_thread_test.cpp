#include "interpreter/side_thread.hpp"

#include <catch2/catch.hpp>

#include <cstring>
#include <stdexcept>
#include <string>

#include <pthread.h>
#include <sched.h>

using namespace chain;

namespace {

/// The cores a thread may run on, as a comparable text.
std::string allowed_cores(pthread_t thread) {
    cpu_set_t cores;
    CPU_ZERO(&cores);
    REQUIRE(pthread_getaffinity_np(thread, sizeof cores, &cores) == 0);
    std::string text;
    for (int core = 0; core < CPU_SETSIZE; ++core) {
        text += CPU_ISSET(core, &cores) ? '1' : '0';
    }
    return text;
}

} // namespace

TEST_CASE("a side thread runs its work, named, and may then use every core the process may") {
    std::string seen_cores;
    char seen_name[16] = {};
    SideThread thread("chain-test", [&] {
        seen_cores = allowed_cores(pthread_self());
        pthread_getname_np(pthread_self(), seen_name, sizeof seen_name);
    });
    thread.join();
    CHECK_FALSE(thread.joinable());
    // Placed on another core to start, it must not stay bound there: on a busy machine it would wait.
    CHECK(seen_cores == allowed_cores(pthread_self()));
    CHECK(std::strcmp(seen_name, "chain-test") == 0);
}

TEST_CASE("a side task gives its value, or throws what computing it threw") {
    SideTask<std::string> value("chain-test", [] { return std::string("computed"); });
    CHECK(value.get() == "computed");
    SideTask<int> failing("chain-test", []() -> int { throw std::runtime_error("no repository"); });
    CHECK_THROWS_WITH(failing.get(), "no repository");
}

TEST_CASE("a side task not asked for its value is waited for when it goes") {
    bool finished = false;
    {
        SideTask<int> task("chain-test", [&] {
            finished = true;
            return 1;
        });
    }
    CHECK(finished);
}
