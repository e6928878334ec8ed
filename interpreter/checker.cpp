// check(): the passes of the checker in their order (interpreter/check/passes.hpp), then every diagnostic in
// source order.

#include "checker.hpp"

#include "check/passes.hpp"

#include <algorithm>

namespace chain {

CheckResult check(LoadedProgram loaded, const stdlib::Registry& registry, const CheckOptions& options) {
    CheckResult result;
    result.program.loaded = std::move(loaded);
    result.diagnostics = result.program.loaded.diagnostics;
    if (has_errors(result.diagnostics)) {
        return result;
    }
    checker::Context context(result.program, registry);
    context.keep_types = options.keep_types;
    checker::collect_declarations(context);
    checker::apply_param_settings(context, options.param_settings);
    checker::check_types(context);
    checker::check_stage_graph(context);
    checker::check_ref_analysis(context);
    checker::warn_effects_on_feature_branches(context);
    checker::report_lints(context);
    result.diagnostics.insert(result.diagnostics.end(), context.diagnostics.begin(),
                              context.diagnostics.end());
    // In source order: files in the order they were loaded, then by position.
    std::vector<const SourceFile*> order;
    for (const auto& file : result.program.loaded.files) {
        order.push_back(file->source.get());
    }
    auto file_rank = [&](const Diagnostic& d) {
        auto it = std::find(order.begin(), order.end(), d.source.get());
        return it == order.end() ? -1 : static_cast<int>(it - order.begin());
    };
    std::stable_sort(result.diagnostics.begin(), result.diagnostics.end(),
                     [&](const Diagnostic& a, const Diagnostic& b) {
                         int fa = file_rank(a), fb = file_rank(b);
                         return fa != fb ? fa < fb : a.range.begin < b.range.begin;
                     });
    return result;
}

} // namespace chain
