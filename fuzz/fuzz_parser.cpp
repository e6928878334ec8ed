// libFuzzer target: any bytes through the parser, the formatter, the checker, the planner and the renderers
// must neither crash nor hang; what parses must format to text that parses to the same AST, and formatting
// that text must give it again.
#include "grammar/ast_dump.hpp"
#include "grammar/format.hpp"
#include "grammar/parser.hpp"
#include "interpreter/checker.hpp"
#include "interpreter/plan.hpp"
#include "interpreter/plan_render.hpp"
#include "stdlib/builtin.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto source = std::make_shared<chain::SourceFile>("fuzz.chain", std::string(reinterpret_cast<const char*>(data), size));
    chain::ParseResult parsed = chain::parse(source);
    std::string dumped = chain::ast::dump(parsed.file);
    if (parsed.diagnostics.empty()) {
        std::string formatted = chain::format_file(parsed.file, *source);
        auto again_source = std::make_shared<chain::SourceFile>("formatted.chain", formatted);
        chain::ParseResult again = chain::parse(again_source);
        if (!again.diagnostics.empty() || chain::ast::dump(again.file) != dumped ||
            chain::format_file(again.file, *again_source) != formatted) {
            std::abort(); // fmt changed the meaning, or is not idempotent
        }
    }

    // The checker sees the same file as a one-file program; imports are not followed from fuzz input.
    chain::LoadedProgram program;
    program.diagnostics = parsed.diagnostics;
    program.files.push_back(std::make_unique<chain::ProgramFile>(chain::ProgramFile{source, std::move(parsed.file), "fuzz.chain"}));
    chain::CheckResult checked = chain::check(std::move(program), chain::stdlib::standard_library(), {});
    for (const chain::Diagnostic& diagnostic : checked.diagnostics) {
        chain::render_text(diagnostic);
    }
    chain::render_json(checked.diagnostics);
    if (chain::has_errors(checked.diagnostics)) {
        return 0;
    }
    for (const chain::GlobalValue& value : checked.program.values) {
        if (value.kind == chain::ValueKind::param && !value.value) {
            return 0; // `chain plan` asks for a value first
        }
    }
    chain::PlanOptions options;
    options.ref = chain::refs::Ref{false, "release/1.4"};
    chain::Plan plan = chain::make_plan(checked.program, options);
    chain::render_plan_text(plan, true);
    chain::render_plan_json(plan);
    return 0;
}
