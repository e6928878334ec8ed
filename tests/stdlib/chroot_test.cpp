#include "invoke.hpp"

using namespace chain;
using namespace chain::test;

TEST_CASE("chroot with root runs the block's steps inside that root") {
    std::vector<stdlib::Step> block{stdlib::command("sh", {"make"})};
    Planned planned = invoke("chroot", {{"root", text("/srv/chroot")}}, "", block);
    REQUIRE(planned.steps.size() == 1);
    CHECK(planned.steps[0].argv == Argv{"chroot", "/srv/chroot", "make"});
    CHECK(planned.steps[0].root == "/srv/chroot");
}

TEST_CASE("chroot with dist prepares a copy of the cached base first") {
    std::vector<stdlib::Step> block{stdlib::command("sh", {"make"})};
    Planned planned = invoke("chroot", {{"dist", text("bookworm")}}, "", block);
    REQUIRE(planned.steps.size() == 3);
    CHECK(planned.steps[0].argv.empty());
    CHECK(planned.steps[1].action == "copy .chain/cache/chroot/bookworm to .chain/scratch/build/chroot");
    CHECK(planned.steps[2].argv == Argv{"chroot", ".chain/scratch/build/chroot", "make"});
}
