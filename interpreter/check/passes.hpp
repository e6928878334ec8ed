#pragma once
// The passes of the checker, in the order check() runs them. Each reads what the passes before it stored
// in the checked program and the context, and adds its own part.

#include "context.hpp"

#include <string>
#include <vector>

namespace chain::checker {

/// Declarations: every top-level let, param, secret, fn and stage by name, each name once; a fn named as a
/// builtin (declarations.cpp).
void collect_declarations(Context& context);
/// The values of params given on the command line as `-p NAME=VALUE`, checked against their types
/// (param_settings.cpp).
void apply_param_settings(Context& context, const std::vector<std::string>& settings);
/// Types: every expression, call and statement of the values, fns and stages, with the names they bind and
/// use, the artifacts of stages and the needs written (types.cpp, names.cpp, expressions.cpp, calls.cpp,
/// statements.cpp).
void check_types(Context& context);
/// The stage graph: the needs of each stage, an order that runs needs first, cycles, and fns that call
/// themselves (stage_graph.cpp).
void check_stage_graph(Context& context);
/// The ref analysis: each stage's condition as a formula, a stage that runs on no ref (W0501), and a need
/// that does not run where its stage runs (E0403) (ref_analysis.cpp).
void check_ref_analysis(Context& context);
/// Effects that can run on a feature branch (W0508), judged under their stage's condition and the `when`
/// blocks around them (effect_refs.cpp).
void warn_effects_on_feature_branches(Context& context);
/// The lints: names never used and locals that shadow a name (lints.cpp).
void report_lints(Context& context);

} // namespace chain::checker
