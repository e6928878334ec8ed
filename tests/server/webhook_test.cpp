#include "server/hmac.hpp"
#include "server/webhook.hpp"

#include <catch2/catch.hpp>

using namespace chain::server;

namespace {

ServerConfig two_repositories() {
    ServerConfig config;
    config.repositories = {{"acme-utils", "/srv/git/acme-utils.git", "U", "utils-secret"},
                           {"acme-web", "https://git.example.org/acme/acme-web.git", "W", "web-secret"}};
    return config;
}

const std::string commit = "0123456789abcdef0123456789abcdef01234567";

} // namespace

TEST_CASE("A GitHub push, signed, is the push of its repository, branch and commit", "[server][webhook]") {
    std::string body = R"({"ref": "refs/heads/develop", "after": ")" + commit +
                       R"(", "repository": {"name": "acme-web"}, "pusher": {"name": "alice"}})";
    WebhookResult result =
        read_webhook("github",
                     {{"x-github-event", "push"},
                      {"x-hub-signature-256", "sha256=" + hmac_sha256_hex("web-secret", body)}},
                     body, two_repositories());
    REQUIRE(result.push);
    CHECK(result.status == 202);
    CHECK(result.push->repository == "acme-web");
    CHECK(result.push->ref == "refs/heads/develop");
    CHECK(result.push->commit == commit);
    CHECK(result.push->pusher == "alice");
}

TEST_CASE("A GitLab tag push names its project by clone URL and is verified by its token",
          "[server][webhook]") {
    std::string body =
        R"({"object_kind": "tag_push", "ref": "refs/tags/v1.0.0", "after": ")" + commit +
        R"(", "user_username": "bob", "project": {"name": "Web", "git_http_url": "https://git.example.org/acme/acme-web.git"}})";
    WebhookResult result =
        read_webhook("gitlab", {{"x-gitlab-event", "Tag Push Hook"}, {"x-gitlab-token", "web-secret"}}, body,
                     two_repositories());
    REQUIRE(result.push);
    CHECK(result.push->repository == "acme-web");
    CHECK(result.push->ref == "refs/tags/v1.0.0");
    CHECK(result.push->pusher == "bob");
    // Another repository's token is not this one's.
    CHECK(read_webhook("gitlab", {{"x-gitlab-event", "Tag Push Hook"}, {"x-gitlab-token", "utils-secret"}},
                       body, two_repositories())
              .status == 401);
}

TEST_CASE("Webhooks that start nothing", "[server][webhook]") {
    ServerConfig config = two_repositories();
    auto gitea = [&](const std::string& body, const std::string& event = "push") {
        return read_webhook(
            "gitea", {{"x-gitea-event", event}, {"x-gitea-signature", hmac_sha256_hex("utils-secret", body)}},
            body, config);
    };
    std::string deletion = R"({"ref": "refs/heads/old", "after": ")" + std::string(40, '0') +
                           R"(", "repository": {"name": "acme-utils"}})";
    CHECK(gitea(deletion).status == 200);
    CHECK_FALSE(gitea(deletion).push);
    CHECK(gitea(R"({"action": "opened"})", "pull_request").status == 200);
    CHECK(gitea("[1, 2").status == 400);
    CHECK(gitea(R"({"ref": "develop", "after": ")" + commit + R"(", "repository": {"name": "acme-utils"}})")
              .status == 400);
    CHECK(
        gitea(R"({"ref": "refs/heads/x", "after": ")" + commit + R"(", "repository": {"name": "acme-api"}})")
            .status == 404);
    // Signed with acme-utils' secret, but naming acme-web: not verified for acme-web.
    CHECK(
        gitea(R"({"ref": "refs/heads/x", "after": ")" + commit + R"(", "repository": {"name": "acme-web"}})")
            .status == 401);
    CHECK(read_webhook("gitea", {{"x-gitea-event", "push"}}, deletion, config).status == 401);
}
