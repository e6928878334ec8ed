#include "invoke.hpp"

using namespace chain;
using namespace chain::test;

TEST_CASE("chroot with root runs the block's steps inside that root") {
    std::vector<stdlib::Step> block{stdlib::command("sh", {"make"})};
    Planned planned = invoke("chroot", {{"root", text("/srv/chroot")}}, "", block);
    REQUIRE(planned.steps.size() == 1);
    CHECK(planned.steps[0].argv == Argv{"chain", "chroot-exec", "/srv/chroot", "--", "make"});
    CHECK(planned.steps[0].root == "/srv/chroot");
}

TEST_CASE("chroot with dist makes the cached base once with debootstrap and copies it") {
    std::vector<stdlib::Step> block{stdlib::command("sh", {"make"})};
    Planned planned = invoke("chroot", {{"dist", text("bookworm")}}, "", block);
    REQUIRE(planned.steps.size() == 7);
    CHECK(planned.steps[0].action_args == Argv{"need-root", "chroot(dist: \"bookworm\")"});
    CHECK(planned.steps[1].action_args == Argv{"fresh-dir", ".chain/scratch/build/chroot-base"});
    CHECK(planned.steps[2].argv ==
          Argv{"debootstrap", "--variant=minbase",
               "--include=python3,python3-venv,python3-pip-whl,python3-setuptools-whl,python3-wheel-whl", "bookworm",
               ".chain/scratch/build/chroot-base", "http://deb.debian.org/debian"});
    for (std::size_t i : {1, 2, 3}) {
        CHECK(planned.steps[i].creates == ".chain/cache/chroot/bookworm");
    }
    CHECK(planned.steps[3].action_args ==
          Argv{"rename", ".chain/scratch/build/chroot-base", ".chain/cache/chroot/bookworm"});
    CHECK(planned.steps[4].action_args == Argv{"fresh-dir", ".chain/scratch/build/chroot"});
    CHECK(planned.steps[5].argv == Argv{"cp", "-a", ".chain/cache/chroot/bookworm/.", ".chain/scratch/build/chroot"});
    CHECK(planned.steps[6].argv == Argv{"chain", "chroot-exec", ".chain/scratch/build/chroot", "--", "make"});
}

TEST_CASE("chroot with more packages has a base of its own") {
    Planned planned = invoke("chroot", {{"dist", text("bookworm")}, {"packages", texts({"libpq5"})}}, "",
                             {stdlib::command("sh", {"make"})});
    CHECK(planned.steps[2].argv[2].ends_with(",python3-wheel-whl,libpq5"));
    CHECK(planned.steps[2].creates.starts_with(".chain/cache/chroot/bookworm-"));
}
