#pragma once

#include <string_view>

namespace chain::pages {

/// The stylesheet of every page.
extern const std::string_view page_css;

/// The script of every page: keeps the token, and follows the logs of a running run.
extern const std::string_view page_script;

} // namespace chain::pages
