#include "grammar/diagnostic.hpp"
#include "grammar/source.hpp"

#include <catch2/catch.hpp>

#include <memory>

using namespace chain;

TEST_CASE("positions count lines from 1 and columns in code points") {
    SourceFile file("f.chain", "ab\nh\xC3\xA9llo\n\nlast");
    CHECK(file.position(0).line == 1);
    CHECK(file.position(0).column == 1);
    CHECK(file.position(3).line == 2);
    CHECK(file.position(6).column == 3); // "hé" before it: 2 code points, 3 bytes
    CHECK(file.position(10).line == 3);
    CHECK(file.position(11).line == 4);
    CHECK(file.position(15).column == 5); // the end of the text is a valid position
    CHECK(file.line_text(2) == "h\xC3\xA9llo");
    CHECK(file.line_text(3).empty());
    CHECK(file.line_count() == 4);
}

TEST_CASE("a CRLF line is shown without its carriage return") {
    SourceFile file("f.chain", "one\r\ntwo\r\n");
    CHECK(file.line_text(1) == "one");
    CHECK(file.position(5).line == 2);
}

TEST_CASE("invalid UTF-8 is found at its first bad byte") {
    CHECK(find_invalid_utf8("plain ascii") == std::string_view::npos);
    CHECK(find_invalid_utf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x9A\x80") == std::string_view::npos);
    CHECK(find_invalid_utf8("caf\xE9") == 3);                 // Latin-1
    CHECK(find_invalid_utf8("ab\xC0\xAF") == 2);              // overlong '/'
    CHECK(find_invalid_utf8("\xED\xA0\x80") == 0);            // a UTF-16 surrogate
    CHECK(find_invalid_utf8("ok\xF4\x90\x80\x80") == 2);      // past U+10FFFF
    CHECK(find_invalid_utf8("cut \xE2\x82") == 4);            // truncated at the end
    CHECK(find_invalid_utf8("\x80") == 0);                    // a lone continuation byte
}

TEST_CASE("a diagnostic renders as file:line:col, the line and carets under the range") {
    auto file = std::make_shared<SourceFile>("pipeline.chain", "stage build needs tets when develop {\n}\n");
    Diagnostic diagnostic{file, {18, 22}, Severity::error, "E0202", "unknown stage 'tets'", "did you mean 'test'?"};
    CHECK(render_text(diagnostic) == "pipeline.chain:1:19: error[E0202]: unknown stage 'tets'\n"
                                     "    1 | stage build needs tets when develop {\n"
                                     "      |                   ^^^^ did you mean 'test'?\n");
}

TEST_CASE("carets keep the tabs of the source line") {
    auto file = std::make_shared<SourceFile>("f.chain", "\t\tsh(x)\n");
    Diagnostic diagnostic{file, {5, 6}, Severity::warning, "W0501", "m", ""};
    CHECK(render_text(diagnostic) == "f.chain:1:6: warning[W0501]: m\n"
                                     "    1 | \t\tsh(x)\n"
                                     "      | \t\t   ^\n");
}

TEST_CASE("diagnostics render as the JSON of SPEC.md section 5") {
    auto file = std::make_shared<SourceFile>("p.chain", "let x = 1\nlet y = \n");
    std::vector<Diagnostic> diagnostics{{file, {17, 18}, Severity::error, "E0117", "expected", ""},
                                        {file, {4, 5}, Severity::warning, "W0502", "unused", "remove it"}};
    CHECK(render_json(diagnostics) ==
          R"({"diagnostics":[{"file":"p.chain","line":2,"column":8,"end_line":2,"end_column":9,)"
          R"("severity":"error","code":"E0117","message":"expected","hint":null},)"
          R"({"file":"p.chain","line":1,"column":5,"end_line":1,"end_column":6,)"
          R"("severity":"warning","code":"W0502","message":"unused","hint":"remove it"}]})"
          "\n");
    CHECK(has_errors(diagnostics));
    CHECK_FALSE(has_errors({diagnostics[1]}));
}
