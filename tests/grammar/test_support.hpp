#pragma once

#include "grammar/ast_dump.hpp"
#include "grammar/parser.hpp"

#include <catch2/catch.hpp>

#include <memory>
#include <string>

namespace chain::test {

inline ParseResult parse_text(const std::string& text, const std::string& name = "test.chain") {
    return parse(std::make_shared<SourceFile>(name, text));
}

/// The dump of a file that must parse without diagnostics.
inline std::string dump_of(const std::string& text) {
    ParseResult result = parse_text(text);
    for (const Diagnostic& diagnostic : result.diagnostics) {
        UNSCOPED_INFO(render_text(diagnostic));
    }
    REQUIRE(result.diagnostics.empty());
    return ast::dump(result.file);
}

} // namespace chain::test
