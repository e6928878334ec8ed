// The stage graph: each stage's needs, resolved once; an order that runs needs first; cycles of needs, and
// fns that call themselves (a fn expands inline, so it cannot).

#include "passes.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>

namespace chain::checker {

namespace {

void check_fn_recursion(Context& context) {
    const CheckedProgram& program = context.program;
    std::vector<char> state(program.fns.size(), 0);
    std::vector<std::size_t> path;
    std::function<void(std::size_t)> visit = [&](std::size_t fn) {
        state[fn] = 1;
        path.push_back(fn);
        for (std::size_t callee : context.fn_calls[fn]) {
            if (state[callee] == 1) {
                std::string cycle;
                for (auto it = std::find(path.begin(), path.end(), callee); it != path.end(); ++it) {
                    cycle += std::string(program.fns[*it].decl->name.name) + " -> ";
                }
                cycle += program.fns[callee].decl->name.name;
                const FnInfo& info = program.fns[callee];
                context.error(info.file, info.decl->name.range, "E0220",
                              fmt::format("fn '{}' calls itself: {}", info.decl->name.name, cycle),
                              "a fn expands inline where it is called, so it cannot recurse");
            } else if (state[callee] == 0) {
                visit(callee);
            }
        }
        path.pop_back();
        state[fn] = 2;
    };
    for (std::size_t fn = 0; fn < program.fns.size(); ++fn) {
        if (state[fn] == 0) {
            visit(fn);
        }
    }
}

void check_needs_graph(Context& context) {
    CheckedProgram& program = context.program;
    for (std::size_t s = 0; s < program.stages.size(); ++s) {
        std::vector<std::size_t>& resolved = program.stages[s].needs;
        resolved.reserve(context.needs[s].size());
        for (const NeedRef& need : context.needs[s]) {
            if (std::find(resolved.begin(), resolved.end(), need.stage) == resolved.end()) {
                resolved.push_back(need.stage);
            }
        }
    }
    // Depth-first search in source order; an edge to a stage on the current path closes a cycle.
    std::vector<char> state(program.stages.size(), 0);
    std::vector<std::size_t> path;
    std::vector<std::pair<std::size_t, std::size_t>> stack; // (stage, its next need to follow)
    program.stage_order.reserve(program.stages.size());
    bool cyclic = false;
    for (std::size_t root = 0; root < program.stages.size(); ++root) {
        if (state[root] != 0) {
            continue;
        }
        stack.emplace_back(root, 0);
        state[root] = 1;
        path.push_back(root);
        while (!stack.empty()) {
            auto& [stage, next] = stack.back();
            if (next < context.needs[stage].size()) {
                const NeedRef& need = context.needs[stage][next++];
                if (state[need.stage] == 1) {
                    cyclic = true;
                    std::string cycle;
                    for (auto it = std::find(path.begin(), path.end(), need.stage); it != path.end(); ++it) {
                        cycle += program.stages[*it].name + " -> ";
                    }
                    cycle += program.stages[need.stage].name;
                    context.error(need.file, need.range, "E0401",
                                  fmt::format("the needs of stages form a cycle: {}", cycle));
                } else if (state[need.stage] == 0) {
                    state[need.stage] = 1;
                    path.push_back(need.stage);
                    stack.emplace_back(need.stage, 0);
                }
            } else {
                state[stage] = 2;
                program.stage_order.push_back(stage);
                path.pop_back();
                stack.pop_back();
            }
        }
    }
    if (cyclic) {
        program.stage_order.clear();
    }
}

} // namespace

void check_stage_graph(Context& context) {
    check_fn_recursion(context);
    check_needs_graph(context);
}

} // namespace chain::checker
