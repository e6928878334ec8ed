#include "conditions.hpp"

#include "program.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

namespace chain::conditions {

namespace {

Tri tri_not(Tri a) { return a == Tri::maybe ? Tri::maybe : a == Tri::yes ? Tri::no : Tri::yes; }
Tri tri_and(Tri a, Tri b) {
    if (a == Tri::no || b == Tri::no) {
        return Tri::no;
    }
    return a == Tri::yes && b == Tri::yes ? Tri::yes : Tri::maybe;
}
Tri tri_or(Tri a, Tri b) { return tri_not(tri_and(tri_not(a), tri_not(b))); }
Tri tri_of(bool value) { return value ? Tri::yes : Tri::no; }

/// The expression a top-level value stands for: its -p value, else as written; none for a secret.
const ast::Expr* definition_expr(const GlobalValue& value) {
    if (value.kind == ValueKind::secret) {
        return nullptr;
    }
    return value.given ? &*value.given : value.value;
}

bool is_ref_call(const ast::Expr& expr) {
    const auto* call = std::get_if<ast::Call>(&expr.node);
    return call && call->callee.name == "ref" && call->args.empty();
}

/// The text of an operand met at `depth`, when it is known there (ref() is the ref's name).
std::optional<std::string> known_text(const Operand& operand, const refs::Ref& ref, std::size_t depth,
                                      std::size_t limit) {
    if (operand.kind == Operand::Kind::unknown || depth + operand.hops > limit) {
        return std::nullopt;
    }
    return operand.kind == Operand::Kind::ref ? ref.name : operand.text;
}

Tri evaluate_at(const Formula& node, const refs::Ref& ref, const Values& values, std::size_t depth) {
    if (depth > values.depth_limit) {
        return Tri::maybe;
    }
    auto known = [&]() -> std::optional<bool> { return values.of ? values.of(node) : std::nullopt; };
    switch (node.kind) {
    case Formula::Kind::constant: return tri_of(node.constant);
    case Formula::Kind::pattern: return tri_of(refs::matches(*node.pattern, ref));
    case Formula::Kind::value: {
        if (auto value = known()) {
            return tri_of(*value);
        }
        return node.definition ? evaluate_at(*node.definition, ref, values, depth + 1) : Tri::maybe;
    }
    case Formula::Kind::negation: return tri_not(evaluate_at(*node.parts.front(), ref, values, depth + 1));
    case Formula::Kind::all:
    case Formula::Kind::any: {
        // Every part is evaluated, as a phase's values may have effects (a secret found missing).
        Tri result = evaluate_at(*node.parts.front(), ref, values, depth + 1);
        for (std::size_t i = 1; i < node.parts.size(); ++i) {
            Tri next = evaluate_at(*node.parts[i], ref, values, depth + 1);
            result = node.kind == Formula::Kind::all ? tri_and(result, next) : tri_or(result, next);
        }
        return result;
    }
    case Formula::Kind::comparison: {
        if (auto value = known()) {
            return tri_of(*value);
        }
        auto lhs = known_text(node.texts[0], ref, depth + 1, values.depth_limit);
        auto rhs = known_text(node.texts[1], ref, depth + 1, values.depth_limit);
        if (!lhs || !rhs) {
            return Tri::maybe;
        }
        return tri_of((*lhs == *rhs) == node.equal);
    }
    case Formula::Kind::other: {
        auto value = known();
        return value ? tri_of(*value) : Tri::maybe;
    }
    }
    return Tri::maybe;
}

// The witness search grows fast with the number of globs: a condition that names more than this many
// (a chain of thousands of patterns) is not judged, so it neither warns nor makes a need an error.
constexpr std::size_t max_condition_globs = 64;

void add_glob(std::vector<refs::RefGlob>& globs, refs::RefGlob glob) {
    if (std::find(globs.begin(), globs.end(), glob) == globs.end()) {
        globs.push_back(std::move(glob));
    }
}

/// The globs a condition's ref patterns stand for, and the names it compares the ref with (globs without
/// wildcards: each such name gets a witness of its own).
void collect_globs(const Formula& node, std::vector<refs::RefGlob>& globs, std::size_t depth) {
    if (depth > let_depth_limit || globs.size() > max_condition_globs) {
        return;
    }
    switch (node.kind) {
    case Formula::Kind::pattern:
        for (refs::RefGlob& glob : refs::globs_of(*node.pattern)) {
            add_glob(globs, std::move(glob));
        }
        return;
    case Formula::Kind::value:
        if (node.definition) {
            collect_globs(*node.definition, globs, depth + 1);
        }
        return;
    default: break;
    }
    for (const Formula* part : node.parts) {
        collect_globs(*part, globs, depth + 1);
    }
    for (const Operand& operand : node.texts) {
        if (auto text = known_text(operand, refs::Ref{}, depth + 1, let_depth_limit); text && !text->empty()) {
            add_glob(globs, refs::RefGlob{false, *text});
        }
    }
}

void explain_into(const Formula& node, const refs::Ref& ref, const Values& values, std::size_t depth,
                  std::vector<std::string>& lines) {
    std::string indent(depth * 2, ' ');
    switch (node.kind) {
    case Formula::Kind::pattern:
        lines.push_back(fmt::format("{}{} {} {}", indent, source_text(node),
                                    refs::matches(*node.pattern, ref) ? "matches" : "does not match",
                                    ref.is_tag ? "tag '" + ref.name + "'" : "'" + ref.name + "'"));
        return;
    case Formula::Kind::value: {
        if (!node.value || node.value->kind == ValueKind::secret) {
            return;
        }
        if (!node.definition) {
            lines.push_back(fmt::format("{}{} has no value  ->  false", indent, node.name));
            return;
        }
        bool given = node.value->given.has_value();
        const char* result = evaluate_at(node, ref, values, 0) == Tri::yes ? "true" : "false";
        lines.push_back(fmt::format("{}{} = {}{}  ->  {}", indent, node.name, given ? "(from -p) " : "",
                                    given ? std::string_view(result) : source_text(*node.definition), result));
        if (!given) {
            explain_into(*node.definition, ref, values, depth + 1, lines);
        }
        return;
    }
    case Formula::Kind::negation: explain_into(*node.parts.front(), ref, values, depth, lines); return;
    case Formula::Kind::comparison:
        lines.push_back(fmt::format("{}{}  ->  {}", indent, source_text(node),
                                    evaluate_at(node, ref, values, 0) == Tri::yes ? "true" : "false"));
        return;
    case Formula::Kind::all:
    case Formula::Kind::any:
        for (const Formula* part : node.parts) {
            explain_into(*part, ref, values, depth, lines);
        }
        return;
    default: return;
    }
}

} // namespace

// ---- building ----------------------------------------------------------------------------------------------

Formula& Conditions::new_node() {
    if (building_passing_) {
        if (passing_used_ == passing_.size()) {
            passing_.push_back(std::make_unique<Formula>());
        }
        Formula& node = *passing_[passing_used_++];
        node = Formula{};
        return node;
    }
    constexpr std::size_t chunk_size = 256;
    if (chunks_.empty() || used_in_last_ == chunk_size) {
        chunks_.push_back(std::make_unique<Formula[]>(chunk_size));
        used_in_last_ = 0;
    }
    return chunks_.back()[used_in_last_++];
}

const Formula* Conditions::build(const ast::Expr& condition, const ProgramFile* file, const CheckedProgram& program) {
    // The formula is a function of the text alone: names in a condition are top-level values, the same for
    // every stage, and equal texts parse alike.
    std::string_view text = std::string_view(file->source->text()).substr(condition.range.begin,
                                                                          condition.range.end - condition.range.begin);
    auto [it, added] = written_.try_emplace({file, text}, nullptr);
    if (added) {
        it->second = build_node(condition, file, program);
    }
    return it->second;
}

const Formula* Conditions::build_node(const ast::Expr& expr, const ProgramFile* file, const CheckedProgram& program) {
    Formula& node = new_node();
    fill(node, expr, file, program);
    return &node;
}

const Formula* Conditions::build_passing(const ast::Expr& condition, const ProgramFile* file,
                                         const CheckedProgram& program) {
    passing_used_ = 0;
    building_passing_ = true;
    const Formula* formula = build_node(condition, file, program);
    building_passing_ = false;
    return formula;
}

void Conditions::fill(Formula& node, const ast::Expr& expr, const ProgramFile* file, const CheckedProgram& program) {
    node.expr = &expr;
    node.file = file;
    node.range = expr.range;
    auto child = [&](const ast::Expr& operand) { return build_node(operand, file, program); };
    std::visit(overloaded{
                   [&](const ast::RefPattern& pattern) {
                       node.kind = Formula::Kind::pattern;
                       node.pattern = &pattern;
                   },
                   [&](const ast::BoolLit& literal) {
                       node.kind = Formula::Kind::constant;
                       node.constant = literal.value;
                   },
                   [&](const ast::Name& name) {
                       node.kind = Formula::Kind::value;
                       node.name = name.ident.name;
                       node.value = program.find_value(name.ident.name);
                       if (node.value && definition_expr(*node.value)) {
                           node.definition = definition_of(*node.value, program);
                       }
                   },
                   [&](const ast::Not& negation) {
                       node.kind = Formula::Kind::negation;
                       node.parts.push_back(child(*negation.operand));
                   },
                   [&](const ast::Infix& infix) {
                       switch (infix.ops.front()) {
                       case ast::BinaryOp::and_: node.kind = Formula::Kind::all; break;
                       case ast::BinaryOp::or_:
                       case ast::BinaryOp::pipe: node.kind = Formula::Kind::any; break;
                       case ast::BinaryOp::equal:
                       case ast::BinaryOp::not_equal:
                           node.kind = Formula::Kind::comparison;
                           node.equal = infix.ops.front() == ast::BinaryOp::equal;
                           break;
                       case ast::BinaryOp::plus: node.kind = Formula::Kind::other; break;
                       }
                       bool comparison = node.kind == Formula::Kind::comparison;
                       node.parts.reserve(infix.operands.size());
                       for (const ast::Expr& operand : infix.operands) {
                           node.parts.push_back(child(operand));
                           // Only a comparison reads both sides; elsewhere a known text only names a ref.
                           if (Operand text = operand_of(operand, program);
                               comparison || text.kind != Operand::Kind::unknown) {
                               node.texts.push_back(std::move(text));
                           }
                       }
                   },
                   [&](const auto&) { node.kind = Formula::Kind::other; },
               },
               expr.node);
}

const Formula* Conditions::definition_of(const GlobalValue& value, const CheckedProgram& program) {
    if (auto it = definitions_.find(&value); it != definitions_.end()) {
        return it->second;
    }
    // Registered before it is filled: a let that names itself (an error of its own) points at its own node.
    bool passing = std::exchange(building_passing_, false);
    Formula& node = new_node();
    definitions_.emplace(&value, &node);
    fill(node, *definition_expr(value), value.file, program);
    building_passing_ = passing;
    return &node;
}

Operand Conditions::operand_of(const ast::Expr& expr, const CheckedProgram& program) const {
    Operand operand;
    operand.calls_ref = is_ref_call(expr);
    operand.written_text = ast::literal_text(expr);
    const ast::Expr* at = &expr;
    for (std::size_t hops = 0; hops <= let_depth_limit; ++hops) {
        if (const auto* literal = std::get_if<ast::StringLit>(&at->node)) {
            std::string text;
            for (const ast::StringPart& part : literal->parts) {
                const auto* piece = std::get_if<std::string>(&part);
                if (!piece) {
                    return operand;
                }
                text += *piece;
            }
            operand.kind = Operand::Kind::text;
            operand.text = std::move(text);
            operand.hops = hops;
            return operand;
        }
        if (is_ref_call(*at) && !program.find_fn("ref")) {
            operand.kind = Operand::Kind::ref;
            operand.hops = hops;
            return operand;
        }
        const auto* name = std::get_if<ast::Name>(&at->node);
        const GlobalValue* value = name ? program.find_value(name->ident.name) : nullptr;
        at = value ? definition_expr(*value) : nullptr;
        if (!at) {
            return operand;
        }
    }
    return operand;
}

void Conditions::find_witnesses(const std::vector<const Formula*>& formulas) {
    std::vector<refs::RefGlob> globs;
    for (const Formula* formula : formulas) {
        std::vector<refs::RefGlob> own;
        collect_globs(*formula, own, 0);
        if (own.size() > max_condition_globs) {
            unjudged_.push_back(formula);
            continue;
        }
        for (refs::RefGlob& glob : own) {
            add_glob(globs, std::move(glob));
        }
    }
    witnesses_ = refs::witnesses(globs);
}

bool Conditions::judged(const Formula* formula) const {
    return std::find(unjudged_.begin(), unjudged_.end(), formula) == unjudged_.end();
}

// ---- reading -----------------------------------------------------------------------------------------------

Tri evaluate(const Formula& formula, const refs::Ref& ref, const Values& values) {
    return evaluate_at(formula, ref, values, 0);
}

bool holds(const Formula& formula, const refs::Ref& ref, const Values& values) {
    return evaluate(formula, ref, values) == Tri::yes;
}

Truths::Truths(const Formula* formula, bool judged, const std::vector<refs::Ref>& refs, const Values& values) {
    for (const refs::Ref& ref : refs) {
        on_.push_back(!judged ? Tri::maybe : formula ? evaluate(*formula, ref, values) : Tri::yes);
    }
}

bool Truths::never() const {
    return std::all_of(on_.begin(), on_.end(), [](Tri t) { return t == Tri::no; });
}

std::vector<std::string> explain(const Formula& formula, const refs::Ref& ref, const Values& values) {
    bool runs = holds(formula, ref, values);
    std::vector<std::string> lines{fmt::format("when {}  ->  {}", source_text(formula), runs ? "runs" : "does not run")};
    explain_into(formula, ref, values, 1, lines);
    return lines;
}

const Formula* matching_pattern(const Formula& formula, const refs::Ref& ref) {
    switch (formula.kind) {
    case Formula::Kind::pattern: return refs::matches(*formula.pattern, ref) ? &formula : nullptr;
    case Formula::Kind::all:
    case Formula::Kind::any:
        for (const Formula* part : formula.parts) {
            if (const Formula* found = matching_pattern(*part, ref)) {
                return found;
            }
        }
        return nullptr;
    case Formula::Kind::value:
        // A value from -p is shown as a value, not as the patterns of its default.
        if (formula.definition && !formula.value->given) {
            return matching_pattern(*formula.definition, ref);
        }
        return nullptr;
    default: return nullptr;
    }
}

std::string_view source_text(const Formula& formula) {
    return std::string_view(formula.file->source->text()).substr(formula.range.begin, formula.range.end - formula.range.begin);
}

} // namespace chain::conditions
