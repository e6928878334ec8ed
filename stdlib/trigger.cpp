#include "builtin.hpp"

namespace chain::stdlib {

namespace {

Value plan_trigger(const Invocation& call, std::vector<Step>& steps) {
    std::string record = call.scratch + "/downstream-run.json";
    Step step = command("trigger", {call.chain_program, "run", call.ref_is_tag ? "--tag" : "--branch", call.ref_name,
                                    "--record-copy", record, call.text(0) + "/pipeline.chain"});
    step.report_format = "chain-run";
    step.report_path = record;
    if (const Value* with = call.arg(1)) {
        for (const auto& [name, value] : with->fields) {
            step.env.emplace_back("CHAIN_UPSTREAM_" + name, text_of(value));
        }
    }
    steps.push_back(std::move(step));
    return Value::none();
}

} // namespace

void add_trigger(std::vector<Builtin>& out) {
    out.push_back(Builtin{"trigger",
                          "Run a downstream repository's pipeline on the same ref kind, with these artifacts",
                          {param("repo", Type::of(Type::str), true), param("with", Type::of(Type::record), false, "{}")},
                          BlockUse::none,
                          returns(Type::of(Type::none)),
                          nullptr,
                          plan_trigger});
}

} // namespace chain::stdlib
