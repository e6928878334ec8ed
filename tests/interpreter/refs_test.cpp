#include "interpreter/glob.hpp"
#include "interpreter/refs.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace chain;
using refs::Ref;
using refs::RefGlob;

TEST_CASE("globs: '*' spans any run of characters, '?' one character") {
    CHECK(glob_match("release/*", "release/1.4"));
    CHECK(glob_match("release/*", "release/"));
    CHECK(glob_match("*", ""));
    CHECK(glob_match("release/1.*", "release/1.4"));
    CHECK_FALSE(glob_match("release/1.*", "release/2.0"));
    CHECK(glob_match("hotfix/1.2.?", "hotfix/1.2.4"));
    CHECK_FALSE(glob_match("hotfix/1.2.?", "hotfix/1.2.40"));
    CHECK(glob_match("*a*b*c", "xxaxxbxxc"));
    CHECK_FALSE(glob_match("*a*b*c", "xxaxxcxxb"));
    CHECK(glob_match("feature/*", "feature/team/x"));
}

TEST_CASE("ref patterns match branches and tags by kind") {
    ast::RefPattern master{ast::RefKind::master, ""};
    CHECK(refs::matches(master, Ref{false, "master"}));
    CHECK(refs::matches(master, Ref{false, "main"}));
    CHECK_FALSE(refs::matches(ast::RefPattern{ast::RefKind::main, ""}, Ref{false, "master"}));
    ast::RefPattern release{ast::RefKind::release, "1.*"};
    CHECK(refs::matches(release, Ref{false, "release/1.4"}));
    CHECK_FALSE(refs::matches(release, Ref{true, "release/1.4"}));
    ast::RefPattern tag{ast::RefKind::tag, "v*"};
    CHECK(refs::matches(tag, Ref{true, "v1.0"}));
    CHECK_FALSE(refs::matches(tag, Ref{false, "v1.0"}));
    ast::RefPattern branch{ast::RefKind::branch, "ci/*"};
    CHECK(refs::matches(branch, Ref{false, "ci/nightly"}));
}

namespace {
bool has_witness(const std::vector<Ref>& witnesses, const std::vector<RefGlob>& globs, std::vector<bool> combination) {
    return std::any_of(witnesses.begin(), witnesses.end(), [&](const Ref& ref) {
        for (std::size_t g = 0; g < globs.size(); ++g) {
            bool match = globs[g].is_tag == ref.is_tag && glob_match(globs[g].glob, ref.name);
            if (match != combination[g]) {
                return false;
            }
        }
        return true;
    });
}
} // namespace

TEST_CASE("witnesses cover every git-flow kind of ref") {
    std::vector<Ref> witnesses = refs::witnesses({});
    std::vector<std::string> described;
    for (const Ref& ref : witnesses) {
        described.push_back(refs::describe(ref));
    }
    CHECK(described == std::vector<std::string>{"develop", "master", "main", "feature/*", "release/*", "hotfix/*",
                                                "support/*", "another branch", "a tag"});
}

TEST_CASE("witnesses realise every combination of overlapping globs") {
    std::vector<RefGlob> globs{{false, "release/1.*"}, {false, "release/*.0"}, {false, "release/2.*"}};
    std::vector<Ref> witnesses = refs::witnesses(globs);
    CHECK(has_witness(witnesses, globs, {true, true, false}));   // release/1.0
    CHECK(has_witness(witnesses, globs, {true, false, false}));  // release/1.x
    CHECK(has_witness(witnesses, globs, {false, true, false}));  // release/x.0
    CHECK(has_witness(witnesses, globs, {false, true, true}));   // release/2.0
    CHECK(has_witness(witnesses, globs, {false, false, true}));  // release/2.x
    CHECK(has_witness(witnesses, globs, {false, false, false})); // release/x
    CHECK_FALSE(has_witness(witnesses, globs, {true, false, true})); // no name starts with both 1. and 2.
}

TEST_CASE("branch globs may overlap the git-flow kinds") {
    std::vector<RefGlob> globs{{false, "release/*"}, {false, "*/urgent-*"}};
    std::vector<Ref> witnesses = refs::witnesses(globs);
    CHECK(has_witness(witnesses, globs, {true, true}));
    CHECK(has_witness(witnesses, globs, {false, true}));
    CHECK(has_witness(witnesses, globs, {true, false}));
}

TEST_CASE("witness refs read well in messages") {
    CHECK(refs::describe(Ref{false, "release/x"}) == "release/*");
    CHECK(refs::describe(Ref{false, "release/1.x"}) == "release/1.x");
    CHECK(refs::describe(Ref{false, "x"}) == "another branch");
    CHECK(refs::describe(Ref{false, "ci/x"}) == "branch 'ci/x'");
    CHECK(refs::describe(Ref{true, "x"}) == "a tag");
    CHECK(refs::describe(Ref{true, "v1.x"}) == "tag 'v1.x'");
}
