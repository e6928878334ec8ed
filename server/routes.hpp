#pragma once
// Requests as the handlers see them, and the one table of routes: a method and a pattern per handler.
// Nothing here knows the HTTP library; server/http.cpp turns its requests into these.

#include <filesystem>
#include <functional>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chain::server {

/// A request whose path is already split into decoded, validated segments.
struct Request {
    std::string method;
    std::vector<std::string> segments;
    std::map<std::string, std::string> query;
    std::map<std::string, std::string> headers; // names in lower case
    std::string body;
};

/// An answer: a body, or a file sent as it is (an artifact).
struct Response {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::filesystem::path file;
    std::vector<std::pair<std::string, std::string>> headers;
};

Response json_response(int status, const nlohmann::json& body);
/// `{"error": message}` with that status.
Response error_response(int status, const std::string& message);

/// The path of a request target (without `?query`) split into segments, each percent-decoded; nothing when
/// a segment is `.` or `..` (as written or encoded), holds a `\` or NUL once decoded, has a broken `%`
/// escape, or holds an encoded `/` (`%2F`, as in `/badge/REPO/feature%2Fx.svg`) with an empty, `.` or `..`
/// part beside it. Empty segments (`//`, a trailing `/`) are dropped.
std::optional<std::vector<std::string>> split_path(std::string_view path);
/// `a=1&b=two+words` -> its decoded pairs.
std::map<std::string, std::string> parse_query(std::string_view query);

/// The values a pattern's `{name}` segments matched; `{*}` matches the rest of the path, joined by `/`.
using RouteParams = std::map<std::string, std::string>;
using Handler = std::function<Response(const Request&, const RouteParams&)>;

/// Every route of the server in one table, tried in the order added.
class Router {
  public:
    /// `pattern`: `/api/runs/{id}/log/{*}`.
    void add(std::string method, std::string_view pattern, Handler handler);
    /// The matching route's answer; 404 when no pattern matches, 405 when only the method differs.
    Response handle(const Request& request) const;

  private:
    struct Route {
        std::string method;
        std::vector<std::string> pattern;
        Handler handler;
    };
    std::vector<Route> routes_;
};

} // namespace chain::server
