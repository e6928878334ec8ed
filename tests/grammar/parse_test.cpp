#include "test_support.hpp"

#include "grammar/rules.hpp"

#include <tao/pegtl/contrib/analyze.hpp>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

// The hand-written keyword and name rules consume at least one character when they match.
namespace tao::pegtl {
template <typename Name, char... Cs> struct analyze_traits<Name, chain::rules::kw<Cs...>> : analyze_any_traits<> {};
template <typename Name> struct analyze_traits<Name, chain::rules::identifier> : analyze_any_traits<> {};
} // namespace tao::pegtl

using namespace chain;
using chain::test::dump_of;
using chain::test::parse_text;

TEST_CASE("the grammar has no rule that can loop without consuming input") {
    CHECK(tao::pegtl::analyze<rules::next_decl>() == 0);
    CHECK(tao::pegtl::analyze<rules::file_header>() == 0);
}

TEST_CASE("every example parses without diagnostics") {
    std::size_t examples = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(CHAIN_SOURCE_DIR "/examples")) {
        if (entry.path().extension() != ".chain") {
            continue;
        }
        ++examples;
        LoadedSource loaded = load_source(entry.path().string());
        REQUIRE(loaded.source);
        ParseResult result = parse(loaded.source);
        INFO(entry.path().string());
        for (const Diagnostic& diagnostic : result.diagnostics) {
            UNSCOPED_INFO(render_text(diagnostic));
        }
        CHECK(result.diagnostics.empty());
        CHECK_FALSE(result.file.decls.empty());
    }
    CHECK(examples >= 1);
}

struct ConstructCase {
    const char* construct;
    const char* source;
    const char* dump;
};

TEST_CASE("each construct of SPEC.md sections 2 and 3 parses to its AST") {
    static const ConstructCase cases[] = {
#include "construct_cases.inc"
    };
    for (const ConstructCase& c : cases) {
        INFO(c.construct << ": " << c.source);
        CHECK(dump_of(c.source) == c.dump);
    }
}

TEST_CASE("an empty file and a file of comments parse to nothing") {
    CHECK(dump_of("") == "");
    CHECK(dump_of("# only a comment\n\n   # and another") == "");
}

TEST_CASE("comments are kept with their ranges") {
    ParseResult result = parse_text("# head\nstage a { # inside\n  sh(\"x\") # after \"quote\"\n}\n");
    REQUIRE(result.diagnostics.empty());
    REQUIRE(result.file.comments.size() == 3);
    CHECK(result.file.comments[0].text == "# head");
    CHECK(result.file.comments[1].text == "# inside");
    CHECK(result.file.comments[2].text == "# after \"quote\"");
    CHECK(result.file.comments[1].range.begin == 17);
    CHECK(result.file.comments[1].range.end == 25);
}

TEST_CASE("a '#' inside a string is text, not a comment") {
    ParseResult result = parse_text("let x = \"a # b\"\n");
    REQUIRE(result.diagnostics.empty());
    CHECK(result.file.comments.empty());
    CHECK(ast::dump(result.file) == "(let x \"a # b\")\n");
}

TEST_CASE("nodes carry the source range of their text") {
    std::string text = "stage build needs test when develop | release/* {\n  artifact w = package(format: wheel)\n}\n";
    ParseResult result = parse_text(text);
    REQUIRE(result.diagnostics.empty());
    const auto& stage = std::get<ast::Stage>(result.file.decls.at(0).node);
    auto slice = [&](SourceRange range) { return text.substr(range.begin, range.end - range.begin); };
    CHECK(slice(result.file.decls[0].range) == text.substr(0, text.size() - 1));
    CHECK(slice(stage.name.range) == "build");
    CHECK(slice(stage.clauses.at(0).range) == "needs test");
    CHECK(slice(std::get<ast::NeedsClause>(stage.clauses[0].node).stages.at(0).range) == "test");
    const auto& when = std::get<ast::WhenClause>(stage.clauses.at(1).node);
    CHECK(slice(when.condition.range) == "develop | release/*");
    CHECK(slice(std::get<ast::Infix>(when.condition.node).operands.back().range) == "release/*");
    const auto& artifact = std::get<ast::ArtifactStmt>(stage.body.stmts.at(0).node);
    CHECK(slice(stage.body.stmts[0].range) == "artifact w = package(format: wheel)");
    CHECK(slice(artifact.value.range) == "package(format: wheel)");
    const auto& call = std::get<ast::Call>(artifact.value.node);
    CHECK(slice(call.args.at(0).label->range) == "format");
    CHECK(slice(call.args.at(0).value->range) == "wheel");
}

TEST_CASE("reserved words are not names, but names may contain them") {
    CHECK(dump_of("let stage-name = staged\nlet whenever = in_progress") ==
          "(let stage-name staged)\n(let whenever in_progress)\n");
    CHECK_FALSE(parse_text("let stage = 1").diagnostics.empty());
    CHECK_FALSE(parse_text("let x = needs").diagnostics.empty());
    CHECK_FALSE(parse_text("stage allow_failure {}").diagnostics.empty());
    CHECK(dump_of("let allow_failures = 1") == "(let allow_failures 1)\n");
    // `env` is a clause word only in a stage's header: elsewhere it is the builtin, and a name.
    CHECK(dump_of("let env = env(\"HOME\")") == "(let env (call env \"HOME\"))\n");
}

TEST_CASE("feature, release, hotfix and support are ref kinds only where '/' follows") {
    CHECK(dump_of("stage release when release/* | support/1.* {}") ==
          "(stage release (when (| (ref release/*) (ref support/1.*))) { })\n");
    CHECK(dump_of("let hotfix = feature.wheel") == "(let hotfix (. feature wheel))\n");
    CHECK(dump_of("let c = release") == "(let c release)\n");
    CHECK(dump_of("fn support(release: str) { feature(hotfix: release) }") ==
          "(fn support (release:str) { (call feature hotfix:release) })\n");
    CHECK(dump_of("stage a needs release, hotfix {}") == "(stage a (needs release hotfix) { })\n");
    CHECK(dump_of("let r = { release: 1, support: hotfix }") == "(let r (record release:1 support:hotfix))\n");
}

TEST_CASE("a number with a fraction is read, so that the checker reports it where it stands") {
    CHECK(dump_of("let v = 3.11") == "(let v (decimal 3.11))\n");
    CHECK(dump_of("let vs = [3.11, 1.2.3, 99.5%]") == "(let vs [(decimal 3.11) (decimal 1.2.3) (percent 99.5)])\n");
    ParseResult result = parse_text("stage a {\n  test(python: 3.11)\n}\nstage b needs a {}\n");
    CHECK(result.diagnostics.empty());
    CHECK(result.file.decls.size() == 2);
}

TEST_CASE("a duration unit chain does not know is named, with the unit meant, and parsing goes on") {
    ParseResult result = parse_text("stage a timeout 10min {}\nstage b timeout 2hours needs a {}\nstage c timeout 1d {}\n");
    REQUIRE(result.diagnostics.size() == 3);
    CHECK(result.diagnostics[0].code == "E0197");
    CHECK(result.diagnostics[0].message == "unknown duration unit 'min'");
    CHECK(result.diagnostics[0].hint == "did you mean '10m'?");
    CHECK(result.diagnostics[1].hint == "did you mean '2h'?");
    CHECK(result.diagnostics[2].hint == "did you mean '24h'?");
    CHECK(ast::dump(result.file) ==
          "(stage a (timeout (duration 600000ms)) { })\n(stage b (timeout (duration 7200000ms)) (needs a) { })\n"
          "(stage c (timeout (duration 86400000ms)) { })\n");

    ExpressionResult value = parse_expression(std::make_shared<SourceFile>("-p t", "30secs"));
    CHECK_FALSE(value.expr);
    REQUIRE(value.diagnostics.size() == 1);
    CHECK(value.diagnostics[0].hint == "did you mean '30s'?");
}

TEST_CASE("a name may contain '-' but neither start nor end with it") {
    CHECK(dump_of("let acme-web = 1") == "(let acme-web 1)\n");
    CHECK_FALSE(parse_text("let acme- = 1").diagnostics.empty());
    CHECK_FALSE(parse_text("let -acme = 1").diagnostics.empty());
}

TEST_CASE("a syntax error at the end of the text is incomplete, so the REPL reads on") {
    CHECK(parse_text("stage a {\n  sh(\"x\")\n").incomplete);
    CHECK(parse_text("let x = [1, 2,").incomplete);
    CHECK(parse_text("let x = ").incomplete);
    CHECK_FALSE(parse_text("let x = ]").incomplete);
    CHECK_FALSE(parse_text("let x = 1").incomplete);
}

TEST_CASE("after an error the parser resumes at the next declaration and keeps what parsed") {
    ParseResult result = parse_text("stage a { oops }\nlet b = 1\nstage c needs { }\nstage d {}\n");
    REQUIRE(result.diagnostics.size() == 2);
    CHECK(result.diagnostics[0].code == "E0151");
    CHECK(result.diagnostics[1].code == "E0142");
    CHECK(ast::dump(result.file) == "(let b 1)\n(stage d { })\n");
}

TEST_CASE("CRLF line ends are whitespace") {
    CHECK(dump_of("stage a {\r\n  sh(\"x\")\r\n}\r\n") == "(stage a { (call sh \"x\") })\n");
}
