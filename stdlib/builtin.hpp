#pragma once
// The standard library as data: one record per builtin holds its whole signature and the rules that pick
// its result or relate its arguments. The checker reads these records; adding a builtin never touches it.

#include "grammar/ast.hpp"
#include "grammar/types.hpp"
#include "value.hpp"

#include <bitset>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace chain::stdlib {

/// The most parameters a builtin has: an Invocation marks its literal arguments in this many bits.
inline constexpr std::size_t max_params = 32;

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
    const ast::Expr* part = nullptr; // the part of the argument to point at (a list's item); null: all of it
    static constexpr std::size_t whole_call = static_cast<std::size_t>(-1);
};

enum class BlockUse { none, required };

/// Whether a builtin's steps change anything outside the run's own folders (an index, a repository, a
/// deployment, another pipeline): such steps are marked in plans and only shown by `run --rehearse`.
enum class Effect {
    none,
    always,
    declared, // when the call says `effect: true` (sh)
};

/// What builtins read from the project's files, read once per plan: a plan of thousands of calls would
/// otherwise open the same files for each of them, and every call of one plan sees the same files.
struct ProjectFacts {
    std::optional<bool> coverage_names_what_to_measure; // coverage.py's settings name `source` or the like
};

/// One call at plan time: its argument values and where its results go.
/// The texts every call of a plan shares are views of the planner's own strings: a plan makes one
/// Invocation per call, and copying them into each was a tenth of planning a one-step stage.
struct Invocation {
    std::vector<std::optional<Value>> args; // by parameter; an enum word is a str value
    std::bitset<max_params> literal;        // by parameter: given as a string literal without ${...}
    std::string output;  // the folder for the artifact this call makes; empty when it makes none
    std::string_view scratch; // a work folder of the stage instance
    std::string_view project; // the pipeline's folder, where steps run (coverage reads the project's settings)
    ProjectFacts* facts = nullptr; // the plan's; null: read the files for this call alone
    std::string_view version; // version() of this run
    std::string_view ref_name;
    bool ref_is_tag = false;
    std::string_view chain_program; // how to start chain itself, for trigger
    std::vector<Step> block;   // a block builtin's block, already planned

    const Value* arg(std::size_t param) const { return args[param] ? &*args[param] : nullptr; }
    /// The text of an argument, or `fallback` when it is absent.
    std::string text(std::size_t param, std::string fallback = "") const;
    /// The texts of a list argument (empty when absent).
    std::vector<std::string> texts(std::size_t param) const;
    /// Where this call writes its files: its artifact folder, or else the scratch folder.
    std::string destination() const { return std::string(output.empty() ? std::string_view(scratch) : output); }
    /// `file` in the scratch folder.
    std::string in_scratch(std::string_view file) const;
};

/// Turns a call into steps (appended to `steps`) and gives its value (none for a step without one).
using PlanFunction = std::function<Value(const Invocation&, std::vector<Step>&)>;

/// A builtin: its signature, result rule and argument rules together.
struct Builtin {
    std::string name;
    std::string summary;
    std::vector<Param> params;
    BlockUse block = BlockUse::none;
    std::function<Type(const CallSite&)> result;
    std::function<std::vector<CallProblem>(const CallSite&)> validate;
    PlanFunction plan;
    Effect effect = Effect::none;

    /// Whether the steps of this call are effects: always, never, or as its `effect:` argument says.
    bool has_effect(const Invocation& call) const;
    /// True when a call gives an artifact (whatever its arguments), so that the plan gives it a folder.
    /// Asked of every call the plan makes: the Registry works it out once for each builtin.
    bool makes_artifact() const { return gives_artifact; }
    bool gives_artifact = false;
    /// The indices of its `env` and `effect` parameters, or -1: asked of every call, worked out once too.
    int env_param = -1;
    int effect_param = -1;
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

// One file per builtin that runs commands, each adding its record; values.cpp adds those that only make
// values (version, ref, env, file, dir and the targets).
void add_sh(std::vector<Builtin>& out);
void add_test(std::vector<Builtin>& out);
void add_lint(std::vector<Builtin>& out);
void add_coverage(std::vector<Builtin>& out);
void add_virtualenv(std::vector<Builtin>& out);
void add_package(std::vector<Builtin>& out);
void add_publish(std::vector<Builtin>& out);
void add_chroot(std::vector<Builtin>& out);
void add_deploy(std::vector<Builtin>& out);
void add_trigger(std::vector<Builtin>& out);
void add_value_builtins(std::vector<Builtin>& out);

/// Helpers for the family files: a parameter of one type, of an enum, and a fixed result.
Param param(std::string name, Type type, bool required = false, std::string default_text = "");
Param enum_param(std::string name, std::vector<std::string> words, bool required, std::string default_text = "");
std::function<Type(const CallSite&)> returns(Type type);
/// A step that spawns `argv`, made by `builtin`.
Step command(std::string builtin, std::vector<std::string> argv);
/// A step chain performs itself, described in words.
Step action(std::string builtin, std::string description);
/// A step chain performs itself (stdlib/actions.cpp): `args` is the action's name and its arguments.
Step perform(std::string builtin, std::string description, std::vector<std::string> args);

/// podman's storage for the images chain builds and pushes: vfs needs no overlay file system or FUSE, so
/// it works in containers and VMs alike, at the cost of copying layers.
inline constexpr const char* image_storage_driver = "vfs";
/// `podman --storage-driver vfs ARGS...`: every podman command chain runs uses the same storage.
std::vector<std::string> podman_argv(const std::vector<std::string>& args);
/// The step that loads an image artifact's OCI archive into podman's storage, where publish and deploy
/// take the image from.
Step load_image(std::string builtin, const Value& image);
/// Where debootstrap fetches Debian from unless told otherwise.
inline constexpr const char* default_debian_mirror = "http://deb.debian.org/debian";
/// Where the chroot builtin caches the debootstrap base of `dist` with `extra_packages` beside Python:
/// `.chain/cache/chroot/bookworm`, with a hash of the package set when there are extra packages.
std::string chroot_base_path(const std::string& dist, const std::vector<std::string>& extra_packages);
/// The steps of `builtin` that make that base with debootstrap unless it is made (in `scratch`, then renamed
/// into the cache); gives its path.
std::string debootstrap_base(const std::string& builtin, const std::string& dist,
                             const std::vector<std::string>& extra_packages, const std::string& mirror,
                             std::string_view scratch, std::vector<Step>& steps);
/// An OCI-safe tag for a version: what is not a letter, digit, `_`, `.` or `-` becomes `-`.
std::string image_tag(const std::string& version);
/// The step that copies each wheel and sdist of the artifact folder into the PEP 503 folder `index`; it
/// writes what it published, or found there already, to `report` (its summary).
Step publish_to_folder_index(std::string builtin, const std::string& artifact, const std::string& index,
                             const std::string& report);
/// The step that copies `source` (a file or folder the steps made) into the artifact folder `destination`.
/// `absolute_allowed`: the pipeline wrote `source` as an absolute path literally, which is then read as
/// written; any other source must lie inside the pipeline's folder, symbolic links followed.
Step collect(std::string builtin, std::string source, std::string destination, bool absolute_allowed = false);
/// An artifact value at `path` of the given kind.
Value artifact_at(std::string path, std::uint16_t kind);
/// A PEP 440 version as a Debian version: `1.4.0rc3` -> `1.4.0~rc3`, `1.4.0.post2` -> `1.4.0+post2`.
std::string debian_version(const std::string& pep440);
/// A PEP 440 version in its canonical form, to compare two spellings of one version: lower case, the
/// pre/post/dev spellings PEP 440 allows written its one way, numbers without leading zeros, trailing
/// `.0` of the release dropped (`1.0.0-RC.13` -> `1rc13`); a text that is no PEP 440 version stays as it is.
std::string canonical_version(const std::string& version);
/// `list<str>`, the type of argv-like parameters.
Type str_list();
/// `head` followed by `tail`.
std::vector<std::string> joined(std::vector<std::string> head, const std::vector<std::string>& tail);
/// `3.11` -> `python3.11`; a path (a virtualenv's `bin/python`) stays as it is.
std::string python_program(const std::string& version);

/// tox hands its test commands only the variables its `passenv` names: a tox step's TOX_TESTENV_PASSENV
/// names every variable chain sets for it (the report's PYTEST_ADDOPTS, the stage's and the builtin's
/// `env`), so that they reach the tests. Other steps are left alone.
void pass_environment_through_tox(Step& step);

} // namespace chain::stdlib
