#pragma once
// The steps chain performs itself, beside the builtins that plan them: the other half of their record.

#include "value.hpp"

#include <filesystem>
#include <string>
#include <string_view>

namespace chain::stdlib {

/// Performs an action step (one without argv) in the pipeline folder `root`; the error in words, or "".
std::string perform_action(const Step& step, const std::filesystem::path& root);

/// Why `release` cannot name a release folder of a deploy target, or "" when it can: a release is named by
/// a version, PEP 440's or Debian's: letters, digits and `.+~:_-`, starting with a letter or digit (so
/// never `..`, a `/` or an empty name).
std::string release_name_problem(std::string_view release);

/// The action step that fails with `error` when it runs: how a call whose arguments cannot be carried
/// out shows that in the plan, and stops the run before anything of it is done.
Step refusal(std::string builtin, std::string error);

} // namespace chain::stdlib
