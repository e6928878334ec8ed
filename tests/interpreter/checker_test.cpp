#include "check_text.hpp"
#include "interpreter/checker.hpp"

#include "grammar/parser.hpp"

#include <catch2/catch.hpp>

#include <memory>

using namespace chain;

namespace {
std::vector<std::string> names_of(const CheckedProgram& program, const std::vector<std::size_t>& indices) {
    std::vector<std::string> names;
    for (std::size_t i : indices) {
        names.push_back(program.stages[i].name);
    }
    return names;
}
} // namespace

TEST_CASE("needs are resolved, also through artifacts and fns, and ordered") {
    CheckResult result = check_text(R"(
fn ship(to: target) { publish(build.wheel, to: to) }
stage deploy needs test when develop { ship(to: pypi("x")) }
stage build { artifact wheel = package(format: wheel) }
stage test { sh("pytest") }
)");
    INFO(result.diagnostics.size());
    REQUIRE(result.diagnostics.empty());
    const CheckedProgram& program = result.program;
    CHECK(names_of(program, program.find_stage("deploy")->needs) == std::vector<std::string>{"test", "build"});
    CHECK(names_of(program, program.stage_order) == std::vector<std::string>{"test", "build", "deploy"});
}

TEST_CASE("every expression is typed and every call resolved") {
    CheckResult result = check_text(R"(
param pythons: list<str> = ["3.11"]
stage test matrix python in pythons { artifact report = test(python: python) }
stage notes when develop { trigger("../x", with: { reports: test.report }) }
)");
    REQUIRE(result.diagnostics.empty());
    const CheckedProgram& program = result.program;
    const StageInfo& test = *program.find_stage("test");
    CHECK(to_string(test.artifacts.at("report").type) == "artifact<report>");
    REQUIRE(test.matrix != nullptr);
    CHECK(to_string(program.type_of(*test.matrix->values)) == "list<str>");
    const auto& notes = *program.find_stage("notes")->decl;
    const auto& call_stmt = std::get<ast::CallStmt>(notes.body.stmts.at(0).node);
    const auto& call = std::get<ast::Call>(call_stmt.call.node);
    CHECK(program.callees.at(&call).builtin->name == "trigger");
    const auto& record = std::get<ast::RecordExpr>(call.args.at(1).value->node);
    CHECK(to_string(program.type_of(*record.entries.at(0).value)) == "list<artifact<report>>");
}

TEST_CASE("the types of expressions are kept only when asked; calls are resolved either way") {
    auto source = std::make_shared<SourceFile>("test.chain", "stage s { sh(\"make\") }\n");
    ParseResult parsed = parse(source);
    LoadedProgram loaded;
    loaded.files.push_back(std::make_unique<ProgramFile>(ProgramFile{source, std::move(parsed.file), "test.chain"}));
    CheckResult result = check(std::move(loaded), stdlib::standard_library(), CheckOptions{});
    REQUIRE(result.diagnostics.empty());
    const auto& call_stmt = std::get<ast::CallStmt>(result.program.stages.at(0).decl->body.stmts.at(0).node);
    CHECK(result.program.types.empty());
    CHECK(result.program.type_of(call_stmt.call).kind == Type::unknown);
    CHECK(result.program.callees.at(&std::get<ast::Call>(call_stmt.call.node)).builtin->name == "sh");
}

TEST_CASE("clauses are resolved into the stage") {
    CheckResult result = check_text("stage s when develop timeout 90s retry 2 manual inputs \"src/**\", \"x\" {}");
    REQUIRE(result.diagnostics.empty());
    const StageInfo& stage = result.program.stages.at(0);
    CHECK(stage.condition != nullptr);
    CHECK(stage.timeout_ms == 90000);
    CHECK(stage.retries == 2);
    CHECK(stage.manual);
    CHECK(stage.inputs == std::vector<std::string>{"src/**", "x"});
    CHECK(stage.env == nullptr);
    CHECK_FALSE(stage.allow_failure);
}

TEST_CASE("env and allow_failure are clauses only in a stage's header; env() stays a builtin") {
    CheckResult result = check_text(R"(
let env_name = "HOME"
let home = env(env_name)
stage env {}
stage s allow_failure env { HOME_COPY: env("HOME"), "QUOTED_OK": home } { sh(["true"], env: { X: env("X") }) }
)");
    INFO(result.diagnostics.size());
    REQUIRE(result.diagnostics.empty());
    const StageInfo& stage = result.program.stages.at(1);
    CHECK(stage.allow_failure);
    REQUIRE(stage.env != nullptr);
    CHECK(std::get<ast::RecordExpr>(stage.env->node).entries.size() == 2);
    CHECK_FALSE(result.program.stages.at(0).allow_failure);
}

TEST_CASE("test's env: is a record of variables and tox_env: names the tox environment") {
    auto codes = [](const std::string& text) {
        std::vector<std::string> out;
        for (const Diagnostic& d : check_text(text).diagnostics) {
            out.push_back(d.code);
        }
        return out;
    };
    CHECK(codes("stage s { test(env: \"PYTHONHASHSEED=0\") }") == std::vector<std::string>{"E0301"});
    CHECK(codes("stage s { test(runner: tox, env: \"py311\") }") == std::vector<std::string>{"E0301"});
    CHECK(codes("stage s { test(runner: tox, tox_env: \"py311\", env: { PYTHONHASHSEED: \"0\" }) }").empty());
    CHECK(codes("stage s { test(runner: pytest, tox_env: \"py311\") }") == std::vector<std::string>{"E0230"});
    CHECK(codes("stage s env { \"A-B\": \"1\", A: \"1\", A: \"2\" } { sh([\"true\"]) }") ==
          std::vector<std::string>{"E0229", "E0222"});
    CHECK(codes("stage s env { N: 4 } { sh([\"true\"]) }") == std::vector<std::string>{"E0301"});
}

TEST_CASE("params given on the command line replace their defaults") {
    CheckResult result = check_text("param pythons: list<str> = [\"3.11\"]\nparam name: str = \"a\"\n"
                                    "stage s matrix p in pythons { sh([\"echo\", p, name]) }",
                                    {"pythons=[\"3.12\", \"3.13\"]", "name=some text"});
    REQUIRE(result.diagnostics.empty());
    const GlobalValue& pythons = *result.program.find_value("pythons");
    REQUIRE(pythons.given.has_value());
    CHECK(std::get<ast::ListExpr>(pythons.given->node).items.size() == 2);
    const GlobalValue& name = *result.program.find_value("name");
    CHECK(std::get<std::string>(std::get<ast::StringLit>(name.given->node).parts.at(0)) == "some text");
}

TEST_CASE("a file with syntax errors gets no semantic diagnostics") {
    CheckResult result = check_text("stage a { sh(undefined) }\nstage b needs {}\n");
    REQUIRE(result.diagnostics.size() == 1);
    CHECK(result.diagnostics[0].code == "E0142");
}

TEST_CASE("diagnostics come in source order") {
    CheckResult result = check_text("stage b needs zzz {}\nlet unused = 1\nstage a { sh(nope) }\n");
    REQUIRE(result.diagnostics.size() == 3);
    CHECK(result.diagnostics[0].code == "E0202");
    CHECK(result.diagnostics[1].code == "W0502");
    CHECK(result.diagnostics[2].code == "E0201");
}

TEST_CASE("artifacts are words of a command line: a list of str takes them, each as its path") {
    CheckResult result = check_text(R"(
param suites: list<str> = ["unit", "slow"]
stage test matrix suite in suites { artifact report = test(python: suite) }
stage summary {
  artifact smoke = test()
  let listed = ["ls"] + test.report
  let reversed = test.report + ["--"]
  let mixed = ["du", smoke]
  let typed: list<str> = test.report
  sh(listed)
  sh(test.report)
  sh("ls ${test.report} ${suites} ${smoke}")
  sh([smoke] + reversed + mixed + typed)
}
)");
    INFO((result.diagnostics.empty() ? "" : result.diagnostics[0].message));
    REQUIRE(result.diagnostics.empty());
    const auto& summary = *result.program.find_stage("summary")->decl;
    for (std::size_t i : {1, 2, 3}) {
        const auto& let = std::get<ast::Let>(summary.body.stmts.at(i).node);
        CHECK(to_string(result.program.type_of(let.value)) == "list<str>");
    }
}

TEST_CASE("a single artifact is no str, and a list of lists has no text form") {
    CheckResult result = check_text(R"(
param groups: list<list<str>> = [["a"], ["b"]]
stage build {
  artifact wheel = package(format: wheel)
  let name: str = wheel
  sh("echo ${groups} ${name}")
  sh(["ls", [wheel]])
}
)");
    REQUIRE(result.diagnostics.size() == 3);
    CHECK(result.diagnostics[0].code == "E0301");
    CHECK(result.diagnostics[0].message == "let 'name' expects str, found artifact<wheel>");
    CHECK(result.diagnostics[1].code == "E0305");
    CHECK(result.diagnostics[1].message == "a list<list<str>> cannot be put into a string");
    CHECK(result.diagnostics[2].code == "E0308");
    CHECK(result.diagnostics[2].hint == "to add the items of a list, join the lists with +: [...] + [wheel]");
}
