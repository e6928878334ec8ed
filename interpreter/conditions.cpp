#include "conditions.hpp"

#include "program.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>

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

// ---- the engines ---------------------------------------------------------------------------------------------

/// A condition over what the engines can test of a ref, negations pushed down to the tests.
struct Test {
    enum Kind { constant, atom, all, any, negation } kind = constant;
    bool value = true; // constant
    // atom: the ref is a branch (or tag) whose name matches `glob`; or, for `ref() == "x"`, is named x.
    enum Subject { branch, tag, ref_name } subject = branch;
    std::string glob;
    bool negated = false;
    std::vector<Test> parts;

    static Test of(bool value) { return Test{constant, value, branch, "", false, {}}; }
    static Test match(Subject subject, std::string glob) { return Test{atom, true, subject, std::move(glob), false, {}}; }
};

/// Pushes negations down to the atoms (De Morgan) and folds constants.
Test normalized(const Test& test, bool negate = false) {
    switch (test.kind) {
    case Test::constant: return Test::of(test.value != negate);
    case Test::atom: {
        Test copy = test;
        copy.negated = test.negated != negate;
        return copy;
    }
    case Test::negation: return normalized(test.parts.front(), !negate);
    case Test::all:
    case Test::any: {
        bool conjunction = (test.kind == Test::all) != negate;
        Test result{conjunction ? Test::all : Test::any, true, Test::branch, "", false, {}};
        for (const Test& part : test.parts) {
            Test inner = normalized(part, negate);
            if (inner.kind == Test::constant) {
                if (inner.value != conjunction) {
                    return Test::of(!conjunction); // false in an all, true in an any decides it
                }
                continue;
            }
            if (inner.kind == result.kind) { // a | (b | c) is a | b | c
                result.parts.insert(result.parts.end(), inner.parts.begin(), inner.parts.end());
            } else {
                result.parts.push_back(std::move(inner));
            }
        }
        if (result.parts.empty()) {
            return Test::of(conjunction);
        }
        return result.parts.size() == 1 ? result.parts.front() : result;
    }
    }
    return test;
}

Test pattern_test(const ast::RefPattern& pattern) {
    switch (pattern.kind) {
    case ast::RefKind::develop: return Test::match(Test::branch, "develop");
    case ast::RefKind::main: return Test::match(Test::branch, "main");
    case ast::RefKind::master:
        return Test{Test::any, true, Test::branch, "", false,
                    {Test::match(Test::branch, "master"), Test::match(Test::branch, "main")}};
    case ast::RefKind::feature: return Test::match(Test::branch, "feature/" + pattern.glob);
    case ast::RefKind::release: return Test::match(Test::branch, "release/" + pattern.glob);
    case ast::RefKind::hotfix: return Test::match(Test::branch, "hotfix/" + pattern.glob);
    case ast::RefKind::support: return Test::match(Test::branch, "support/" + pattern.glob);
    case ast::RefKind::branch: return Test::match(Test::branch, pattern.glob);
    case ast::RefKind::tag: return Test::match(Test::tag, pattern.glob);
    }
    return Test::of(false);
}

/// The test of a condition, or why an engine cannot test it.
std::optional<Test> engine_test(const Formula& node, const Values& values, std::string& why, std::size_t depth) {
    if (depth > values.depth_limit) {
        why = "its lets nest too deep";
        return std::nullopt;
    }
    switch (node.kind) {
    case Formula::Kind::pattern: return pattern_test(*node.pattern);
    case Formula::Kind::constant: return Test::of(node.constant);
    case Formula::Kind::value: {
        if (!node.value) {
            why = fmt::format("'{}' is not a top-level value", node.name);
            return std::nullopt;
        }
        if (auto known = values.of ? values.of(node) : std::nullopt) {
            return Test::of(*known);
        }
        if (!node.definition) {
            why = fmt::format("'{}' has no value", node.name);
            return std::nullopt;
        }
        return engine_test(*node.definition, values, why, depth + 1);
    }
    case Formula::Kind::negation: {
        auto inner = engine_test(*node.parts.front(), values, why, depth + 1);
        return inner ? std::optional(Test{Test::negation, true, Test::branch, "", false, {*inner}}) : std::nullopt;
    }
    case Formula::Kind::comparison: {
        const Operand& lhs = node.texts[0];
        const Operand& rhs = node.texts[1];
        const std::optional<std::string>& name =
            lhs.calls_ref ? rhs.written_text : rhs.calls_ref ? lhs.written_text : std::nullopt;
        if (!name) {
            why = "only ref() == \"NAME\" can be compared in a condition an engine tests";
            return std::nullopt;
        }
        Test test = Test::match(Test::ref_name, *name);
        test.negated = !node.equal;
        return test;
    }
    case Formula::Kind::all:
    case Formula::Kind::any: {
        Test test{node.kind == Formula::Kind::all ? Test::all : Test::any, true, Test::branch, "", false, {}};
        for (const Formula* part : node.parts) {
            auto read = engine_test(*part, values, why, depth + 1);
            if (!read) {
                return std::nullopt;
            }
            test.parts.push_back(std::move(*read));
        }
        return test;
    }
    case Formula::Kind::other: break;
    }
    why = "it is not made of ref patterns, bool values, and, or and not";
    return std::nullopt;
}

bool has_wildcard(const std::string& glob) { return glob.find_first_of("*?") != std::string::npos; }

/// A ref pattern with a control character matches no ref (git refuses them in names); it is refused
/// rather than written into an expression.
bool matchable(const std::string& glob, std::string& why) {
    if (glob.find("${{") != std::string::npos) {
        why = fmt::format("the ref pattern {} has '${{{{', which GitHub would evaluate", nlohmann::json(glob).dump());
        return false;
    }
    for (char c : glob) {
        if ((c >= 0 && c < 0x20) || c == 0x7f) {
            why = fmt::format("the ref pattern {} has a control character, which no git ref name has",
                              nlohmann::json(glob).dump());
            return false;
        }
    }
    return true;
}

std::string gitlab_regex(const std::string& glob) {
    std::string out = "/^";
    for (char c : glob) {
        if (c == '*') {
            out += ".*";
        } else if (c == '?') {
            out += ".";
        } else if (std::string_view("\\.+()[]{}^$|/").find(c) != std::string_view::npos) {
            out += std::string("\\") + c;
        } else {
            out += c;
        }
    }
    return out + "$/";
}

/// A string in a GitLab expression: its literals have no escapes, so a quote the text lacks delimits it.
std::optional<std::string> gitlab_string(const std::string& text, std::string& why) {
    if (text.find('"') == std::string::npos) {
        return "\"" + text + "\"";
    }
    if (text.find('\'') == std::string::npos) {
        return "'" + text + "'";
    }
    why = fmt::format("GitLab's expressions cannot hold the name {}, which has both kinds of quote",
                      nlohmann::json(text).dump());
    return std::nullopt;
}

using AtomText = std::optional<std::string> (*)(const Test& atom, std::string& why);

/// An all or any of tests, each in the engine's words, nested ones in parentheses.
std::optional<std::string> engine_text(const Test& test, AtomText atom_text, std::string& why) {
    if (test.kind == Test::atom) {
        return matchable(test.glob, why) ? atom_text(test, why) : std::nullopt;
    }
    if (test.kind != Test::all && test.kind != Test::any) {
        return std::string();
    }
    std::string out;
    for (const Test& part : test.parts) {
        std::optional<std::string> text = engine_text(part, atom_text, why);
        if (!text) {
            return std::nullopt;
        }
        if (part.kind == Test::all || part.kind == Test::any) {
            *text = "(" + *text + ")";
        }
        out += (out.empty() ? "" : test.kind == Test::all ? " && " : " || ") + *text;
    }
    return out;
}

std::optional<std::string> gitlab_atom(const Test& atom, std::string& why) {
    std::string variable = atom.subject == Test::branch ? "$CI_COMMIT_BRANCH"
                           : atom.subject == Test::tag  ? "$CI_COMMIT_TAG"
                                                        : "$CI_COMMIT_REF_NAME";
    if (atom.subject != Test::ref_name && has_wildcard(atom.glob)) {
        return fmt::format("{} {} {}", variable, atom.negated ? "!~" : "=~", gitlab_regex(atom.glob));
    }
    std::optional<std::string> name = gitlab_string(atom.glob, why);
    return name ? std::optional(fmt::format("{} {} {}", variable, atom.negated ? "!=" : "==", *name)) : std::nullopt;
}

std::optional<std::string> github_atom(const Test& atom, std::string& why) {
    if (atom.subject == Test::ref_name) {
        return fmt::format("github.ref_name {} {}", atom.negated ? "!=" : "==", github_string(atom.glob));
    }
    std::string prefix = atom.subject == Test::branch ? "refs/heads/" : "refs/tags/";
    std::size_t wildcard = atom.glob.find_first_of("*?");
    std::string test;
    if (wildcard == std::string::npos) {
        // `!` binds tighter than `==` in GitHub's expressions: a negated exact ref is `!=`, never `!a == b`.
        return fmt::format("github.ref {} {}", atom.negated ? "!=" : "==", github_string(prefix + atom.glob));
    } else if (wildcard == atom.glob.size() - 1 && atom.glob.back() == '*') {
        test = fmt::format("startsWith(github.ref, {})", github_string(prefix + atom.glob.substr(0, wildcard)));
    } else {
        why = fmt::format("GitHub's expressions match a ref only exactly or by its beginning, not by the pattern '{}'",
                          atom.glob);
        return std::nullopt;
    }
    return atom.negated ? "!" + test : test;
}

EngineRule engine_rule(const Formula& formula, const Values& values, AtomText atom_text) {
    std::string why;
    std::optional<Test> test = engine_test(formula, values, why, 0);
    if (!test) {
        return EngineRule{EngineRule::Kind::refused, why};
    }
    Test normal = normalized(*test);
    if (normal.kind == Test::constant) {
        return EngineRule{normal.value ? EngineRule::Kind::always : EngineRule::Kind::never, ""};
    }
    std::optional<std::string> text = engine_text(normal, atom_text, why);
    return text ? EngineRule{EngineRule::Kind::test, *text} : EngineRule{EngineRule::Kind::refused, why};
}

} // namespace

// ---- building ----------------------------------------------------------------------------------------------

Formula& Conditions::new_node() {
    constexpr std::size_t chunk_size = 256;
    if (chunks_.empty() || used_in_last_ == chunk_size) {
        chunks_.push_back(std::make_unique<Formula[]>(chunk_size));
        used_in_last_ = 0;
    }
    return chunks_.back()[used_in_last_++];
}

const Formula* Conditions::build(const ast::Expr& condition, const ProgramFile* file, const CheckedProgram& program) {
    Formula& node = new_node();
    fill(node, condition, file, program);
    return &node;
}

void Conditions::fill(Formula& node, const ast::Expr& expr, const ProgramFile* file, const CheckedProgram& program) {
    node.expr = &expr;
    node.file = file;
    node.range = expr.range;
    auto child = [&](const ast::Expr& operand) { return build(operand, file, program); };
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
    Formula& node = new_node();
    definitions_.emplace(&value, &node);
    fill(node, *definition_expr(value), value.file, program);
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

EngineRule to_gitlab_rule(const Formula& formula, const Values& values) { return engine_rule(formula, values, gitlab_atom); }

EngineRule to_github_if(const Formula& formula, const Values& values) { return engine_rule(formula, values, github_atom); }

std::string github_string(const std::string& text) {
    std::string out = "'";
    for (char c : text) {
        out += c == '\'' ? std::string("''") : std::string(1, c);
    }
    return out + "'";
}

} // namespace chain::conditions
