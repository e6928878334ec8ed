#include "routes.hpp"

#include <nlohmann/json.hpp>

namespace chain::server {

Response json_response(int status, const nlohmann::json& body) {
    Response response;
    response.status = status;
    response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    return response;
}

Response error_response(int status, const std::string& message) {
    return json_response(status, nlohmann::json{{"error", message}});
}

namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

std::optional<std::string> percent_decoded(std::string_view text, bool plus_is_space) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%') {
            if (i + 2 >= text.size()) {
                return std::nullopt;
            }
            int high = hex_value(text[i + 1]);
            int low = hex_value(text[i + 2]);
            if (high < 0 || low < 0) {
                return std::nullopt;
            }
            out.push_back(static_cast<char>(high * 16 + low));
            i += 2;
        } else if (plus_is_space && text[i] == '+') {
            out.push_back(' ');
        } else {
            out.push_back(text[i]);
        }
    }
    return out;
}

/// A decoded segment may hold `%2F` (a branch name in a badge's URL): each of its parts between slashes
/// must then be as safe as a segment, so that joining segments can never make a `..` or an absolute path.
bool safe_segment(std::string_view segment) {
    if (segment.find_first_of(std::string_view("\\\0", 2)) != std::string_view::npos) {
        return false;
    }
    while (true) {
        std::size_t slash = segment.find('/');
        std::string_view part = segment.substr(0, slash);
        if (part.empty() || part == "." || part == "..") {
            return false;
        }
        if (slash == std::string_view::npos) {
            return true;
        }
        segment.remove_prefix(slash + 1);
    }
}

} // namespace

std::optional<std::vector<std::string>> split_path(std::string_view path) {
    std::vector<std::string> segments;
    while (!path.empty()) {
        std::size_t slash = path.find('/');
        std::string_view raw = path.substr(0, slash);
        path = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
        if (raw.empty()) {
            continue;
        }
        std::optional<std::string> segment = percent_decoded(raw, false);
        if (!segment || !safe_segment(*segment)) {
            return std::nullopt;
        }
        segments.push_back(std::move(*segment));
    }
    return segments;
}

std::map<std::string, std::string> parse_query(std::string_view query) {
    std::map<std::string, std::string> values;
    while (!query.empty()) {
        std::size_t amp = query.find('&');
        std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
        std::size_t equals = pair.find('=');
        std::optional<std::string> name = percent_decoded(pair.substr(0, equals), true);
        std::optional<std::string> value =
            percent_decoded(equals == std::string_view::npos ? "" : pair.substr(equals + 1), true);
        if (name && value && !name->empty()) {
            values[*name] = *value;
        }
    }
    return values;
}

void Router::add(std::string method, std::string_view pattern, Handler handler) {
    Route route{std::move(method), {}, std::move(handler)};
    while (!pattern.empty()) {
        std::size_t slash = pattern.find('/');
        if (slash != 0) {
            route.pattern.emplace_back(pattern.substr(0, slash));
        }
        pattern = slash == std::string_view::npos ? std::string_view() : pattern.substr(slash + 1);
    }
    routes_.push_back(std::move(route));
}

Response Router::handle(const Request& request) const {
    bool path_known = false;
    for (const Route& route : routes_) {
        RouteParams params;
        std::size_t i = 0;
        bool matched = true;
        for (; i < route.pattern.size() && matched; ++i) {
            const std::string& part = route.pattern[i];
            if (part == "{*}") {
                if (i >= request.segments.size()) {
                    matched = false;
                    break;
                }
                std::string rest;
                for (std::size_t j = i; j < request.segments.size(); ++j) {
                    rest += (j == i ? "" : "/") + request.segments[j];
                }
                params["*"] = rest;
                i = request.segments.size();
                break;
            }
            if (i >= request.segments.size()) {
                matched = false;
            } else if (part.size() > 2 && part.front() == '{' && part.back() == '}') {
                params[part.substr(1, part.size() - 2)] = request.segments[i];
            } else if (part != request.segments[i]) {
                matched = false;
            }
        }
        if (!matched || i != request.segments.size()) {
            continue;
        }
        if (route.method != request.method) {
            path_known = true;
            continue;
        }
        return route.handler(request, params);
    }
    return path_known ? error_response(405, "method not allowed here") : error_response(404, "no such page");
}

} // namespace chain::server
