// The lints: names never used, and locals that shadow another name.

#include "passes.hpp"

#include <fmt/format.h>

#include <string_view>

namespace chain::checker {

void report_lints(Context& context) {
    const CheckedProgram& program = context.program;
    // Of one local, that it shadows a name is said before that it is never used.
    for (const Local& local : context.finished_locals) {
        if (local.shadows) {
            context.warning(local.file, local.range, "W0506",
                            fmt::format("{} '{}' shadows the {} of the same name", local.what, local.name,
                                        local.shadows));
        }
    }
    for (std::size_t i = 0; i < program.values.size(); ++i) {
        const GlobalValue& value = program.values[i];
        // A name used only by another file that imports this one still counts as used.
        if (!context.value_used[i]) {
            context.warning(value.file, value.name_range, value.kind == ValueKind::param ? "W0503" : "W0502",
                            fmt::format("{} '{}' is never used", value_kind_name(value.kind), value.name));
        }
    }
    for (std::size_t i = 0; i < program.fns.size(); ++i) {
        if (!context.fn_used[i]) {
            context.warning(program.fns[i].file, program.fns[i].decl->name.range, "W0505",
                            fmt::format("fn '{}' is never called", program.fns[i].decl->name.name));
        }
    }
    for (std::size_t s = 0; s < program.stages.size(); ++s) {
        for (const auto& [name, info] : program.stages[s].artifacts) {
            if (!context.artifact_used.count({s, name})) {
                context.warning(
                    program.stages[s].file, info.name_range, "W0504",
                    fmt::format("artifact '{}' of stage '{}' is never used", name, program.stages[s].name),
                    "publish it, use it in a later step, or refer to it from another stage");
            }
        }
    }
    for (const Local& local : context.finished_locals) {
        if (local.unused_let()) {
            context.warning(local.file, local.range, "W0502",
                            fmt::format("let '{}' is never used", local.name));
        }
    }
}

} // namespace chain::checker
