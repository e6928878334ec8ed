#include "webhook.hpp"

#include "hmac.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fmt/format.h>
#include <set>

namespace chain::server {

namespace {

std::string header(const std::map<std::string, std::string>& headers, const std::string& name) {
    auto found = headers.find(name);
    return found == headers.end() ? "" : found->second;
}

/// The repositories whose secret signed this body. Every secret is tried, each in constant time, so that
/// the answer's time says nothing about which one came closest.
std::set<std::string> signed_by(const std::string& host, const std::map<std::string, std::string>& headers,
                                const std::string& body, const ServerConfig& config) {
    std::set<std::string> names;
    std::string given;
    if (host == "github") {
        given = header(headers, "x-hub-signature-256");
        if (given.rfind("sha256=", 0) != 0) {
            return names;
        }
        given = given.substr(7);
    } else if (host == "gitea") {
        given = header(headers, "x-gitea-signature");
        if (given.empty()) {
            given = header(headers, "x-forgejo-signature");
        }
    } else {
        given = header(headers, "x-gitlab-token");
    }
    if (given.empty()) {
        return names;
    }
    for (const RepositoryConfig& repository : config.repositories) {
        std::string expected =
            host == "gitlab" ? repository.secret : hmac_sha256_hex(repository.secret, body);
        std::string seen = given;
        if (host != "gitlab") {
            std::transform(seen.begin(), seen.end(), seen.begin(),
                           [](unsigned char c) { return std::tolower(c); });
        }
        if (equal_in_constant_time(seen, expected)) {
            names.insert(repository.name);
        }
    }
    return names;
}

std::string text_at(const nlohmann::json& body, const nlohmann::json::json_pointer& pointer) {
    return body.contains(pointer) && body.at(pointer).is_string() ? body.at(pointer).get<std::string>() : "";
}

/// The names and URLs the body gives its repository by, in each host's own fields.
std::vector<std::string> repository_names(const std::string& host, const nlohmann::json& body) {
    using pointer = nlohmann::json::json_pointer;
    std::vector<std::string> names;
    std::vector<std::string> fields =
        host == "gitlab" ? std::vector<std::string>{"/project/name",
                                                    "/project/path",
                                                    "/project/path_with_namespace",
                                                    "/project/git_http_url",
                                                    "/project/git_ssh_url",
                                                    "/repository/name"}
                         : std::vector<std::string>{"/repository/name", "/repository/full_name",
                                                    "/repository/clone_url", "/repository/ssh_url"};
    for (const std::string& field : fields) {
        if (std::string value = text_at(body, pointer(field)); !value.empty()) {
            names.push_back(value);
        }
    }
    return names;
}

bool is_commit_id(const std::string& text) {
    return text.size() == 40 && std::all_of(text.begin(), text.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
}

} // namespace

WebhookResult read_webhook(const std::string& host, const std::map<std::string, std::string>& headers,
                           const std::string& body, const ServerConfig& config) {
    std::set<std::string> verified = signed_by(host, headers, body, config);
    if (verified.empty()) {
        return {401, "the signature is missing or matches no repository's secret", std::nullopt};
    }
    nlohmann::json document = nlohmann::json::parse(body, nullptr, false);
    if (!document.is_object()) {
        return {400, "the body is not a JSON object", std::nullopt};
    }
    std::string event = host == "github"  ? header(headers, "x-github-event")
                        : host == "gitea" ? header(headers, "x-gitea-event")
                                          : header(headers, "x-gitlab-event");
    if (host == "gitea" && event.empty()) {
        event = header(headers, "x-forgejo-event");
    }
    if (event == "ping") {
        return {200, "pong", std::nullopt};
    }
    bool push = host == "gitlab" ? event == "Push Hook" || event == "Tag Push Hook" : event == "push";
    if (!push) {
        return {200, fmt::format("ignored: the event '{}' is not a push", event), std::nullopt};
    }
    std::string ref = text_at(document, nlohmann::json::json_pointer("/ref"));
    std::string after = text_at(document, nlohmann::json::json_pointer("/after"));
    if ((ref.rfind("refs/heads/", 0) != 0 && ref.rfind("refs/tags/", 0) != 0) || !is_commit_id(after)) {
        return {400, "a push needs \"ref\" (refs/heads/... or refs/tags/...) and \"after\" (a commit id)",
                std::nullopt};
    }
    std::vector<std::string> names = repository_names(host, document);
    const RepositoryConfig* repository = nullptr;
    for (const RepositoryConfig& candidate : config.repositories) {
        if (std::find(names.begin(), names.end(), candidate.name) != names.end() ||
            std::find(names.begin(), names.end(), candidate.url) != names.end()) {
            // A secret shared by several repositories (an organisation's hook) picks among the verified ones.
            if (!repository || verified.count(candidate.name)) {
                repository = &candidate;
            }
        }
    }
    if (!repository) {
        return {404,
                fmt::format("no repository of this server is named {}",
                            names.empty() ? std::string("in the body") : "'" + names.front() + "'"),
                std::nullopt};
    }
    if (!verified.count(repository->name)) {
        return {401, "the signature does not match the secret of repository '" + repository->name + "'",
                std::nullopt};
    }
    if (after == std::string(40, '0')) {
        return {200, "ignored: a deletion starts nothing", std::nullopt};
    }
    std::string pusher = host == "gitlab" ? text_at(document, nlohmann::json::json_pointer("/user_username"))
                                          : text_at(document, nlohmann::json::json_pointer("/pusher/name"));
    if (pusher.empty() && host == "gitea") {
        pusher = text_at(document, nlohmann::json::json_pointer("/pusher/login"));
    }
    return {202, "queued", PushEvent{repository->name, ref, after, pusher}};
}

} // namespace chain::server
