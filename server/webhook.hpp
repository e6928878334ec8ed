#pragma once
// Push webhooks of GitHub, GitLab and Gitea (Forgejo): verified first, then read as one PushEvent.

#include "config.hpp"

#include <map>
#include <optional>
#include <string>

namespace chain::server {

/// A push the server builds: which repository, which ref, which commit, and who pushed it.
struct PushEvent {
    std::string repository; // the name in the config
    std::string ref;        // refs/heads/develop, refs/tags/v1.0.0
    std::string commit;     // 40 hex digits
    std::string pusher;
};

/// What to answer a webhook, and the push to queue when there is one.
struct WebhookResult {
    int status = 200;
    std::string message;
    std::optional<PushEvent> push;
};

/// Reads one webhook of `host` (github, gitlab or gitea). Its signature (or GitLab's token) is checked
/// against the secrets of the configured repositories before the body is parsed: 401 when none matches or
/// the repository it names is not one whose secret matched, 400 for a body that is not a push, 404 for a
/// repository the server does not build; a ping, a deletion or another event is answered 200 with nothing
/// to run. `headers` have lower-case names.
WebhookResult read_webhook(const std::string& host, const std::map<std::string, std::string>& headers,
                           const std::string& body, const ServerConfig& config);

} // namespace chain::server
