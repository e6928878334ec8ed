// The types pass: its order, and the types of top-level values. Its walk over bodies is in names.cpp,
// expressions.cpp, calls.cpp and statements.cpp.

#include "types.hpp"
#include "passes.hpp"

#include <fmt/format.h>

namespace chain::checker {

Typer::Typer(Context& context) : context_(context), out_(context.program), registry_(context.registry) {
    value_state_.assign(out_.values.size(), 0);
    fn_stage_refs_.assign(out_.fns.size(), {});
}

void Typer::run() {
    for (std::size_t i = 0; i < out_.values.size(); ++i) {
        type_global(i);
    }
    // Artifacts are first collected without diagnostics, so that a stage may use the artifacts of a
    // stage (or fn) that comes later in the file; the second walk checks everything and reports.
    context_.quiet = true;
    for (std::size_t i = 0; i < out_.fns.size(); ++i) {
        collect_artifacts(out_.fns[i].decl->body, Owner{std::nullopt, i, out_.fns[i].file});
    }
    for (std::size_t i = 0; i < out_.stages.size(); ++i) {
        collect_artifacts(out_.stages[i].decl->body, Owner{i, std::nullopt, out_.stages[i].file});
    }
    context_.quiet = false;
    if (context_.keep_types) {
        out_.types.reserve(out_.loaded.files[0]->source->text().size() / 8);
    }
    check_fn_bodies();
    check_stage_bodies();
}

void check_types(Context& context) {
    Typer(context).run();
}

const Type& Typer::type_global(std::size_t index) {
    GlobalValue& value = out_.values[index];
    if (value_state_[index] == 2) {
        return value.type;
    }
    if (value_state_[index] == 1) {
        error(value.file, value.name_range, "E0221",
              fmt::format("the value of {} '{}' depends on itself", value_kind_name(value.kind), value.name));
        value.type = Type{};
        return value.type;
    }
    value_state_[index] = 1;
    const ast::Expr* expr = value.value;
    if (value.kind == ValueKind::let) {
        Scope scope;
        Owner owner{std::nullopt, std::nullopt, value.file};
        Type actual = type_of(*expr, scope, owner, &value.type);
        if (value.type.kind != Type::unknown) {
            expect(actual, value.type, value.file, expr->range, fmt::format("let '{}'", value.name));
        } else {
            no_value_check(actual, *expr, value.name, value.file);
            value.type = actual;
        }
    } else if (value.kind == ValueKind::param && expr) {
        Scope scope;
        Owner owner{std::nullopt, std::nullopt, value.file};
        Type actual = type_of(*expr, scope, owner, &value.type);
        expect(actual, value.type, value.file, expr->range,
               fmt::format("the default of param '{}'", value.name));
    }
    value_state_[index] = 2;
    return value.type;
}

/// A let without a type, of a call that only does something (sh, publish, a fn's steps), would bind
/// nothing.
void Typer::no_value_check(const Type& type, const ast::Expr& value, const std::string& name,
                           const ProgramFile* file) {
    const auto* call = std::get_if<ast::Call>(&value.node);
    if (type.kind == Type::none && call) {
        // The REPL binds a typed expression to a name no one can write: it is not named then.
        std::string bound =
            name.starts_with('(') ? "" : fmt::format(", so let '{}' would hold nothing", name);
        error(file, value.range, "E0312",
              fmt::format("'{}' gives no value{}: it is a step, to be called in a stage on its own",
                          call->callee.name, bound));
    }
}

bool Typer::expect(const Type& actual, const Type& expected, const ProgramFile* file, SourceRange range,
                   const std::string& what) {
    if (fits_words(actual, expected)) {
        return true;
    }
    error(file, range, "E0301",
          fmt::format("{} expects {}, found {}", what, to_string(expected), to_string(actual)));
    return false;
}

} // namespace chain::checker
