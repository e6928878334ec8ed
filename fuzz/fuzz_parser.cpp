// libFuzzer target: any bytes through the parser and the AST dump must neither crash nor hang.
#include "grammar/ast_dump.hpp"
#include "grammar/parser.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto source = std::make_shared<chain::SourceFile>("fuzz.chain", std::string(reinterpret_cast<const char*>(data), size));
    chain::ParseResult result = chain::parse(source);
    chain::ast::dump(result.file);
    for (const chain::Diagnostic& diagnostic : result.diagnostics) {
        chain::render_text(diagnostic);
    }
    chain::render_json(result.diagnostics);
    return 0;
}
