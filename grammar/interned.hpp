#pragma once

#include <string_view>

namespace chain {

/// The one lasting copy of `text`: equal texts give the same view, valid until the process ends. Names in
/// the tree are views, not strings of their own: a large pipeline repeats a few hundred names hundreds of
/// thousands of times, and a view stays valid in whatever outlives the source it was read from (a REPL's
/// session, a server's cached tree).
std::string_view interned(std::string_view text);

} // namespace chain
