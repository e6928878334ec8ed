// The values of params given on the command line (`-p NAME=VALUE`), each checked against its param's type.

#include "hints.hpp"
#include "interpreter/edit_distance.hpp"
#include "passes.hpp"

#include "grammar/parser.hpp"

#include <fmt/format.h>

#include <memory>

namespace chain::checker {

namespace {

/// The first number with a fraction in a value written on the command line (`[3.11, 3.12]`).
const ast::Expr* first_fraction(const ast::Expr& expr) {
    if (std::holds_alternative<ast::DecimalLit>(expr.node)) {
        return &expr;
    }
    if (const auto* list = std::get_if<ast::ListExpr>(&expr.node)) {
        for (const ast::Expr& item : list->items) {
            if (const ast::Expr* found = first_fraction(item)) {
                return found;
            }
        }
    }
    return nullptr;
}

/// The type of a constant written on the command line; unknown for anything that is not a literal.
Type literal_type(const ast::Expr& expr) {
    return std::visit(overloaded{
                          [](const ast::StringLit& s) {
                              for (const ast::StringPart& part : s.parts) {
                                  if (std::holds_alternative<ast::Box<ast::Expr>>(part)) {
                                      return Type{};
                                  }
                              }
                              return Type::of(Type::str);
                          },
                          [](const ast::IntLit&) { return Type::of(Type::int_); },
                          [](const ast::BoolLit&) { return Type::of(Type::bool_); },
                          [](const ast::DurationLit&) { return Type::of(Type::duration); },
                          [](const ast::PercentLit&) { return Type::of(Type::percent); },
                          [](const ast::RefPattern&) { return Type::of(Type::cond); },
                          [](const ast::ListExpr& list) {
                              Type element;
                              for (const ast::Expr& item : list.items) {
                                  Type item_type = literal_type(item);
                                  if (item_type.kind == Type::unknown ||
                                      (element.kind != Type::unknown && !fits(item_type, element))) {
                                      return Type{};
                                  }
                                  element = item_type;
                              }
                              return Type::list_of(element);
                          },
                          [](const auto&) { return Type{}; },
                      },
                      expr.node);
}

/// Gives `param` the value written after the '=' of `setting`, when it is a literal of the param's type.
void set_param_value(Context& context, GlobalValue& param, const std::string& setting, std::size_t equals) {
    const std::string& name = param.name;
    std::string text = setting.substr(equals + 1);
    auto value_range =
        SourceRange{static_cast<std::uint32_t>(equals + 1), static_cast<std::uint32_t>(setting.size())};
    if (param.type.kind == Type::str) {
        // A str param takes the text as it is, so that nobody has to quote it twice in a shell.
        param.given = ast::Expr{ast::StringLit{{text}}, value_range};
        return;
    }
    auto value_source = std::make_shared<SourceFile>("-p", setting);
    ExpressionResult parsed = parse_expression(std::make_shared<SourceFile>("-p " + name, text));
    if (!parsed.expr) {
        for (Diagnostic& diagnostic : parsed.diagnostics) {
            diagnostic.code = "E0309";
            diagnostic.message = fmt::format("the value of param '{}' is not a {}: {}", name,
                                             to_string(param.type), diagnostic.message);
            context.diagnostics.push_back(std::move(diagnostic));
        }
        return;
    }
    if (const ast::Expr* fraction = first_fraction(*parsed.expr)) {
        SourceRange at{value_range.begin + fraction->range.begin, value_range.begin + fraction->range.end};
        context.diagnostics.push_back(
            Diagnostic{value_source, at, Severity::error, "E0314",
                       fmt::format("the value of param '{}' is not a {}: {}", name, to_string(param.type),
                                   fraction_message),
                       fraction_hint(std::get<ast::DecimalLit>(fraction->node).text, &param.type)});
        return;
    }
    Type given = literal_type(*parsed.expr);
    if (given.kind == Type::unknown || !fits(given, param.type)) {
        context.diagnostics.push_back(Diagnostic{
            value_source, value_range, Severity::error, "E0309",
            fmt::format("param '{}' is a {}, but the value given is {}", name, to_string(param.type),
                        given.kind == Type::unknown ? "not a literal" : "a " + to_string(given)),
            param.type.kind == Type::list ? "a list is written [\"a\", \"b\"]" : ""});
        return;
    }
    param.given = std::move(*parsed.expr);
}

void apply_param_setting(Context& context, const std::string& setting) {
    CheckedProgram& program = context.program;
    auto source = std::make_shared<SourceFile>("-p", setting);
    std::size_t equals = setting.find('=');
    std::string name = setting.substr(0, equals);
    auto name_range = SourceRange{0, static_cast<std::uint32_t>(name.size())};
    if (equals == std::string::npos || name.empty()) {
        context.diagnostics.push_back(Diagnostic{source,
                                                 {0, static_cast<std::uint32_t>(setting.size())},
                                                 Severity::error,
                                                 "E0211",
                                                 "expected -p NAME=VALUE",
                                                 ""});
        return;
    }
    auto it = program.value_index.find(name);
    if (it == program.value_index.end() || program.values[it->second].kind != ValueKind::param) {
        std::vector<std::string_view> params;
        for (const GlobalValue& value : program.values) {
            if (value.kind == ValueKind::param) {
                params.push_back(value.name);
            }
        }
        context.diagnostics.push_back(Diagnostic{source, name_range, Severity::error, "E0211",
                                                 fmt::format("no param '{}' is declared", name),
                                                 did_you_mean(closest_name(name, params))});
        return;
    }
    set_param_value(context, program.values[it->second], setting, equals);
}

} // namespace

// The diagnostics of a setting go straight into the list, not through Context::report: they have a source
// of their own (the setting), and no pass is quiet yet.
void apply_param_settings(Context& context, const std::vector<std::string>& settings) {
    for (const std::string& setting : settings) {
        apply_param_setting(context, setting);
    }
}

} // namespace chain::checker
