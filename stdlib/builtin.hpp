#pragma once
// The standard library as data: one record per builtin holds its whole signature and the rules that pick
// its result or relate its arguments. The checker reads these records; adding a builtin never touches it.

#include "grammar/ast.hpp"
#include "grammar/types.hpp"

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace chain::stdlib {

/// One parameter: a name, the types it accepts, and for enum parameters the bare words it accepts.
struct Param {
    std::string name;
    std::vector<Type> accepts;
    std::vector<std::string> words; // non-empty: an enum, written as a bare word (`runner: pytest`)
    bool required = false;
    std::string default_text; // how the default reads in a signature (`pytest`, `[]`), empty if none
};

/// The arguments of one call as the checker saw them, by parameter index.
struct CallSite {
    std::vector<const ast::Expr*> args; // null where the argument is absent
    std::vector<Type> types;
    std::vector<std::string> words; // the enum word given, or empty

    bool has(std::size_t param) const { return args[param] != nullptr; }
    const std::string& word(std::size_t param) const { return words[param]; }
};

/// A mistake that involves several arguments (`publish` of a deb to a pypi target).
struct CallProblem {
    std::size_t param; // the argument to point at, or `whole_call`
    std::string code;
    std::string message;
    std::string hint;
    static constexpr std::size_t whole_call = static_cast<std::size_t>(-1);
};

enum class BlockUse { none, required };

/// A builtin: its signature, result rule and argument rules together.
struct Builtin {
    std::string name;
    std::string summary;
    std::vector<Param> params;
    BlockUse block = BlockUse::none;
    std::function<Type(const CallSite&)> result;
    std::function<std::vector<CallProblem>(const CallSite&)> validate;

    /// The index of a parameter by name, or -1.
    int param_index(std::string_view param_name) const;
    /// `test(runner: pytest|tox|unittest|command = pytest, python: str, ...) -> artifact<report>`
    std::string signature() const;
};

/// All builtins by name.
class Registry {
  public:
    explicit Registry(std::vector<Builtin> builtins);
    const Builtin* find(std::string_view name) const;
    const std::vector<Builtin>& all() const { return builtins_; }

  private:
    std::vector<Builtin> builtins_;
};

/// The builtins of SPEC.md section 6.
const Registry& standard_library();

// One function per family of builtins, each in its own file.
void add_shell_builtins(std::vector<Builtin>& out);
void add_python_builtins(std::vector<Builtin>& out);
void add_packaging_builtins(std::vector<Builtin>& out);
void add_system_builtins(std::vector<Builtin>& out);
void add_value_builtins(std::vector<Builtin>& out);

/// Helpers for the family files: a parameter of one type, of an enum, and a fixed result.
Param param(std::string name, Type type, bool required = false, std::string default_text = "");
Param enum_param(std::string name, std::vector<std::string> words, bool required, std::string default_text = "");
std::function<Type(const CallSite&)> returns(Type type);

} // namespace chain::stdlib
