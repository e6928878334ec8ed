#pragma once
// Calls a builtin's plan function as the planner does, for tests of the steps it makes.

#include "stdlib/builtin.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

namespace chain::test {

struct Planned {
    stdlib::Value value;
    std::vector<stdlib::Step> steps;
};

inline stdlib::Value text(std::string s) { return stdlib::Value::of_text(std::move(s)); }

inline stdlib::Value texts(std::vector<std::string> items) {
    stdlib::Value list;
    list.kind = stdlib::Value::Kind::list;
    for (std::string& item : items) {
        list.items.push_back(stdlib::Value::of_text(std::move(item)));
    }
    return list;
}

/// A target value such as `pypi("../.index")` or `local("/srv/app")` makes.
inline stdlib::Value target(std::uint8_t kind, std::string location) {
    stdlib::Value value;
    value.kind = stdlib::Value::Kind::target;
    value.target_kind = kind;
    value.text = std::move(location);
    return value;
}

/// Plans `name` with arguments by parameter name, as a step of stage instance `build` of the pipeline in
/// the folder `project`.
inline Planned invoke(const std::string& name, const std::map<std::string, stdlib::Value>& args,
                      std::string output = "", std::vector<stdlib::Step> block = {}, std::string project = ".") {
    const stdlib::Builtin* builtin = stdlib::standard_library().find(name);
    REQUIRE(builtin != nullptr);
    stdlib::Invocation call;
    call.args.resize(builtin->params.size());
    for (const auto& [param, value] : args) {
        int index = builtin->param_index(param);
        REQUIRE(index >= 0);
        call.args[static_cast<std::size_t>(index)] = value;
    }
    call.output = std::move(output);
    call.scratch = ".chain/scratch/build";
    call.project = std::move(project);
    call.version = "1.4.0rc3";
    call.ref_name = "release/1.4";
    call.chain_program = "chain";
    call.block = std::move(block);
    Planned planned;
    planned.value = builtin->plan(call, planned.steps);
    return planned;
}

using Argv = std::vector<std::string>;

} // namespace chain::test
