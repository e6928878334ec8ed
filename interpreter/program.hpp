#pragma once
// A pipeline as the checker leaves it for the planner: the parsed files, and tables that bind every name,
// type every expression and resolve every call. Later phases read these tables; they never re-derive them.

#include "conditions.hpp"
#include "grammar/ast.hpp"
#include "grammar/diagnostic.hpp"
#include "grammar/types.hpp"
#include "stdlib/builtin.hpp"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace chain {

/// One parsed file of a pipeline: the file named on the command line, or one it imports.
struct ProgramFile {
    std::shared_ptr<const SourceFile> source;
    ast::File ast;
    std::string path; // as opened, for resolving its own imports
};

/// Every file of a pipeline, the main file first, each imported file once.
struct LoadedProgram {
    std::vector<std::unique_ptr<ProgramFile>> files;
    std::vector<Diagnostic> diagnostics; // syntax errors, unreadable or cyclic imports
};

/// Reads and parses `path` and, transitively, every file it imports (paths relative to the importer).
/// Returns no files when `path` itself cannot be read; `error` then says why.
LoadedProgram load_program(const std::string& path, std::string& error);
/// The same for a main file already in memory (an editor's unsaved text), whose imports are read from
/// disk relative to `path`.
LoadedProgram load_program(std::shared_ptr<const SourceFile> source, const std::string& path);
/// How an import is read, by its path relative to the importer's folder: from disk, or from elsewhere
/// (the files of a git revision).
using SourceReader = std::function<LoadedSource(const std::string& path)>;
/// The same, with imports read by `read`.
LoadedProgram load_program(std::shared_ptr<const SourceFile> source, const std::string& path,
                           const SourceReader& read);

enum class ValueKind { let, param, secret };

/// The keyword that declares a value of this kind: `let`, `param`, `secret`.
const char* value_kind_name(ValueKind kind);

/// A top-level let, param or secret.
struct GlobalValue {
    ValueKind kind = ValueKind::let;
    std::string name;
    const ProgramFile* file = nullptr;
    SourceRange name_range;
    const ast::Expr* value = nullptr; // the let's value, the param's default, or the secret's env("...")
    std::optional<ast::Expr> given;   // a param's value from `-p NAME=VALUE`
    Type type;
};

/// A user fn: its parameters' types and the artifacts its body names.
struct FnInfo {
    const ast::Fn* decl = nullptr;
    const ProgramFile* file = nullptr;
    std::vector<Type> param_types;
    std::map<std::string, Type> artifacts;
};

/// An artifact a stage names, with its type.
struct ArtifactInfo {
    Type type;
    SourceRange name_range;
};

/// A stage with its clauses resolved: every need (explicit or through `stage.artifact`) by index.
struct StageInfo {
    const ast::Stage* decl = nullptr;
    const ProgramFile* file = nullptr;
    std::string name;
    std::vector<std::size_t> needs;
    const ast::Expr* condition = nullptr; // null: runs on every ref
    const conditions::Formula* formula = nullptr; // the condition's formula, when it has one
    const ast::MatrixClause* matrix = nullptr;
    std::vector<std::string> inputs;
    std::optional<std::int64_t> timeout_ms;
    std::int64_t retries = 0;
    bool manual = false;
    const ast::Expr* env = nullptr; // the env clause's record of variables, for every step of the stage
    bool allow_failure = false;
    std::map<std::string, ArtifactInfo> artifacts;
};

/// What a call calls: a builtin of the standard library, or a user fn.
struct Callee {
    const stdlib::Builtin* builtin = nullptr;
    const FnInfo* fn = nullptr;
};

/// What the calls the checker resolved call. A callee follows from the called name alone (the fn of that
/// name, else the builtin), so there is an entry per name, not per call: a table keyed by each call's
/// address took 32 bytes and a malloc for every call of a pipeline.
class Callees {
  public:
    void resolve(const ast::Call& call, Callee callee);
    /// Null for a call of a name the checker did not resolve.
    const Callee* find(const ast::Call& call) const;
    /// Throws std::out_of_range for a call of a name the checker did not resolve.
    const Callee& at(const ast::Call* call) const;

  private:
    std::unordered_map<std::string_view, Callee> by_name_; // views of interned names
};

/// The checked pipeline: valid when its check reported no errors.
struct CheckedProgram {
    LoadedProgram loaded;
    std::string pipeline_name;
    std::string pipeline_kind;
    std::vector<GlobalValue> values;
    std::vector<FnInfo> fns;
    std::vector<StageInfo> stages; // in source order
    std::vector<std::size_t> stage_order; // a valid execution order (needs first), when there is no cycle
    conditions::Conditions conditions;    // the formulas of the stages' conditions and the witness refs
    /// The type of every expression, when the check was asked to keep them (CheckOptions::keep_types);
    /// sorted by address on the first type_of().
    mutable std::vector<std::pair<const ast::Expr*, Type>> types;
    mutable bool types_sorted = false;
    Callees callees;

    /// The type the checker gave an expression (unknown for one it did not reach, or when types were not
    /// kept).
    const Type& type_of(const ast::Expr& expr) const;

    /// Hashes a name as it is, a std::string or a view into the source: looked up without a copy. Not
    /// noexcept on purpose: libstdc++ then keeps each key's hash in its node, as it does for std::string,
    /// instead of hashing the keys of a bucket again to find where the bucket ends.
    struct NameHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view name) const { return std::hash<std::string_view>{}(name); }
    };
    using NameIndex = std::unordered_map<std::string, std::size_t, NameHash, std::equal_to<>>;
    NameIndex value_index, fn_index, stage_index; // by name

    const GlobalValue* find_value(std::string_view name) const;
    const FnInfo* find_fn(std::string_view name) const;
    const StageInfo* find_stage(std::string_view name) const;
};

} // namespace chain
