#pragma once
// A condition (`when`) as one value, built once by the checker from the AST: ref-pattern atoms, bool
// params and lets, `ref() == "x"`, and/or/not. Every phase that reads a condition is a function over it:
// the checker's ref analysis evaluates it three-valued on the witness refs, the planner evaluates and
// explains it on one ref, and the exporter translates it into the engines' expressions
// (conditions_export.hpp).

#include "grammar/ast.hpp"
#include "grammar/source.hpp"
#include "refs.hpp"

#include <cstddef>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chain {
struct CheckedProgram;
struct GlobalValue;
struct ProgramFile;
} // namespace chain

namespace chain::conditions {

/// Three-valued truth, for conditions whose bool inputs may be unknown.
enum class Tri { no, yes, maybe };

/// One side of a comparison, as far as it is known without running anything.
struct Operand {
    enum class Kind { unknown, text, ref } kind = Kind::unknown;
    std::string text;                        // Kind::text
    std::size_t hops = 0;                    // the lets and params followed to reach the text or `ref()`
    bool calls_ref = false;                  // written as `ref()`, whichever fn that calls
    std::optional<std::string> written_text; // written as a string literal without interpolation
};

/// One node of a condition, with where it is written.
struct Formula {
    enum class Kind {
        constant,   // true, false
        pattern,    // a ref pattern
        value,      // a name: a bool param or let, or a let bound to a cond
        comparison, // a == b, a != b (an engine tests only ref() == "x")
        other,      // any other expression: the checker cannot know it, an engine cannot test it
        all,        // and
        any,        // or
        negation,   // not
    } kind = Kind::other;
    bool constant = false;
    const ast::RefPattern* pattern = nullptr;
    // value: the name, its top-level declaration (null when it is none), and the formula of its value (from
    // -p, else as written; null for a secret or a value without one), shared by every use.
    std::string_view name;
    const GlobalValue* value = nullptr;
    const Formula* definition = nullptr;
    bool equal = true; // comparison: == rather than !=
    /// all, any: the operands; negation: its operand; comparison and other operator chains: their
    /// operands, whose ref patterns and texts still name refs the checker must consider.
    std::vector<const Formula*> parts;
    /// A comparison's two sides; of any other operator chain, the operands whose text is known.
    std::vector<Operand> texts;
    const ast::Expr* expr = nullptr;
    const ProgramFile* file = nullptr;
    SourceRange range;
};

/// The lets and params a condition follows before the rest counts as unknown: the checker's and the
/// exporter's guard against a chain of lets too long to judge (or a cycle, which is an error of its own).
constexpr std::size_t let_depth_limit = 64;

/// What a phase knows of a condition's atoms besides the ref.
struct Values {
    /// The value of a name, a comparison or any other expression, when the phase knows it; otherwise a
    /// name is followed to its definition and the rest is unknown. Null: nothing is known beyond the formula.
    std::function<std::optional<bool>(const Formula&)> of;
    std::size_t depth_limit = std::numeric_limits<std::size_t>::max();
};

/// Every condition of a checked program, and the refs its ref analysis evaluates them on.
class Conditions {
  public:
    /// The formula of `condition`, written in `file`; a let or param it names gets one formula for all uses,
    /// and so do conditions written alike in one file (their nodes point at the first one's text).
    const Formula* build(const ast::Expr& condition, const ProgramFile* file, const CheckedProgram& program);
    /// The same for a condition evaluated once and then forgotten (a when-block's, in the effect checks):
    /// valid until the next call, which reuses its nodes, so that these do not pile up stage after stage.
    const Formula* build_passing(const ast::Expr& condition, const ProgramFile* file,
                                 const CheckedProgram& program);

    /// One ref per combination of ref patterns any name could match (`refs::witnesses`) over the globs of
    /// every formula given; evaluating a condition on them is evaluating it on every branch and tag.
    /// Formulas naming more globs than the witness search can take are left out of it, and `judged`
    /// says false for them.
    void find_witnesses(const std::vector<const Formula*>& formulas);
    const std::vector<refs::Ref>& witnesses() const { return witnesses_; }
    bool judged(const Formula* formula) const;

  private:
    const Formula* build_node(const ast::Expr& expr, const ProgramFile* file, const CheckedProgram& program);
    void fill(Formula& node, const ast::Expr& expr, const ProgramFile* file, const CheckedProgram& program);
    const Formula* definition_of(const GlobalValue& value, const CheckedProgram& program);
    Operand operand_of(const ast::Expr& expr, const CheckedProgram& program) const;

    Formula& new_node();

    /// The nodes, in chunks that never move: nodes point at each other.
    std::vector<std::unique_ptr<Formula[]>> chunks_;
    std::size_t used_in_last_ = 0;
    /// The nodes of build_passing, reused from the first at each call; a definition found on the way is
    /// still built among the lasting nodes, since every later use shares it.
    std::vector<std::unique_ptr<Formula>> passing_;
    std::size_t passing_used_ = 0;
    bool building_passing_ = false;
    std::map<const GlobalValue*, const Formula*> definitions_;
    /// By file and text: a large pipeline repeats a few conditions over thousands of stages.
    std::map<std::pair<const ProgramFile*, std::string_view>, const Formula*> written_;
    std::vector<refs::Ref> witnesses_;
    std::vector<const Formula*> unjudged_;
};

/// The truth of a condition on a ref.
Tri evaluate(const Formula& formula, const refs::Ref& ref, const Values& values);
/// Whether a condition certainly holds on a ref (with every value known: whether it holds).
bool holds(const Formula& formula, const refs::Ref& ref, const Values& values);

/// Whether a condition (null: none, it runs everywhere) holds on each of `refs`, as far as known.
class Truths {
  public:
    Truths(const Formula* formula, bool judged, const std::vector<refs::Ref>& refs, const Values& values);
    bool certainly(std::size_t ref) const { return on_[ref] == Tri::yes; }
    bool certainly_not(std::size_t ref) const { return on_[ref] == Tri::no; }
    /// False on every ref.
    bool never() const;

  private:
    std::vector<Tri> on_;
};

/// The condition evaluated step by step on a ref, as `plan --explain` prints it: a first line with the
/// verdict, then each ref pattern with whether it matches and each name with its value, indented by depth.
std::vector<std::string> explain(const Formula& formula, const refs::Ref& ref, const Values& values);

/// The first ref pattern that matches `ref` and so lets the condition hold, found through lets that are
/// not set with -p too; null when none does.
const Formula* matching_pattern(const Formula& formula, const refs::Ref& ref);

/// The text of a node as written.
std::string_view source_text(const Formula& formula);

} // namespace chain::conditions
