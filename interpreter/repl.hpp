#pragma once
// `chain repl`: a session over the same checker and planner as `chain check` and `chain plan`. Its program
// is the loaded file plus what was typed; each accepted declaration is a source of its own, so that the
// diagnostics point at what was typed. The session is plain text in, text out: the command line adds the
// line editor around it, and tests drive it directly.

#include "checker.hpp"
#include "git.hpp"
#include "plan.hpp"

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chain {

/// What one input gives.
struct ReplReply {
    std::string output; // newline-terminated lines, or empty
    bool error = false; // the input was refused or failed
    bool quit = false;
    /// A question to ask before going on (`:run`): answer with ReplSession::answer().
    std::string question;
};

struct ReplSettings {
    std::string file; // empty: an empty program
    std::optional<refs::Ref> ref; // empty: the repository's HEAD, else develop
    std::vector<std::string> params; // NAME=VALUE, as -p
    std::size_t jobs = 2; // for :run
};

/// Whether an entry goes on with the next line: it has an unclosed brace, bracket or parenthesis outside
/// strings and comments. Fed line after line, it reads each byte once, so that however long an entry
/// grows (a pipe of random bytes never closes its braces), reading it stays linear.
class EntryScanner {
  public:
    void feed(std::string_view text);
    bool open() const { return depth_ > 0; }

  private:
    // A string, with `${...}` inside it, ends at the next unescaped quote on its line; a comment at the
    // end of its line.
    enum class State { code, string, escaped, comment } state_ = State::code;
    std::int64_t depth_ = 0;
};

class ReplSession {
  public:
    explicit ReplSession(ReplSettings settings);

    /// What loading the file printed: a summary line and the file's diagnostics.
    const ReplReply& started() const { return started_; }
    /// True while `text` has an unclosed brace, bracket or parenthesis outside strings and comments, so
    /// that the input goes on with the next line (EntryScanner, for an entry read line by line).
    static bool continues(std::string_view text);
    /// One complete input: a `:command`, a declaration or an expression.
    ReplReply eval(const std::string& input);
    /// The answer to the question of the last reply; a `:run` prints its progress to `out` as it runs.
    ReplReply answer(bool yes, std::FILE* out);
    /// Words that could complete the last word of `before` (the line up to the cursor), sorted.
    std::vector<std::string> complete(std::string_view before) const;
    /// The prompt's view of the ref: `develop`, `tag v1.0.0`.
    std::string ref_text() const;

  private:
    struct Typed {
        std::shared_ptr<const SourceFile> source;
        ast::File ast;
    };

    ReplReply load(const std::string& file, bool keep_typed);
    ReplReply command(std::string_view name, std::string_view argument);
    ReplReply declaration(const std::shared_ptr<const SourceFile>& source);
    ReplReply expression(const std::shared_ptr<const SourceFile>& source, bool with_value);
    ReplReply set_param(std::string_view setting);
    ReplReply show_ref() const;
    ReplReply show_stages() const;
    ReplReply show_plan(std::string_view stage, bool explain) const;
    ReplReply unknown_stage(std::string_view stage) const;
    ReplReply show_graph(std::string_view format) const;
    /// Every param, let and secret with its value and source (as `chain plan --params`), or those `stage` uses.
    ReplReply show_params(std::string_view stage) const;
    ReplReply prepare_run(std::string_view stage, bool rehearse);
    ReplReply prepare_rollback(std::string_view argument);
    ReplReply roll_back(std::FILE* out);

    /// The file (minus what typed declarations replace), then the typed declarations, then `extra`.
    LoadedProgram program_with(const Typed* extra) const;
    CheckResult check_with(const Typed* extra, const std::vector<std::string>& params) const;
    PlanOptions plan_options() const;
    std::optional<Plan> current_plan(ReplReply& reply, const std::string& approved = "") const;
    /// Errors anywhere, warnings only in `source` (its unused-name warnings left out: what is typed at a
    /// prompt is used later), minus the errors the program already had; an error when there are new ones.
    ReplReply shown_diagnostics(const CheckResult& result, const SourceFile* source) const;

    ReplSettings settings_;
    ReplReply started_;
    std::optional<LoadedProgram> file_; // as last read from disk
    std::string file_error_;
    std::vector<Typed> typed_;
    std::optional<CheckResult> current_;
    std::vector<std::string> known_errors_; // of current_, rendered
    refs::Ref ref_;
    GitFacts git_;
    std::string pending_run_;
    bool pending_rehearsal_ = false; // the run asked about is a rehearsal (:run --rehearse)
    std::optional<std::pair<std::string, std::string>> pending_rollback_; // the stage and --to, asked about
};

} // namespace chain
