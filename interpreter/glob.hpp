#pragma once
// Globs as branch patterns (`release/*`) and stage `inputs` (`src/**`, `setup.cfg`) write them.

#include <string_view>

namespace chain {

/// `*` matches any run of characters (also '/'), `?` any one character.
bool glob_match(std::string_view glob, std::string_view text);

} // namespace chain
