#pragma once
// The checker run on one file's text, as the interpreter's tests give it.

#include "interpreter/checker.hpp"

#include "grammar/parser.hpp"

#include <memory>
#include <string>
#include <vector>

namespace chain {

inline CheckResult check_text(const std::string& text, std::vector<std::string> params = {}) {
    auto source = std::make_shared<SourceFile>("test.chain", text);
    ParseResult parsed = parse(source);
    LoadedProgram program;
    program.diagnostics = parsed.diagnostics;
    program.files.push_back(std::make_unique<ProgramFile>(ProgramFile{source, std::move(parsed.file), "test.chain"}));
    // Kept types: the tests read what the checker gave each expression.
    return check(std::move(program), stdlib::standard_library(), CheckOptions{std::move(params), true});
}

} // namespace chain
