#include "interpreter/plan.hpp"
#include "interpreter/plan_diff.hpp"
#include "interpreter/plan_render.hpp"
#include "interpreter/ref_kinds.hpp"

#include "grammar/parser.hpp"
#include "interpreter/checker.hpp"

#include "check_text.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <fmt/format.h>

#include <cstdlib>
#include <memory>
#include <optional>
#include <string_view>

using namespace chain;

namespace {

struct Planned {
    CheckResult checked;
    Plan plan;
};

Planned plan_text(const std::string& text, refs::Ref ref, std::vector<std::string> approved = {}) {
    auto source = std::make_shared<SourceFile>("test.chain", text);
    ParseResult parsed = parse(source);
    LoadedProgram program;
    program.diagnostics = parsed.diagnostics;
    program.files.push_back(std::make_unique<ProgramFile>(ProgramFile{source, std::move(parsed.file), "test.chain"}));
    Planned planned{check(std::move(program), stdlib::standard_library(), {}), {}};
    REQUIRE_FALSE(has_errors(planned.checked.diagnostics));
    PlanOptions options;
    options.ref = std::move(ref);
    options.approved = std::move(approved);
    planned.plan = make_plan(planned.checked.program, options);
    return planned;
}

const StageInstance& instance(const Plan& plan, const std::string& name) {
    for (const StageInstance& stage : plan.stages) {
        if (stage.name == name) {
            return stage;
        }
    }
    FAIL("no stage instance " << name);
    throw;
}

} // namespace

TEST_CASE("a matrix stage expands to one instance per value, and a stage that needs it waits for all") {
    Planned planned = plan_text(R"(
stage test matrix python in ["3.11", "3.12"] { artifact report = test(python: python) }
stage summary { trigger("../reports", with: { reports: test.report }) }
)",
                                {false, "develop"});
    const Plan& plan = planned.plan;
    REQUIRE(plan.stages.size() == 3);
    CHECK(plan.stages[0].name == "test[python=3.11]");
    CHECK(plan.stages[1].name == "test[python=3.12]");
    const StageInstance& summary = instance(plan, "summary");
    CHECK(summary.needs == std::vector<std::string>{"test[python=3.11]", "test[python=3.12]"});
    CHECK(summary.steps.at(0).env.at(0).second ==
          ".chain/out/test%5Bpython=3.11%5D/report .chain/out/test%5Bpython=3.12%5D/report");
}

TEST_CASE("a stage that does not run skips the stages that need it, with the reason") {
    // `go` has no value here, so the checker cannot rule the plan out; at plan time it is false.
    Planned planned = plan_text("param go: bool\nstage build when master | go {}\nstage ship needs build {}\n",
                                {false, "develop"});
    CHECK_FALSE(instance(planned.plan, "build").runs);
    CHECK(instance(planned.plan, "build").reason == "master | go does not match");
    CHECK_FALSE(instance(planned.plan, "ship").runs);
    CHECK(instance(planned.plan, "ship").reason == "needs 'build', which does not run");
    CHECK(instance(planned.plan, "ship").steps.empty());
}

TEST_CASE("a manual stage waits for --approve") {
    std::string text = "stage deploy manual { sh(\"./deploy\") }\n";
    CHECK(instance(plan_text(text, {false, "master"}).plan, "deploy").reason == "manual: waits for --approve deploy");
    CHECK(instance(plan_text(text, {false, "master"}, {"deploy"}).plan, "deploy").runs);
}

TEST_CASE("fns expand inline with their arguments, and when blocks choose steps by ref") {
    Planned planned = plan_text(R"(
fn announce(what: str) { sh(["echo", what]) }
stage s {
  when tag "v*" { announce(what: "release ${ref()}") } else { announce(what: "build of ${ref()}") }
}
)",
                                {true, "v1.0.0"});
    CHECK(instance(planned.plan, "s").steps.at(0).argv == std::vector<std::string>{"echo", "release v1.0.0"});
}

TEST_CASE("secrets never appear in what the plan prints") {
    setenv("CHAIN_TEST_SECRET_TOKEN", "hunter2-secret", 1);
    Planned planned = plan_text(R"(
secret token = env("CHAIN_TEST_SECRET_TOKEN")
stage s { sh("curl -H 'Authorization: ${token}' https://example.invalid", env: { TOKEN: token }) }
)",
                                {false, "develop"});
    std::string text = render_plan_text(planned.plan, true);
    std::string json = render_plan_json(planned.plan);
    CHECK(text.find("hunter2") == std::string::npos);
    CHECK(json.find("hunter2") == std::string::npos);
    // Quoted as any masked word: the plan tells nothing of the secret's characters.
    CHECK(text.find("TOKEN='***'") != std::string::npos);
    unsetenv("CHAIN_TEST_SECRET_TOKEN");
}

TEST_CASE("interpolated values are single shell words in sh strings") {
    Planned planned = plan_text("stage s { sh(\"git log ${ref()}\") }\n", {false, "feature/$(rm -rf ~)"});
    CHECK(instance(planned.plan, "s").steps.at(0).argv ==
          std::vector<std::string>{"sh", "-c", "git log 'feature/$(rm -rf ~)'"});
}

TEST_CASE("a list of artifacts is one argv word per path, and one shell-quoted word per item in a sh string") {
    Planned planned = plan_text(R"(
param suites: list<str> = ["unit", "it's slow"]
stage test matrix suite in suites { artifact report = test(runner: command, args: ["./run", suite]) }
stage summary {
  artifact smoke = test()
  sh(["ls"] + test.report)
  sh(["du", smoke, "--"] + test.report)
  sh("ls ${test.report} && echo ${suites}${[]}")
  sh(["echo", "${suites}"])
}
)",
                                {false, "develop"});
    const StageInstance& summary = instance(planned.plan, "summary");
    std::string unit = ".chain/out/test%5Bsuite=unit%5D/report";
    std::string slow = ".chain/out/test%5Bsuite=it%27s%20slow%5D/report";
    REQUIRE(summary.steps.size() == 5);
    CHECK(summary.steps[1].argv == std::vector<std::string>{"ls", unit, slow});
    CHECK(summary.steps[2].argv == std::vector<std::string>{"du", ".chain/out/summary/smoke", "--", unit, slow});
    CHECK(summary.steps[3].argv ==
          std::vector<std::string>{"sh", "-c", "ls " + unit + " " + slow + " && echo unit 'it'\\''s slow'"});
    CHECK(summary.steps[4].argv == std::vector<std::string>{"echo", "unit it's slow"});
}

TEST_CASE("a secret in an interpolated list is masked as its own word") {
    setenv("CHAIN_TEST_LIST_SECRET", "s3cr3t value", 1);
    Planned planned = plan_text(R"(
secret token = env("CHAIN_TEST_LIST_SECRET")
stage s { sh("curl ${["-H", token]}") }
)",
                                {false, "develop"});
    CHECK(instance(planned.plan, "s").steps.at(0).argv ==
          std::vector<std::string>{"sh", "-c", "curl -H 's3cr3t value'"});
    std::string text = render_plan_text(planned.plan, false);
    CHECK(text.find("s3cr3t") == std::string::npos);
    unsetenv("CHAIN_TEST_LIST_SECRET");
}

TEST_CASE("publish steps come after every other step of their stage") {
    Planned planned = plan_text(R"(
stage build {
  artifact wheel = package(format: wheel)
  publish(wheel, to: pypi("../.index"))
  sh(["twine", "check", "${wheel}"])
}
)",
                                {false, "develop"});
    const StageInstance& build = instance(planned.plan, "build");
    REQUIRE(build.steps.size() == 4); // package builds, then checks the version it built
    CHECK(build.steps[0].builtin == "package");
    CHECK(build.steps[1].builtin == "package");
    CHECK(build.steps[2].builtin == "sh");
    CHECK(build.steps[3].builtin == "publish");
}

TEST_CASE("a stage's env reaches every step, in chroot and when blocks too, and a step's own env: wins") {
    setenv("CHAIN_TEST_ENV_TOKEN", "s3cret-token-value", 1);
    setenv("CHAIN_TEST_ENV_HOME", "/home/someone", 1);
    Planned planned = plan_text(R"(
secret token = env("CHAIN_TEST_ENV_TOKEN")
stage test matrix python in ["3.11"] env { GREETING: "hi", PY: python, HOME_COPY: env("CHAIN_TEST_ENV_HOME"), TOKEN: token } {
  artifact junit = test(runner: pytest, python: python, env: { GREETING: "hello" })
  lint(env: { FLAKE8: "1" })
  when develop { sh(["echo", "${junit}"]) }
  chroot(root: "/srv/root", env: { LANG: "C.UTF-8", GREETING: "chroot" }) { sh(["true"], env: { LANG: "C" }) }
}
)",
                                {false, "develop"});
    unsetenv("CHAIN_TEST_ENV_TOKEN");
    unsetenv("CHAIN_TEST_ENV_HOME");
    const StageInstance& test = instance(planned.plan, "test[python=3.11]");
    using Env = std::vector<std::pair<std::string, std::string>>;
    auto env_of = [&](const std::string& builtin, std::size_t nth = 0) {
        for (const stdlib::Step& step : test.steps) {
            if (step.builtin == builtin && !step.argv.empty() && nth-- == 0) {
                return step.env;
            }
        }
        FAIL("no step of " << builtin);
        throw;
    };
    Env stage_only{{"GREETING", "hi"}, {"PY", "3.11"}, {"HOME_COPY", "/home/someone"}, {"TOKEN", "s3cret-token-value"}};
    CHECK(env_of("test") ==
          Env{{"GREETING", "hello"}, {"PY", "3.11"}, {"HOME_COPY", "/home/someone"}, {"TOKEN", "s3cret-token-value"}});
    Env lint = env_of("lint");
    CHECK(lint.front() == std::pair<std::string, std::string>{"FLAKE8", "1"});
    CHECK(lint.size() == 5);
    CHECK(env_of("sh") == stage_only);
    // In the chroot: the step's own LANG, then the chroot's GREETING over the stage's.
    CHECK(env_of("sh", 1) ==
          Env{{"LANG", "C"}, {"GREETING", "chroot"}, {"PY", "3.11"}, {"HOME_COPY", "/home/someone"},
              {"TOKEN", "s3cret-token-value"}});
    // chain's own actions run no process, and get nothing.
    for (const stdlib::Step& step : test.steps) {
        if (step.argv.empty()) {
            CHECK(step.env.empty());
        }
    }
    std::string text = render_plan_text(planned.plan, false);
    std::string json = render_plan_json(planned.plan);
    CHECK(text.find("s3cret") == std::string::npos);
    CHECK(json.find("s3cret") == std::string::npos);
    CHECK(text.find("GREETING=hi PY=3.11 HOME_COPY=/home/someone TOKEN='***' echo") != std::string::npos);
    CHECK(json.find("\"TOKEN\": \"***\"") != std::string::npos);
}

TEST_CASE("allow_failure is in the plan: text and JSON") {
    Planned planned = plan_text("stage docs allow_failure retry 1 { sh([\"make\", \"html\"]) }\nstage other { sh([\"true\"]) }\n",
                                {false, "develop"});
    CHECK(instance(planned.plan, "docs").allow_failure);
    CHECK_FALSE(instance(planned.plan, "other").allow_failure);
    CHECK(render_plan_text(planned.plan, false).find("docs  runs: no condition: runs on every ref\n  retry 1, allow_failure\n") !=
          std::string::npos);
    std::string json = render_plan_json(planned.plan);
    CHECK(json.find("\"allow_failure\": true") != std::string::npos);
    CHECK(json.find("\"allow_failure\"") == json.rfind("\"allow_failure\""));
}

TEST_CASE("a tox step names every variable chain gives it in TOX_TESTENV_PASSENV, or tox would drop them") {
    Planned planned = plan_text(R"(
stage test env { SEED: "1" } {
  artifact junit = test(runner: tox, tox_env: "py311", env: { MODE: "strict", TOX_TESTENV_PASSENV: "HOME" })
  artifact plain = test(runner: pytest)
}
)",
                                {false, "develop"});
    const StageInstance& test = instance(planned.plan, "test");
    using Env = std::vector<std::pair<std::string, std::string>>;
    CHECK(test.steps.at(0).argv == std::vector<std::string>{"tox", "--workdir", ".chain/scratch/test/tox", "-e", "py311"});
    Env tox = test.steps.at(0).env;
    REQUIRE(tox.size() == 4);
    CHECK(tox.at(0).first == "PYTEST_ADDOPTS");
    CHECK(tox.at(1) == std::pair<std::string, std::string>{"MODE", "strict"});
    CHECK(tox.at(2) == std::pair<std::string, std::string>{"TOX_TESTENV_PASSENV", "HOME PYTEST_ADDOPTS MODE SEED"});
    CHECK(tox.at(3) == std::pair<std::string, std::string>{"SEED", "1"});
    for (const auto& [name, value] : test.steps.at(1).env) {
        CHECK(name != "TOX_TESTENV_PASSENV");
    }
}

TEST_CASE("a stage lists the values it uses, through lets and fns, each with where it came from") {
    unsetenv("PLAN_TEST_UNSET_TOKEN");
    Planned planned = plan_text(R"(pipeline "p" kind library
param flavour: str = "plain"
let words = ["make", flavour]
secret token = env("PLAN_TEST_UNSET_TOKEN")
let unused = "x"
fn build(what: list<str>) {
  sh(what + ["--token", token])
}
stage a { build(what: words) }
)",
                                refs::Ref{false, "develop"});
    const StageInstance& a = instance(planned.plan, "a");
    std::vector<std::string> lines;
    for (const ValueSource& value : a.values) {
        lines.push_back(value.line());
    }
    CHECK(lines == std::vector<std::string>{
                       R"(let words = ["make", "plain"]  # test.chain:3)",
                       R"(param flavour = "plain"  # default (test.chain:2))",
                       R"(secret token = ***  # env PLAN_TEST_UNSET_TOKEN, not set)",
                   });
}

TEST_CASE("a param given with -p says so, and a value a secret went into shows as ***") {
    setenv("PLAN_TEST_SET_TOKEN", "a-long-secret-value", 1);
    CheckResult checked = check_text(R"(pipeline "p" kind library
param flavour: str = "plain"
secret token = env("PLAN_TEST_SET_TOKEN")
let header = "Bearer ${token}"
)",
                                     {"flavour=fancy"});
    REQUIRE_FALSE(has_errors(checked.diagnostics));
    PlanOptions options;
    options.ref = refs::Ref{false, "develop"};
    std::vector<std::string> lines;
    for (const ValueSource& value : value_sources(checked.program, options)) {
        lines.push_back(value.line());
    }
    CHECK(lines == std::vector<std::string>{
                       R"(param flavour = "fancy"  # -p on the command line)",
                       R"(secret token = ***  # env PLAN_TEST_SET_TOKEN, set)",
                       R"(let header = ***  # test.chain:4)",
                   });
    unsetenv("PLAN_TEST_SET_TOKEN");
}

TEST_CASE("step lines are compared as a unified diff's body") {
    CHECK(diff_lines({"a", "b", "c"}, {"a", "x", "c", "d"}) ==
          std::vector<std::string>{" a", "-b", "+x", " c", "+d"});
    CHECK(diff_lines({}, {"a"}) == std::vector<std::string>{"+a"});
    CHECK(diff_lines({"a"}, {}) == std::vector<std::string>{"-a"});
}

TEST_CASE("every kind of ref a pipeline tells apart, named by the patterns it matches") {
    CheckResult checked = check_text(R"(pipeline "p" kind library
stage a when release/1.* | tag "v*" { sh("a") }
stage b manual when develop { sh("b") }
stage c needs b when develop { sh("c") }
)");
    REQUIRE_FALSE(has_errors(checked.diagnostics));
    std::vector<RefKind> kinds = ref_kinds({&checked.program});
    std::vector<std::string> labels;
    for (const RefKind& kind : kinds) {
        labels.push_back(kind.label);
    }
    CHECK(labels == std::vector<std::string>{"develop", "master", "main", "feature/*", "release/*", "release/1.*",
                                             "hotfix/*", "support/*", "other branches", "tag v*", "other tags"});
    std::vector<KindPlan> plans = plan_every_kind(checked.program, kinds, PlanOptions{});
    CHECK(plans[0].state("a") == StageState::never);
    CHECK(plans[0].state("b") == StageState::manual);
    CHECK(plans[0].state("c") == StageState::manual); // waits for the approval of b
    CHECK(plans[4].state("a") == StageState::never);
    CHECK(plans[5].state("a") == StageState::runs);
    CHECK(plans[9].state("a") == StageState::runs);
}

TEST_CASE("two versions of a pipeline compared: renamed, needs, runs and steps") {
    CheckResult before = check_text(R"(pipeline "p" kind library
stage a when develop { sh("make a") }
stage docs when develop { sh("make docs") }
stage c when develop { sh("make c") }
)");
    CheckResult after = check_text(R"(pipeline "p" kind library
stage a when develop | feature/* { sh("make a --fast") }
stage handbook when develop { sh("make docs") }
stage c needs a when develop { sh("make c") }
)");
    REQUIRE_FALSE(has_errors(before.diagnostics));
    REQUIRE_FALSE(has_errors(after.diagnostics));
    PlanDiff diff = compare_programs(&before.program, after.program, PlanOptions{});
    REQUIRE(diff.changed());
    CHECK(diff.renamed == std::vector<std::pair<std::string, std::string>>{{"docs", "handbook"}});
    CHECK(diff.added.empty());
    CHECK(diff.removed.empty());
    REQUIRE(diff.runs.size() == 1);
    CHECK(diff.runs[0].stage == "a");
    CHECK(diff.runs[0].kinds == std::vector<std::string>{"feature/*"});
    REQUIRE(diff.needs.size() == 1);
    CHECK(diff.needs[0].added == std::vector<std::string>{"a"});
    REQUIRE(diff.steps.size() == 1);
    CHECK(diff.steps[0].kinds == std::vector<std::string>{"develop"});
    CHECK(diff.steps[0].lines == std::vector<std::string>{"-sh         sh -c 'make a'", "+sh         sh -c 'make a --fast'"});
    CHECK_FALSE(compare_programs(&after.program, after.program, PlanOptions{}).changed());
}

TEST_CASE("a step diff keeps unchanged steps only near a change") {
    CheckResult before = check_text(R"(pipeline "p" kind library
stage a { sh("1") sh("2") sh("3") sh("4") sh("5") sh("6") sh("7") }
)");
    CheckResult after = check_text(R"(pipeline "p" kind library
stage a { sh("1") sh("2") sh("3") sh("four") sh("5") sh("6") sh("7") }
)");
    REQUIRE_FALSE(has_errors(before.diagnostics));
    REQUIRE_FALSE(has_errors(after.diagnostics));
    PlanDiff diff = compare_programs(&before.program, after.program, PlanOptions{});
    REQUIRE(diff.steps.size() == 1);
    CHECK(diff.steps[0].lines == std::vector<std::string>{
                                     " ...",
                                     " sh         sh -c 2",
                                     " sh         sh -c 3",
                                     "-sh         sh -c 4",
                                     "+sh         sh -c four",
                                     " sh         sh -c 5",
                                     " sh         sh -c 6",
                                     " ...",
                                 });
}

namespace {

/// What PlanStream renders while the plan is planned, or nullopt when it asks for the whole plan.
std::optional<std::string> rendered_while_planned(const CheckResult& checked, refs::Ref ref, PlanFormat format) {
    PlanStream text(format, false);
    PlanOptions options;
    options.ref = std::move(ref);
    options.finished = [&text](const Plan& so_far, StageInstance& stage) { text.add(so_far, stage); };
    Plan plan = make_plan(checked.program, options);
    for (const StageInstance& stage : plan.stages) {
        CHECK(stage.steps.empty()); // taken by the renderer
    }
    std::string out;
    if (!text.write(plan, [&out](std::string_view part) { out.append(part); })) {
        return std::nullopt;
    }
    return out;
}

std::optional<std::string> text_while_planned(const CheckResult& checked, refs::Ref ref) {
    return rendered_while_planned(checked, std::move(ref), PlanFormat::text);
}

std::optional<std::string> json_while_planned(const CheckResult& checked, refs::Ref ref) {
    return rendered_while_planned(checked, std::move(ref), PlanFormat::json);
}

/// A secret read from `variable` and first used by the second stage, after a first stage that runs `first`.
std::string secret_used_late(std::string_view variable, std::string_view first) {
    return fmt::format(R"(
secret token = env("{}")
stage first {{ sh("{}") }}
stage deploy needs first {{ sh("deploy ${{token}}") }}
)",
                       variable, first);
}

} // namespace

TEST_CASE("the text rendered while planning is the text of the whole plan, effects note included") {
    setenv("CHAIN_TEST_EARLY_SECRET", "early-secret-value", 1);
    Planned planned = plan_text(R"(
secret token = env("CHAIN_TEST_EARLY_SECRET")
stage build matrix python in ["3.11", "3.12"] { sh("make ${token}") }
stage release needs build { sh("publish", effect: true) }
)",
                                {false, "develop"});
    std::optional<std::string> text = text_while_planned(planned.checked, {false, "develop"});
    REQUIRE(text);
    CHECK(*text == render_plan_text(planned.plan, false));
    CHECK(text->find("early-secret-value") == std::string::npos);
    CHECK(text->find("! an effect") != std::string::npos);
}

TEST_CASE("a secret first met after a stage that shows its value was rendered asks for the whole plan") {
    setenv("CHAIN_TEST_LATE_SECRET", "late-secret-value", 1);
    Planned planned = plan_text(secret_used_late("CHAIN_TEST_LATE_SECRET", "echo late-secret-value"), {false, "develop"});
    CHECK_FALSE(text_while_planned(planned.checked, {false, "develop"}));
    CHECK_FALSE(json_while_planned(planned.checked, {false, "develop"}));
    // The whole plan masks it everywhere.
    CHECK(render_plan_text(planned.plan, false).find("late-secret-value") == std::string::npos);
    CHECK(render_plan_json(planned.plan).find("late-secret-value") == std::string::npos);
}

TEST_CASE("a secret met late that no stage before shows is masked where it is used, without planning again") {
    setenv("CHAIN_TEST_LATE_SECRET", "late-secret-value", 1);
    Planned planned = plan_text(secret_used_late("CHAIN_TEST_LATE_SECRET", "true"), {false, "develop"});
    std::optional<std::string> text = text_while_planned(planned.checked, {false, "develop"});
    REQUIRE(text);
    CHECK(*text == render_plan_text(planned.plan, false));
    std::optional<std::string> json = json_while_planned(planned.checked, {false, "develop"});
    REQUIRE(json);
    CHECK(*json == render_plan_json(planned.plan));
    CHECK(json->find("late-secret-value") == std::string::npos);
}

TEST_CASE("a secret met late that rendering would change asks for the whole plan: a search would miss it") {
    setenv("CHAIN_TEST_QUOTED_SECRET", "it's-a-secret", 1); // shell-quoted as it'\''s
    Planned quoted = plan_text(secret_used_late("CHAIN_TEST_QUOTED_SECRET", "true"), {false, "develop"});
    CHECK_FALSE(text_while_planned(quoted.checked, {false, "develop"}));
    setenv("CHAIN_TEST_ESCAPED_SECRET", "a\"quoted\"secret", 1); // escaped in JSON as \"
    Planned escaped = plan_text(secret_used_late("CHAIN_TEST_ESCAPED_SECRET", "true"), {false, "develop"});
    CHECK_FALSE(json_while_planned(escaped.checked, {false, "develop"}));
}

namespace {

/// A pipeline whose text is several parts of the rendered plan long: `count` stages of long commands.
std::string many_stages(int count, std::string_view last) {
    std::string source = "secret token = env(\"CHAIN_TEST_MANY_SECRET\")\n";
    for (int i = 0; i < count; ++i) {
        source += fmt::format("stage s{} {{ sh(\"echo {}\") }}\n", i, std::string(400, 'x'));
    }
    return source + std::string(last) + "\n";
}

} // namespace

TEST_CASE("the text of a plan of many parts is read back whole, after the header that counts its stages") {
    setenv("CHAIN_TEST_MANY_SECRET", "many-secret-value", 1);
    Planned planned = plan_text(many_stages(600, "stage deploy needs s599 { sh(\"deploy ${token}\") }"),
                                {false, "develop"});
    std::optional<std::string> text = text_while_planned(planned.checked, {false, "develop"});
    REQUIRE(text);
    CHECK(text->size() > 3 * (1 << 16));
    CHECK(*text == render_plan_text(planned.plan, false));
    CHECK(text->find("many-secret-value") == std::string::npos);
}

TEST_CASE("a secret met late is searched for in every part of the text, the last ones too") {
    setenv("CHAIN_TEST_MANY_SECRET", "many-secret-value", 1);
    Planned planned = plan_text(many_stages(600, "stage shows needs s599 { sh(\"echo many-secret-value\") }\n"
                                                 "stage deploy needs shows { sh(\"deploy ${token}\") }"),
                                {false, "develop"});
    CHECK_FALSE(text_while_planned(planned.checked, {false, "develop"}));
    CHECK(render_plan_text(planned.plan, false).find("many-secret-value") == std::string::npos);
}

TEST_CASE("the JSON rendered while planning is the JSON of the whole plan") {
    setenv("CHAIN_TEST_EARLY_SECRET", "early-secret-value", 1);
    unsetenv("CHAIN_TEST_MISSING_SECRET");
    Planned planned = plan_text(R"(
secret token = env("CHAIN_TEST_EARLY_SECRET")
secret absent = env("CHAIN_TEST_MISSING_SECRET")
stage build matrix python in ["3.11", "3.12"] inputs "src/**" {
  sh("make ${token}", env: { TOKEN: token, OTHER: absent })
  sh(["touch", "w"])
  artifact wheel = file("w")
}
stage release needs build manual timeout 10m retry 1 { sh(["publish", absent] + build.wheel, effect: true) }
stage never when branch "nowhere" { sh("true") }
)",
                                {false, "develop"});
    std::optional<std::string> json = json_while_planned(planned.checked, {false, "develop"});
    REQUIRE(json);
    CHECK(*json == render_plan_json(planned.plan));
    CHECK(json->find("early-secret-value") == std::string::npos);
    CHECK(json->find("\"missing_secrets\"") != std::string::npos);
    CHECK(nlohmann::json::parse(*json)["stages"].size() == 4);
}

TEST_CASE("the JSON of a plan without stages, and of one of many parts, rendered while planning") {
    Planned empty = plan_text("pipeline \"nothing\"\n", {false, "develop"});
    std::optional<std::string> none = json_while_planned(empty.checked, {false, "develop"});
    REQUIRE(none);
    CHECK(*none == render_plan_json(empty.plan));
    CHECK(none->find("\"stages\": []") != std::string::npos);
    setenv("CHAIN_TEST_MANY_SECRET", "many-secret-value", 1);
    Planned many = plan_text(many_stages(600, "stage deploy needs s599 { sh(\"deploy ${token}\") }"),
                             {false, "develop"});
    std::optional<std::string> json = json_while_planned(many.checked, {false, "develop"});
    REQUIRE(json);
    CHECK(json->size() > 3 * (1 << 16));
    CHECK(*json == render_plan_json(many.plan));
}

TEST_CASE("the graph of a plan whose instances kept only what a graph reads is the graph of the whole plan") {
    setenv("CHAIN_TEST_EARLY_SECRET", "early-secret-value", 1);
    std::string source = R"(
secret token = env("CHAIN_TEST_EARLY_SECRET")
stage build matrix python in ["3.11", "3.12"] { sh("make ${token}") }
stage early-secret-value needs build { sh("true") }
stage never needs build when tag "v*" { sh("true") }
)";
    Planned whole = plan_text(source, {false, "develop"});
    PlanOptions options;
    options.ref = {false, "develop"};
    options.finished = [](const Plan&, StageInstance& stage) { keep_for_graph(stage); };
    Plan light = make_plan(whole.checked.program, options);
    CHECK(light.stages.at(0).steps.empty());
    CHECK(render_plan_dot(light) == render_plan_dot(whole.plan));
    CHECK(render_plan_mermaid(light) == render_plan_mermaid(whole.plan));
    CHECK(render_plan_dot(light).find("early-secret-value") == std::string::npos);
}

TEST_CASE("a later stage reads an artifact that is another artifact at that one's path, and a plain one at its own") {
    Planned planned = plan_text(R"(
stage a matrix python in ["3.11", "3.12"] {
  artifact report = test(python: python)
  artifact same = report
}
stage b { sh(["ls"] + a.same + a.report) }
)",
                                {false, "develop"});
    std::string first = ".chain/out/a%5Bpython=3.11%5D/report";
    std::string second = ".chain/out/a%5Bpython=3.12%5D/report";
    CHECK(instance(planned.plan, "b").steps.at(0).argv == std::vector<std::string>{"ls", first, second, first, second});
}
