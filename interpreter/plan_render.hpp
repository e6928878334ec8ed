#pragma once

#include "plan.hpp"

#include <string>

namespace chain {

/// The plan for people: each stage instance, whether it runs and why, and its steps as shell-quoted argv.
std::string render_plan_text(const Plan& plan, bool explain);
/// The plan as SPEC.md section 5 fixes it.
std::string render_plan_json(const Plan& plan);
/// The stage graph for Graphviz: running stages filled, the others dashed.
std::string render_plan_dot(const Plan& plan);
/// The stage graph for Mermaid.
std::string render_plan_mermaid(const Plan& plan);

} // namespace chain
