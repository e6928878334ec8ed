#include "interpreter/schedule.hpp"

#include <catch2/catch.hpp>

using namespace chain;

namespace {
// a <- b <- c, and d on its own
std::vector<ScheduledStage> chain_and_one() { return {{true, {}}, {true, {0}}, {true, {1}}, {true, {}}}; }
} // namespace

TEST_CASE("stages start in plan order once what they need has succeeded") {
    Schedule schedule(chain_and_one(), {}, false);
    CHECK(schedule.start_next() == 0u);
    CHECK(schedule.start_next() == 3u); // b waits for a
    CHECK_FALSE(schedule.start_next());
    schedule.finished(0, StageStatus::success);
    CHECK(schedule.start_next() == 1u);
    schedule.finished(1, StageStatus::up_to_date);
    CHECK(schedule.start_next() == 2u);
    schedule.finished(2, StageStatus::success);
    schedule.finished(3, StageStatus::success);
    CHECK(schedule.done());
}

TEST_CASE("a failure skips what needs it and, without --keep-going, starts nothing more") {
    Schedule schedule(chain_and_one(), {}, false);
    CHECK(schedule.start_next() == 0u);
    schedule.finished(0, StageStatus::failed);
    CHECK(schedule.status(1) == StageStatus::skipped);
    CHECK(schedule.status(2) == StageStatus::skipped);
    CHECK(schedule.status(3) == StageStatus::not_run);
    CHECK_FALSE(schedule.start_next());
    CHECK(schedule.done());
}

TEST_CASE("with --keep-going, independent stages go on after a failure") {
    Schedule schedule(chain_and_one(), {}, true);
    schedule.start_next();
    schedule.finished(0, StageStatus::failed);
    CHECK(schedule.start_next() == 3u);
    schedule.finished(3, StageStatus::success);
    CHECK(schedule.done());
    CHECK(schedule.status(2) == StageStatus::skipped);
}

TEST_CASE("stages the plan does not run are skipped, as the plan says; those --stage did not select are not run") {
    Schedule schedule({{true, {}}, {false, {}}, {true, {0}}}, {true, true, false}, false);
    CHECK(schedule.status(1) == StageStatus::skipped);
    CHECK(schedule.status(2) == StageStatus::not_run);
    CHECK(schedule.reason(2) == "not selected with --stage");
    CHECK(schedule.start_next() == 0u);
    schedule.finished(0, StageStatus::success);
    CHECK(schedule.done());
}

TEST_CASE("an interrupt stops new starts while running stages finish") {
    Schedule schedule(chain_and_one(), {}, true);
    schedule.start_next();
    schedule.stop_starting();
    CHECK_FALSE(schedule.done());
    CHECK_FALSE(schedule.start_next());
    schedule.finished(0, StageStatus::failed);
    CHECK(schedule.done());
}

TEST_CASE("a stage that needs several starts only when the last of them has succeeded") {
    // a and b, then c needs both, then d needs c and a
    Schedule schedule({{true, {}}, {true, {}}, {true, {0, 1}}, {true, {2, 0}}}, {}, false);
    CHECK(schedule.start_next() == 0u);
    CHECK(schedule.start_next() == 1u);
    schedule.finished(1, StageStatus::success);
    CHECK_FALSE(schedule.start_next());
    CHECK_FALSE(schedule.done());
    schedule.finished(0, StageStatus::up_to_date);
    CHECK(schedule.start_next() == 2u);
    CHECK_FALSE(schedule.start_next());
    schedule.finished(2, StageStatus::success);
    CHECK(schedule.start_next() == 3u);
    schedule.finished(3, StageStatus::success);
    CHECK(schedule.done());
}

TEST_CASE("a stage that needs one the plan does not run never starts, and the run is done without it") {
    Schedule schedule({{false, {}}, {true, {0}}, {true, {}}}, {}, false);
    CHECK(schedule.start_next() == 2u);
    schedule.finished(2, StageStatus::success);
    CHECK_FALSE(schedule.start_next());
    CHECK(schedule.done());
    CHECK(schedule.status(1) == StageStatus::waiting);
}

TEST_CASE("a stage allowed to fail lets what needs it start, and its failure stops nothing") {
    std::vector<ScheduledStage> stages = chain_and_one();
    stages[0].allow_failure = true;
    Schedule schedule(stages, {}, false);
    CHECK(schedule.start_next() == 0u);
    CHECK(schedule.start_next() == 3u);
    schedule.finished(0, StageStatus::failed);
    CHECK(schedule.status(0) == StageStatus::failed);
    CHECK(schedule.start_next() == 1u);
    schedule.finished(1, StageStatus::success);
    CHECK(schedule.start_next() == 2u);
    schedule.finished(2, StageStatus::success);
    schedule.finished(3, StageStatus::success);
    CHECK(schedule.done());
    // Only a failure is allowed: an interrupted stage still stops the run.
    Schedule interrupted(stages, {}, false);
    interrupted.start_next();
    interrupted.finished(0, StageStatus::interrupted);
    CHECK(interrupted.status(1) == StageStatus::skipped);
}
