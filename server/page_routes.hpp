#pragma once
// The HTML routes of chain serve: each page is rendered (server/pages.hpp) from the very JSON the API
// answers with (server/api.hpp), so the pages and the API cannot tell different stories.

#include "routes.hpp"
#include "server.hpp"

namespace chain::server {

/// An HTML page as every page is sent: text/html, its Content-Security-Policy header, never cached.
Response html_response(int status, std::string body);

/// Adds `GET /` (the repositories), `/repositories/NAME` (its runs), `/runs/ID` (a run with its linked runs
/// and the end of each log) and `/badge/REPO/BRANCH.svg` (BRANCH with `/` written `%2F`) to `router`.
void add_page_routes(Router& router, const ServerParts& parts);

} // namespace chain::server
