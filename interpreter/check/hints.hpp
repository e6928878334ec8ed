#pragma once
// Wording that several passes of the checker put into their messages and hints.

#include "grammar/types.hpp"

#include <string>
#include <vector>

namespace chain::checker {

/// `a, b or c`.
std::string joined_words(const std::vector<std::string>& words);

/// `did you mean 'NAME'?`, or nothing when there is no close name.
std::string did_you_mean(const std::string& closest);

/// A branch kind without its '/' is a name (`stage release`); where it stands for nothing but a name,
/// the ref pattern was most likely meant. Empty for any other name.
std::string ref_pattern_hint(const std::string& name);

/// E0314: chain has no number with a fraction but the percentage.
extern const char* const fraction_message;

/// The hint of E0314 for `written` where a value of type `expected` (null: unknown) is wanted.
std::string fraction_hint(const std::string& written, const Type* expected);

} // namespace chain::checker
