// libFuzzer target: any bytes through the parser, the checker and the renderers must neither crash nor hang.
#include "grammar/ast_dump.hpp"
#include "grammar/parser.hpp"
#include "interpreter/checker.hpp"
#include "stdlib/builtin.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto source = std::make_shared<chain::SourceFile>("fuzz.chain", std::string(reinterpret_cast<const char*>(data), size));
    chain::ParseResult parsed = chain::parse(source);
    chain::ast::dump(parsed.file);

    // The checker sees the same file as a one-file program; imports are not followed from fuzz input.
    chain::LoadedProgram program;
    program.diagnostics = parsed.diagnostics;
    program.files.push_back(std::make_unique<chain::ProgramFile>(chain::ProgramFile{source, std::move(parsed.file), "fuzz.chain"}));
    chain::CheckResult checked = chain::check(std::move(program), chain::stdlib::standard_library(), {});
    for (const chain::Diagnostic& diagnostic : checked.diagnostics) {
        chain::render_text(diagnostic);
    }
    chain::render_json(checked.diagnostics);
    return 0;
}
