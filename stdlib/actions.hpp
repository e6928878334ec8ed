#pragma once
// The steps chain performs itself, beside the builtins that plan them: the other half of their record.

#include "value.hpp"

#include <filesystem>
#include <string>

namespace chain::stdlib {

/// Performs an action step (one without argv) in the pipeline folder `root`; the error in words, or "".
std::string perform_action(const Step& step, const std::filesystem::path& root);

} // namespace chain::stdlib
