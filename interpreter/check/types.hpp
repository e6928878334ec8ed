#pragma once
// The types pass: one walk over the bodies of values, fns and stages that binds every name (names.cpp),
// types every expression (expressions.cpp), checks every call against its signature (calls.cpp) and every
// statement and clause (statements.cpp), and records what later passes read: artifacts, needs as written,
// the fns each fn calls, and which names are used.

#include "context.hpp"

#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace chain::checker {

/// What the statements being checked belong to: a stage (by index) or a fn (by index).
struct Owner {
    std::optional<std::size_t> stage;
    std::optional<std::size_t> fn;
    const ProgramFile* file = nullptr;
};

/// The locals of one block, inside the scopes that enclose it.
struct Scope {
    Scope* parent = nullptr;
    std::vector<Local> locals;

    Local* find(std::string_view name);
};

/// `fits`, and a list of artifacts where a list of words (`list<str>`) is wanted: the one place a value
/// stands for another type, so that `sh(["ls"] + test.report)` and `sh(test.report)` read alike.
bool fits_words(const Type& actual, const Type& expected);
/// A type `when`, `not`, `and` and `or` take: cond, bool, or unknown (reported where it was found).
bool is_condition(const Type& type);

/// The types pass over a program whose declarations are collected.
class Typer {
  public:
    explicit Typer(Context& context);
    void run();

  private:
    Context& context_;
    CheckedProgram& out_;
    const stdlib::Registry& registry_;
    std::vector<char> value_state_;                   // per value: 0 untyped, 1 being typed, 2 typed
    std::vector<std::vector<NeedRef>> fn_stage_refs_; // per fn: stages whose artifacts its body uses
    std::set<std::string> made_artifacts_;            // artifacts of the stage being checked, made so far

    template <typename... Args> void error(Args&&... args) { context_.error(std::forward<Args>(args)...); }
    template <typename... Args> void warning(Args&&... args) {
        context_.warning(std::forward<Args>(args)...);
    }
    bool quiet() const { return context_.quiet; }
    /// Notes the type of an expression in CheckedProgram::types, when the check keeps them.
    void record_type(const ast::Expr& expr, const Type& type) {
        if (!quiet() && context_.keep_types) {
            out_.types.emplace_back(&expr, type);
        }
    }

    // types.cpp: top-level values
    const Type& type_global(std::size_t index);
    void no_value_check(const Type& type, const ast::Expr& value, const std::string& name,
                        const ProgramFile* file);
    bool expect(const Type& actual, const Type& expected, const ProgramFile* file, SourceRange range,
                const std::string& what);

    // names.cpp
    std::vector<std::string_view> visible_names(Scope& scope, const Owner& owner) const;
    std::vector<std::string_view> stage_names() const;
    Type type_of_name(const ast::Ident& ident, Scope& scope, const Owner& owner);
    Type type_of_member(const ast::Member& member, SourceRange range, const Owner& owner);
    void bind_local(Scope& scope, Local local, const ProgramFile* file);
    void retire(Scope& scope);
    void resolve_need(std::size_t index, const ast::Ident& needed, const ProgramFile* file);

    // expressions.cpp
    /// `expected`, when known, is the type the place of `expr` wants; it only shapes hints.
    Type type_of(const ast::Expr& expr, Scope& scope, const Owner& owner, const Type* expected = nullptr);
    Type compute_type(const ast::Expr& expr, Scope& scope, const Owner& owner, const Type* expected);
    Type type_of_string(const ast::StringLit& string, Scope& scope, const Owner& owner);
    Type type_of_list(const ast::ListExpr& list, Scope& scope, const Owner& owner, const Type* expected);
    Type type_of_record(const ast::RecordExpr& record, Scope& scope, const Owner& owner);
    Type type_of_not(const ast::Not& negation, Scope& scope, const Owner& owner);
    Type type_of_infix(const ast::Infix& infix, Scope& scope, const Owner& owner);
    Type type_of_plus(const Type& lhs, const Type& rhs, SourceRange range, const ProgramFile* file);

    // calls.cpp
    struct BuiltinArgs;
    Type check_call(const ast::Call& call, SourceRange range, Scope& scope, const Owner& owner,
                    bool has_block);
    Type check_builtin_call(const ast::Call& call, const stdlib::Builtin& builtin, SourceRange range,
                            Scope& scope, const Owner& owner, bool has_block);
    BuiltinArgs check_builtin_args(const ast::Call& call, const stdlib::Builtin& builtin, Scope& scope,
                                   const Owner& owner);
    void check_builtin_arg(const ast::Arg& arg, const stdlib::Param& param, const stdlib::Builtin& builtin,
                           BuiltinArgs& args, std::size_t index, Scope& scope, const Owner& owner);
    void warn_if_outside_repository(const ast::Expr& arg, const std::string& builtin,
                                    const ProgramFile* file);
    std::string check_enum_word(const ast::Expr& arg, const stdlib::Param& param,
                                const stdlib::Builtin& builtin, const Owner& owner);
    Type check_fn_call(const ast::Call& call, std::size_t fn_index, Scope& scope, const Owner& owner,
                       bool has_block);
    void check_fn_args(const ast::Call& call, const FnInfo& fn, Scope& scope, const Owner& owner);
    Type check_environment(const ast::Expr& expr, Scope& scope, const Owner& owner);

    // statements.cpp
    void collect_artifacts(const ast::Block& block, const Owner& owner);
    void add_artifact(std::size_t stage, const std::string& name, Type type, SourceRange range,
                      const ProgramFile* file);
    void check_block(const ast::Block& block, Scope& parent, const Owner& owner);
    void check_stmt(const ast::Stmt& stmt, Scope& scope, const Owner& owner);
    void check_condition(const ast::Expr& condition, Scope& scope, const Owner& owner);
    void check_fn_bodies();
    void check_stage_bodies();
    void check_stage(std::size_t index);
    void check_clause(const ast::Clause& clause, std::size_t index, Scope& scope,
                      std::set<std::string>& seen);
    void check_matrix(const ast::MatrixClause& matrix, std::size_t index, Scope& scope);
    bool single_clause(std::set<std::string>& seen, const std::string& keyword, SourceRange range,
                       const StageInfo& stage, const ProgramFile* file);
};

} // namespace chain::checker
