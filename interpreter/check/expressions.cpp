// Expressions: the type of every expression, and the errors of literals, strings, lists, records and
// operators.

#include "hints.hpp"
#include "types.hpp"

#include <fmt/format.h>

#include <set>

namespace chain::checker {

namespace {

/// The text of `range` as written in `file`.
std::string_view source_text(const ProgramFile* file, SourceRange range) {
    if (!file || !file->source) {
        return {};
    }
    return std::string_view(file->source->text()).substr(range.begin, range.end - range.begin);
}

/// Items that may stand together in a list of command-line words: a str and an artifact, which stands
/// for its path. The list is then a `list<str>`.
bool are_words(const Type& a, const Type& b) {
    return (a.kind == Type::str && b.kind == Type::artifact) ||
           (a.kind == Type::artifact && b.kind == Type::str);
}

/// True for what `${...}` can put into a string: a value with a text form, or a list of such values (one
/// word each in a sh("...") string).
bool interpolates(const Type& type) {
    return has_text_form(type) || (type.kind == Type::list && has_text_form(type.element_type()));
}

/// What to write instead of `${...}` of a value that has no text form.
std::string instead_of_interpolating(const Type& type) {
    switch (type.kind) {
    case Type::list:
        return "a list is put in one word per item, and its items must have a text form (str, int, bool, "
               "duration, percent or an artifact)";
    case Type::target:
        return "give its location a name (let where = \"...\") and use it both to make the target and "
               "in ${where}";
    case Type::record:
        return "put in the values it holds, each with its own ${...}";
    case Type::cond:
        return "use it in 'when'; ${ref()} puts in the branch or tag name";
    case Type::none:
        return "it is a step, to be called in a stage on its own";
    default:
        return "";
    }
}

} // namespace

/// `fits`, and a list of artifacts where a list of words (`list<str>`) is wanted: the one place a value
/// stands for another type, so that `sh(["ls"] + test.report)` and `sh(test.report)` read alike.
bool fits_words(const Type& actual, const Type& expected) {
    return fits(actual, expected) ||
           (actual.kind == Type::list && expected.kind == Type::list &&
            actual.element_type().kind == Type::artifact && expected.element_type().kind == Type::str);
}

bool is_condition(const Type& type) {
    return type.kind == Type::cond || type.kind == Type::bool_ || type.kind == Type::unknown;
}

Type Typer::type_of(const ast::Expr& expr, Scope& scope, const Owner& owner, const Type* expected) {
    Type type = compute_type(expr, scope, owner, expected);
    record_type(expr, type);
    return type;
}

Type Typer::compute_type(const ast::Expr& expr, Scope& scope, const Owner& owner, const Type* expected) {
    const ProgramFile* file = owner.file;
    return std::visit(
        overloaded{
            [&](const ast::StringLit& s) { return type_of_string(s, scope, owner); },
            [&](const ast::IntLit&) { return Type::of(Type::int_); },
            [&](const ast::BoolLit&) { return Type::of(Type::bool_); },
            [&](const ast::DurationLit&) { return Type::of(Type::duration); },
            [&](const ast::PercentLit& p) {
                if (p.value > 100) {
                    error(file, expr.range, "E0310", fmt::format("{} is more than 100%", p.text));
                }
                return Type::of(Type::percent);
            },
            [&](const ast::DecimalLit& d) {
                error(file, expr.range, "E0314", fraction_message, fraction_hint(d.text, expected));
                return Type{}; // said once here; the place it stands in says nothing more of it
            },
            [&](const ast::RefPattern&) { return Type::of(Type::cond); },
            [&](const ast::Name& name) { return type_of_name(name.ident, scope, owner); },
            [&](const ast::Member& member) { return type_of_member(member, expr.range, owner); },
            [&](const ast::Call& call) { return check_call(call, expr.range, scope, owner, false); },
            [&](const ast::ListExpr& list) { return type_of_list(list, scope, owner, expected); },
            [&](const ast::RecordExpr& record) { return type_of_record(record, scope, owner); },
            [&](const ast::Infix& infix) { return type_of_infix(infix, scope, owner); },
            [&](const ast::Not& negation) { return type_of_not(negation, scope, owner); },
        },
        expr.node);
}

Type Typer::type_of_string(const ast::StringLit& string, Scope& scope, const Owner& owner) {
    for (const ast::StringPart& part : string.parts) {
        if (const auto* inner = std::get_if<ast::Box<ast::Expr>>(&part)) {
            Type part_type = type_of(**inner, scope, owner);
            if (!interpolates(part_type)) {
                error(owner.file, (*inner)->range, "E0305",
                      part_type.kind == Type::none
                          ? std::string("this gives no value to put into a string")
                          : fmt::format("{} cannot be put into a string", with_article(part_type)),
                      instead_of_interpolating(part_type));
            }
        }
    }
    return Type::of(Type::str);
}

Type Typer::type_of_list(const ast::ListExpr& list, Scope& scope, const Owner& owner, const Type* expected) {
    const ProgramFile* file = owner.file;
    Type element;
    const Type* expected_item =
        expected && expected->kind == Type::list ? &expected->element_type() : nullptr;
    for (const ast::Expr& item : list.items) {
        Type item_type = type_of(item, scope, owner, expected_item);
        if (element.kind == Type::unknown) {
            element = item_type;
        } else if (!fits(item_type, element)) {
            if (fits(element, item_type)) {
                element = item_type; // artifact<wheel> then artifact<wheel|sdist>: widen
            } else if (are_words(element, item_type)) {
                element = Type::of(Type::str); // ["ls", wheel]: words of a command line
            } else if (item_type.kind != Type::unknown) {
                bool nested = item_type.kind == Type::list && (fits(item_type.element_type(), element) ||
                                                               are_words(item_type.element_type(), element));
                error(file, item.range, "E0308",
                      fmt::format("the items of a list have one type: this is {}, the first is {}",
                                  to_string(item_type), to_string(element)),
                      nested ? fmt::format("to add the items of a list, join the lists with +: [...] + {}",
                                           source_text(file, item.range))
                             : "");
            }
        }
    }
    return Type::list_of(element);
}

Type Typer::type_of_record(const ast::RecordExpr& record, Scope& scope, const Owner& owner) {
    std::set<std::string> keys;
    for (const ast::RecordEntry& entry : record.entries) {
        if (!keys.insert(std::string(entry.key.name)).second) {
            error(owner.file, entry.key.range, "E0222",
                  fmt::format("the key '{}' is already in this record", entry.key.name));
        }
        type_of(*entry.value, scope, owner);
    }
    return Type::of(Type::record);
}

Type Typer::type_of_not(const ast::Not& negation, Scope& scope, const Owner& owner) {
    Type operand = type_of(*negation.operand, scope, owner);
    if (!is_condition(operand)) {
        error(owner.file, negation.operand->range, "E0307",
              fmt::format("'not' needs a cond or bool, found {}", to_string(operand)));
        return Type::of(Type::cond);
    }
    return operand.kind == Type::unknown ? Type::of(Type::cond) : operand;
}

/// The type of an operator chain, left to right as its operators associate.
Type Typer::type_of_infix(const ast::Infix& infix, Scope& scope, const Owner& owner) {
    const ProgramFile* file = owner.file;
    static constexpr const char* op_names[] = {"or", "|", "and", "==", "!=", "+"};
    const std::vector<ast::Expr>& operands = infix.operands;
    switch (infix.ops.front()) {
    case ast::BinaryOp::or_:
    case ast::BinaryOp::pipe:
    case ast::BinaryOp::and_: {
        bool all_bool = true;
        for (std::size_t i = 0; i < operands.size(); ++i) {
            Type type = type_of(operands[i], scope, owner);
            if (!is_condition(type)) {
                const char* op = op_names[static_cast<int>(infix.ops[i == 0 ? 0 : i - 1])];
                error(file, operands[i].range, "E0307",
                      fmt::format("'{}' joins conditions (cond or bool), found {}", op, to_string(type)),
                      type.kind == Type::str ? "compare strings with ==, like ref() == \"develop\"" : "");
            }
            all_bool = all_bool && type.kind == Type::bool_;
        }
        return all_bool ? Type::of(Type::bool_) : Type::of(Type::cond);
    }
    case ast::BinaryOp::equal:
    case ast::BinaryOp::not_equal: {
        Type lhs = type_of(operands[0], scope, owner);
        Type rhs = type_of(operands[1], scope, owner);
        if (!fits(lhs, rhs) && !fits(rhs, lhs)) {
            error(file, SourceRange{operands[0].range.begin, operands[1].range.end}, "E0307",
                  fmt::format("'{}' compares two values of one type, found {} and {}",
                              op_names[static_cast<int>(infix.ops.front())], to_string(lhs), to_string(rhs)));
        }
        return Type::of(Type::bool_);
    }
    case ast::BinaryOp::plus: {
        Type sum = type_of(operands[0], scope, owner);
        for (std::size_t i = 1; i < operands.size(); ++i) {
            sum = type_of_plus(sum, type_of(operands[i], scope, owner),
                               SourceRange{operands[0].range.begin, operands[i].range.end}, file);
        }
        return sum;
    }
    }
    return Type{};
}

Type Typer::type_of_plus(const Type& lhs, const Type& rhs, SourceRange range, const ProgramFile* file) {
    if (lhs.kind == Type::unknown || rhs.kind == Type::unknown) {
        return lhs.kind == Type::unknown ? rhs : lhs;
    }
    if (lhs.kind == Type::str && rhs.kind == Type::str) {
        return lhs;
    }
    if (lhs.kind == Type::list && rhs.kind == Type::list && (fits(lhs, rhs) || fits(rhs, lhs))) {
        return fits(lhs, rhs) ? rhs : lhs;
    }
    if (lhs.kind == Type::list && rhs.kind == Type::list &&
        are_words(lhs.element_type(), rhs.element_type())) {
        return Type::list_of(Type::of(Type::str)); // ["ls"] + test.report: words of a command line
    }
    error(file, range, "E0307",
          fmt::format("'+' joins two str or two lists of one type, found {} and {}", to_string(lhs),
                      to_string(rhs)),
          lhs.kind == Type::str || rhs.kind == Type::str ? "put other values into a string with \"${...}\""
                                                         : "");
    return Type{};
}

} // namespace chain::checker
