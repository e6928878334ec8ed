#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

using namespace chain;
using chain::test::parse_text;

namespace {

struct ErrorCase {
    const char* source;
    const char* code;
    std::uint32_t line;
    std::uint32_t column;
    const char* message;
};

void check_first_error(const ErrorCase& c) {
    INFO(c.source);
    ParseResult result = parse_text(c.source);
    REQUIRE_FALSE(result.diagnostics.empty());
    const Diagnostic& diagnostic = result.diagnostics.front();
    LineColumn at = diagnostic.source->position(diagnostic.range.begin);
    CHECK(diagnostic.code == c.code);
    CHECK(at.line == c.line);
    CHECK(at.column == c.column);
    CHECK(diagnostic.message == c.message);
    CHECK(diagnostic.severity == Severity::error);
}

} // namespace

TEST_CASE("syntax errors name what was expected in the words of the language") {
    static const ErrorCase cases[] = {
        {"stage build needs test wen develop {\n}", "E0141", 1, 24,
         "expected '{' to open the body of stage 'build', found 'wen'"},
        {"stage a {\n  sh(\"make\n}", "E0103", 2, 6, "unterminated string"},
        {"stage a when {\n}", "E0143", 1, 14, "expected a ref pattern after 'when', found '{'"},
        {"stage a { when { sh(\"x\") } }", "E0155", 1, 16, "expected a ref pattern after 'when', found '{'"},
        {"stage a {\n  test(runner: pytest python: \"3.11\")\n}", "E0172", 2, 23,
         "expected ',' or ')' to close the call of 'test', found 'python'"},
        {"fn f(x: str) {\n  sh(\"a\")\n", "E0150", 3, 1,
         "expected a statement or '}' to close the body of fn 'f', found end of file"},
        {"stage a { chroot(root: \"/r\") { 1 } }", "E0150", 1, 32,
         "expected a statement or '}' to close the block of 'chroot', found '1'"},
        {"stage a { when develop { sh(\"x\") 2 } }", "E0150", 1, 34,
         "expected a statement or '}' to close the block of 'when', found '2'"},
        {"let x = [1, 2", "E0176", 1, 14, "expected ',' or ']' to close the list, found end of file"},
        {"param p: list<str", "E0194", 1, 18, "expected '>' to close the type, found end of file"},
        {"stage a when feature/ {}", "E0184", 1, 22, "expected a branch name pattern after '/', found a space"},
        {"stage a when hotfix/ {}", "E0184", 1, 21, "expected a branch name pattern after '/', found a space"},
        {"stage a timeout 10min {}", "E0197", 1, 19, "unknown duration unit 'min'"},
        {"stage a timeout 3x {}", "E0197", 1, 18, "unknown duration unit 'x'"},
        {"let p = 99.5%x", "E0109", 1, 14, "expected a unit after the number, found 'x'"},
        {"let s = \"a\\qb\"", "E0104", 1, 11, "unknown escape sequence in a string: '\\q'"},
        {"stage a timeout 5 {}", "E0148", 1, 17, "expected a duration after 'timeout', found '5'"},
        {"stage a retry 1s {}", "E0149", 1, 15, "expected a number of retries after 'retry', found '1s'"},
        {"let x = 1\n\nlet", "E0114", 3, 4, "expected a name after 'let', found end of file"},
    };
    for (const ErrorCase& c : cases) {
        check_first_error(c);
    }
}

TEST_CASE("a syntax error never shows a PEGTL rule name or a C++ type") {
    std::set<std::string> messages;
    for (const auto& entry : std::filesystem::directory_iterator(CHAIN_SOURCE_DIR "/tests/golden/check/syntax")) {
        if (entry.path().extension() != ".chain") {
            continue;
        }
        LoadedSource loaded = load_source(entry.path().string());
        REQUIRE(loaded.source);
        for (const Diagnostic& diagnostic : parse(loaded.source).diagnostics) {
            INFO(diagnostic.message);
            CHECK(diagnostic.message.find("chain::") == std::string::npos);
            CHECK(diagnostic.message.find("rules") == std::string::npos);
            CHECK(diagnostic.message.find("parse error matching") == std::string::npos);
            CHECK(diagnostic.message.find('_') == std::string::npos);
        }
    }
}

TEST_CASE("the golden files cover at least 40 distinct syntax errors") {
    std::set<std::string> codes;
    std::regex code_pattern(R"(error\[(E01\d\d)\])");
    for (const auto& entry : std::filesystem::directory_iterator(CHAIN_SOURCE_DIR "/tests/golden/check/syntax")) {
        if (entry.path().extension() != ".expected") {
            continue;
        }
        std::ifstream stream(entry.path());
        std::stringstream text;
        text << stream.rdbuf();
        std::string content = text.str();
        for (std::sregex_iterator it(content.begin(), content.end(), code_pattern), end; it != end; ++it) {
            codes.insert((*it)[1]);
        }
    }
    CHECK(codes.size() >= 40);
}

TEST_CASE("nesting is bounded instead of exhausting the stack") {
    std::string deep = "let x = " + std::string(100000, '[') + std::string(100000, ']');
    ParseResult result = parse_text(deep);
    REQUIRE(result.diagnostics.size() == 1);
    CHECK(result.diagnostics[0].code == "E0189");
    std::string nots = "let x = ";
    for (int i = 0; i < 100000; ++i) {
        nots += "not ";
    }
    CHECK(parse_text(nots + "develop").diagnostics.at(0).code == "E0189");
    std::string blocks = "stage a {";
    for (int i = 0; i < 100000; ++i) {
        blocks += " when develop {";
    }
    CHECK(parse_text(blocks).diagnostics.at(0).code == "E0189");
}

TEST_CASE("inputs that once crashed the fuzzer parse and render without throwing") {
    std::size_t inputs = 0;
    for (const auto& entry : std::filesystem::directory_iterator(CHAIN_SOURCE_DIR "/fuzz/regressions")) {
        ++inputs;
        LoadedSource loaded = load_source(entry.path().string());
        REQUIRE(loaded.source);
        ParseResult result = parse(loaded.source);
        ast::dump(result.file);
        for (const Diagnostic& diagnostic : result.diagnostics) {
            CHECK(find_invalid_utf8(diagnostic.message) == std::string_view::npos);
            CHECK(find_invalid_utf8(render_text(diagnostic)) == std::string_view::npos);
        }
        CHECK_NOTHROW(render_json(result.diagnostics));
    }
    CHECK(inputs >= 1);
}
