#include "check_text.hpp"
#include "interpreter/checker.hpp"
#include "interpreter/conditions.hpp"
#include "interpreter/conditions_export.hpp"

#include "grammar/parser.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>

using namespace chain;
using conditions::Tri;

namespace {
const conditions::Formula& formula_of(const CheckResult& result, const std::string& stage) {
    const conditions::Formula* formula = result.program.find_stage(stage)->formula;
    REQUIRE(formula != nullptr);
    return *formula;
}

refs::Ref branch(std::string name) { return refs::Ref{false, std::move(name)}; }

/// What the checker knows: the formulas' own values, followed through lets, nothing else.
const conditions::Values followed{nullptr, conditions::let_depth_limit};
} // namespace

TEST_CASE("a condition's formula follows lets and keeps where each part is written") {
    CheckResult result = check_text(R"(
let candidate: cond = release/* | hotfix/*
stage s when candidate and not develop { sh("x") }
)");
    REQUIRE(result.diagnostics.empty());
    const conditions::Formula& formula = formula_of(result, "s");
    REQUIRE(formula.kind == conditions::Formula::Kind::all);
    CHECK(conditions::source_text(formula) == "candidate and not develop");
    const conditions::Formula& candidate = *formula.parts.at(0);
    CHECK(candidate.kind == conditions::Formula::Kind::value);
    CHECK(candidate.value == result.program.find_value("candidate"));
    REQUIRE(candidate.definition != nullptr);
    CHECK(conditions::source_text(*candidate.definition) == "release/* | hotfix/*");
    CHECK(formula.parts.at(1)->kind == conditions::Formula::Kind::negation);
}

TEST_CASE("evaluate is three-valued: what cannot be known without running is maybe") {
    CheckResult result = check_text(R"(
param nightly: bool = false
stage s when release/* and ref() == version() { sh("x") }
stage t when develop | nightly { sh("x") }
)");
    REQUIRE(result.diagnostics.empty());
    const conditions::Formula& s = formula_of(result, "s");
    CHECK(conditions::evaluate(s, branch("develop"), followed) == Tri::no);
    CHECK(conditions::evaluate(s, branch("release/1.4"), followed) == Tri::maybe);

    const conditions::Formula& t = formula_of(result, "t");
    CHECK(conditions::evaluate(t, branch("develop"), followed) == Tri::yes);
    CHECK(conditions::evaluate(t, branch("feature/x"), followed) == Tri::no);
    // A phase that knows a value decides with it instead of the default.
    conditions::Values nightly_set{[](const conditions::Formula& atom) -> std::optional<bool> {
                                       if (atom.kind == conditions::Formula::Kind::value && atom.name == "nightly") {
                                           return true;
                                       }
                                       return std::nullopt;
                                   },
                                   conditions::let_depth_limit};
    CHECK(conditions::evaluate(t, branch("feature/x"), nightly_set) == Tri::yes);
    // Past the depth limit nothing is followed any more: a chain of lets too long to judge is unknown.
    conditions::Values shallow{nullptr, 0};
    CHECK(conditions::evaluate(t, branch("feature/x"), shallow) == Tri::maybe);
}

TEST_CASE("the witness refs give each name compared with ref() a ref of its own") {
    CheckResult result = check_text(R"(
stage s when ref() == "nightly" { sh("x") }
stage t needs s when develop { sh("x") }
)");
    const std::vector<refs::Ref>& witnesses = result.program.conditions.witnesses();
    CHECK(std::find(witnesses.begin(), witnesses.end(), branch("nightly")) != witnesses.end());
    CHECK(std::find(witnesses.begin(), witnesses.end(), branch("develop")) != witnesses.end());
    REQUIRE(result.diagnostics.size() == 1);
    CHECK(result.diagnostics[0].code == "E0403");
    CHECK(result.diagnostics[0].message == "on develop, 't' runs but 's', which it needs, does not");
}

TEST_CASE("explain prints each pattern and each name with its value, nested under the verdict") {
    CheckResult result = check_text(R"(
let candidate: cond = release/* | hotfix/*
param nightly: bool = false
stage s when candidate and not nightly { sh("x") }
)");
    REQUIRE(result.diagnostics.empty());
    CHECK(conditions::explain(formula_of(result, "s"), branch("release/1.4"), followed) ==
          std::vector<std::string>{
              "when candidate and not nightly  ->  runs",
              "  candidate = release/* | hotfix/*  ->  true",
              "    release/* matches 'release/1.4'",
              "    hotfix/* does not match 'release/1.4'",
              "  nightly = false  ->  false",
          });
    CHECK(conditions::explain(formula_of(result, "s"), refs::Ref{true, "v1.0"}, followed).front() ==
          "when candidate and not nightly  ->  does not run");
    const conditions::Formula* pattern = conditions::matching_pattern(formula_of(result, "s"), branch("release/1.4"));
    REQUIRE(pattern != nullptr);
    CHECK(conditions::source_text(*pattern) == "release/*");
}

TEST_CASE("a value set with -p is explained as given") {
    CheckResult result = check_text(R"(
param nightly: bool = false
stage s when develop | nightly { sh("x") }
)",
                                    {"nightly=true"});
    REQUIRE(result.diagnostics.empty());
    CHECK(conditions::explain(formula_of(result, "s"), branch("main"), followed) ==
          std::vector<std::string>{
              "when develop | nightly  ->  runs",
              "  develop does not match 'main'",
              "  nightly = (from -p) true  ->  true",
          });
}

TEST_CASE("the engines get the same condition, negations pushed down to the ref tests") {
    CheckResult result = check_text(R"(
param nightly: bool = false
stage s when not (feature/* | tag "v*") and (release/* | ref() == "ci") { sh("x") }
stage t when develop and nightly { sh("x") }
)");
    REQUIRE(!has_errors(result.diagnostics)); // W0501: t runs on no ref
    conditions::EngineRule gitlab = conditions::to_gitlab_rule(formula_of(result, "s"), followed);
    CHECK(gitlab.kind == conditions::EngineRule::Kind::test);
    CHECK(gitlab.text == "$CI_COMMIT_BRANCH !~ /^feature\\/.*$/ && $CI_COMMIT_TAG !~ /^v.*$/ && "
                         "($CI_COMMIT_BRANCH =~ /^release\\/.*$/ || $CI_COMMIT_REF_NAME == \"ci\")");
    conditions::EngineRule github = conditions::to_github_if(formula_of(result, "s"), followed);
    CHECK(github.kind == conditions::EngineRule::Kind::test);
    CHECK(github.text == "!startsWith(github.ref, 'refs/heads/feature/') && !startsWith(github.ref, 'refs/tags/v') && "
                         "(startsWith(github.ref, 'refs/heads/release/') || github.ref_name == 'ci')");
    // A bool param is taken at its exported value: false decides the whole condition.
    CHECK(conditions::to_gitlab_rule(formula_of(result, "t"), followed).kind == conditions::EngineRule::Kind::never);
}

TEST_CASE("a glob GitHub cannot test is refused, and GitLab's regular expressions take it") {
    CheckResult result = check_text(R"(
stage s when branch "ci/*-nightly" { sh("x") }
stage t when develop | version() == "1.0" { sh("x") }
)");
    REQUIRE(result.diagnostics.empty());
    conditions::EngineRule github = conditions::to_github_if(formula_of(result, "s"), followed);
    CHECK(github.kind == conditions::EngineRule::Kind::refused);
    CHECK(github.text == "GitHub's expressions match a ref only exactly or by its beginning, not by the pattern "
                         "'ci/*-nightly'");
    conditions::EngineRule gitlab = conditions::to_gitlab_rule(formula_of(result, "s"), followed);
    CHECK(gitlab.kind == conditions::EngineRule::Kind::test);
    CHECK(gitlab.text == "$CI_COMMIT_BRANCH =~ /^ci\\/.*-nightly$/");
    conditions::EngineRule compared = conditions::to_gitlab_rule(formula_of(result, "t"), followed);
    CHECK(compared.kind == conditions::EngineRule::Kind::refused);
    CHECK(compared.text == "only ref() == \"NAME\" can be compared in a condition an engine tests");
}

TEST_CASE("a negated exact ref is != on GitHub, where '!' would bind to the ref alone") {
    CheckResult result = check_text(R"(
stage s when not develop and not tag "v1.0.0" { sh("x") }
)");
    REQUIRE(result.diagnostics.empty());
    conditions::EngineRule github = conditions::to_github_if(formula_of(result, "s"), followed);
    CHECK(github.kind == conditions::EngineRule::Kind::test);
    CHECK(github.text == "github.ref != 'refs/heads/develop' && github.ref != 'refs/tags/v1.0.0'");
}
