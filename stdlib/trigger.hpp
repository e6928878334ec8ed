#pragma once
// The ref a trigger names for its downstream. chain serve reads the same ref from a run's trigger step, and
// checks it with the same function before it fetches anything.

#include <string>
#include <string_view>

namespace chain::stdlib {

/// Why `ref` cannot name a downstream's branch or tag (`develop`, `refs/heads/release/1.4`,
/// `refs/tags/v1.0.0`), or "" when it can: git's rules for ref names (no `..`, no space, control character
/// or any of `~^:?*[\`, no empty part, none starting with `.` or ending in `.lock`, no `@{`, not `@`), and
/// no part starting with `-`, which a command would read as an option.
std::string downstream_ref_problem(std::string_view ref);

/// The full ref (`refs/heads/...` or `refs/tags/...`) a trigger runs its downstream at: `ref` when given (a
/// branch name, or a full ref), else the upstream's own branch or tag.
std::string downstream_ref(std::string_view ref, bool upstream_is_tag, std::string_view upstream_name);

} // namespace chain::stdlib
