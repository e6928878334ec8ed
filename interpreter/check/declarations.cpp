// The declarations pass: every top-level let, param, secret, fn and stage of every file, by name.

#include "passes.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace chain::checker {

namespace {

/// The variable a secret is read from is named in generated CI files too (`secrets.NAME` of a
/// GitHub workflow): it must be an environment variable's name there and in every shell.
void check_secret_variable(Context& context, const ast::Secret& secret, const ProgramFile* file) {
    const auto* literal = std::get_if<ast::StringLit>(&secret.variable.node);
    std::string variable;
    bool valid = literal != nullptr;
    for (std::size_t index = 0; literal && index < literal->parts.size(); ++index) {
        const auto* text = std::get_if<std::string>(&literal->parts[index]);
        valid = valid && text;
        variable += text ? *text : std::string("${...}");
    }
    valid = valid && !variable.empty() && !(variable.front() >= '0' && variable.front() <= '9');
    for (char c : variable) {
        valid =
            valid && ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
    }
    if (!valid) {
        context.error(
            file, secret.variable.range, "E0313",
            fmt::format("secret '{}' reads '{}', which is not an environment variable's name",
                        secret.name.name, variable),
            "a name is letters, digits and _, not starting with a digit, as in env(\"DEPLOY_KEY\")");
    }
}

void add_value(Context& context, GlobalValue value) {
    CheckedProgram& program = context.program;
    auto [it, inserted] = program.value_index.emplace(value.name, program.values.size());
    if (!inserted) {
        const GlobalValue& first = program.values[it->second];
        context.error(value.file, value.name_range, "E0208",
                      fmt::format("'{}' is already defined as a {}", value.name, value_kind_name(first.kind)),
                      fmt::format("first defined at {}", context.where(first.file, first.name_range)));
        return;
    }
    program.values.push_back(std::move(value));
}

void add_fn(Context& context, const ast::Fn& fn, const ProgramFile* file) {
    CheckedProgram& program = context.program;
    auto [it, inserted] = program.fn_index.emplace(fn.name.name, program.fns.size());
    if (!inserted) {
        const FnInfo& first = program.fns[it->second];
        context.error(file, fn.name.range, "E0209", fmt::format("fn '{}' is already defined", fn.name.name),
                      fmt::format("first defined at {}", context.where(first.file, first.decl->name.range)));
        return;
    }
    if (context.registry.find(fn.name.name)) {
        context.warning(file, fn.name.range, "W0506",
                        fmt::format("fn '{}' shadows the builtin '{}'", fn.name.name, fn.name.name),
                        "calls of this name now call the fn; rename it to keep the builtin");
    }
    FnInfo info;
    info.decl = &fn;
    info.file = file;
    std::set<std::string> seen;
    for (const ast::FnParam& param : fn.params) {
        if (!seen.insert(std::string(param.name.name)).second) {
            context.error(
                file, param.name.range, "E0208",
                fmt::format("fn '{}' has two parameters named '{}'", fn.name.name, param.name.name));
        }
        info.param_types.push_back(Type::from_ast(param.type));
    }
    program.fns.push_back(std::move(info));
}

void add_stage(Context& context, const ast::Stage& stage, const ProgramFile* file) {
    CheckedProgram& program = context.program;
    auto [it, inserted] = program.stage_index.emplace(stage.name.name, program.stages.size());
    if (!inserted) {
        const StageInfo& first = program.stages[it->second];
        context.error(file, stage.name.range, "E0206",
                      fmt::format("stage '{}' is already defined", stage.name.name),
                      fmt::format("first defined at {}", context.where(first.file, first.decl->name.range)));
        return;
    }
    StageInfo info;
    info.decl = &stage;
    info.file = file;
    info.name = stage.name.name;
    program.stages.push_back(std::move(info));
}

void add_declaration(Context& context, const ast::Decl& decl, const ProgramFile* file) {
    std::visit(overloaded{
                   [&](const ast::Import&) {},
                   [&](const ast::Let& let) {
                       add_value(context, GlobalValue{ValueKind::let, std::string(let.name.name), file,
                                                      let.name.range, &let.value, std::nullopt,
                                                      let.type ? Type::from_ast(*let.type) : Type{}});
                   },
                   [&](const ast::Param& param) {
                       add_value(context, GlobalValue{ValueKind::param, std::string(param.name.name), file,
                                                      param.name.range,
                                                      param.default_value ? &*param.default_value : nullptr,
                                                      std::nullopt, Type::from_ast(param.type)});
                   },
                   [&](const ast::Secret& secret) {
                       check_secret_variable(context, secret, file);
                       add_value(context, GlobalValue{ValueKind::secret, std::string(secret.name.name), file,
                                                      secret.name.range, &secret.variable, std::nullopt,
                                                      Type::of(Type::str)});
                   },
                   [&](const ast::Fn& fn) { add_fn(context, fn, file); },
                   [&](const ast::Stage& stage) { add_stage(context, stage, file); },
               },
               decl.node);
}

} // namespace

void collect_declarations(Context& context) {
    CheckedProgram& program = context.program;
    if (!program.loaded.files.empty() && program.loaded.files[0]->ast.header) {
        const ast::Header& header = *program.loaded.files[0]->ast.header;
        program.pipeline_name = header.name;
        program.pipeline_kind = header.kind ? header.kind->name : "";
    }
    // Sized once: a table of 10,000 stages grown by doubling would hold room for 6,000 more.
    std::size_t stages = 0;
    for (const auto& file : program.loaded.files) {
        stages += std::count_if(file->ast.decls.begin(), file->ast.decls.end(), [](const ast::Decl& decl) {
            return std::holds_alternative<ast::Stage>(decl.node);
        });
    }
    program.stages.reserve(stages);
    program.stage_index.reserve(stages);
    for (const auto& file : program.loaded.files) {
        for (const ast::Decl& decl : file->ast.decls) {
            add_declaration(context, decl, file.get());
        }
    }
    context.value_used.assign(program.values.size(), false);
    context.fn_used.assign(program.fns.size(), false);
    context.fn_calls.assign(program.fns.size(), {});
    context.needs.assign(program.stages.size(), {});
}

} // namespace chain::checker
