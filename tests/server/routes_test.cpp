#include "server/routes.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace chain::server;

TEST_CASE("A path is split into decoded segments, and one that could leave its folder is refused",
          "[server][routes]") {
    CHECK(split_path("/api/runs/12/log/test%5Bpython%3D3.11%5D/1-test.log") ==
          std::vector<std::string>{"api", "runs", "12", "log", "test[python=3.11]", "1-test.log"});
    CHECK(split_path("//api//runs/") == std::vector<std::string>{"api", "runs"});
    CHECK(split_path("/badge/acme-utils/feature%2Fx.svg") ==
          std::vector<std::string>{"badge", "acme-utils", "feature/x.svg"});
    CHECK(split_path("/api/runs/1/log/.chain") ==
          std::vector<std::string>{"api", "runs", "1", "log", ".chain"});
    for (const char* bad : {"/a/../b", "/a/./b", "/a/%2e%2e/b", "/a/%2E%2e", "/a/.%2e/b", "/a/%2e",
                            "/a/..%2fb", "/a/b%2f..", "/a/%2fb", "/a/b%2f", "/a/b%2f%2fc", "/a/b%2f.%2fc",
                            "/a/b%5cc", "/a/b%00", "/a/%zz", "/a/%2", "/a/%"}) {
        INFO(bad);
        CHECK_FALSE(split_path(bad));
    }
}

TEST_CASE("A query is decoded", "[server][routes]") {
    auto query = parse_query("repository=acme%2Dweb&x=a+b&=skipped&flag");
    CHECK(query.at("repository") == "acme-web");
    CHECK(query.at("x") == "a b");
    CHECK(query.at("flag").empty());
    CHECK(query.size() == 3);
}

TEST_CASE("The route table matches patterns, the rest of a path, and tells a wrong method apart",
          "[server][routes]") {
    Router router;
    router.add("GET", "/api/runs/{id}", [](const Request&, const RouteParams& params) {
        return json_response(200, {{"id", params.at("id")}});
    });
    router.add("GET", "/api/runs/{id}/log/{*}", [](const Request&, const RouteParams& params) {
        return json_response(200, {{"id", params.at("id")}, {"log", params.at("*")}});
    });
    Request request;
    request.method = "GET";
    request.segments = {"api", "runs", "7"};
    CHECK(router.handle(request).body == "{\"id\":\"7\"}\n");
    request.segments = {"api", "runs", "7", "log", "build", "1-sh.log"};
    CHECK(router.handle(request).body == "{\"id\":\"7\",\"log\":\"build/1-sh.log\"}\n");
    request.segments = {"api", "runs", "7", "log"};
    CHECK(router.handle(request).status == 404);
    request.method = "DELETE";
    request.segments = {"api", "runs", "7"};
    CHECK(router.handle(request).status == 405);
}
