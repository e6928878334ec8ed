#include "downstream.hpp"

#include "stdlib/trigger.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

extern char** environ;

namespace chain::server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

struct Reply {
    int status = 0;
    std::string body;
};

/// One request to the server (`http://HOST:PORT`), on a connection of its own.
Reply call(const std::string& server, http::verb method, const std::string& target, const std::string& body,
           const std::string& token) {
    std::string rest = server.rfind("http://", 0) == 0 ? server.substr(7) : server;
    std::size_t colon = rest.rfind(':');
    std::string host = rest.substr(0, colon);
    std::string port = colon == std::string::npos ? "80" : rest.substr(colon + 1);
    net::io_context context;
    tcp::resolver resolver(context);
    beast::tcp_stream stream(context);
    stream.expires_after(std::chrono::seconds(30));
    stream.connect(resolver.resolve(host, port));
    http::request<http::string_body> request(method, target, 11);
    request.set(http::field::host, host);
    request.set(http::field::content_type, "application/json");
    request.set("X-Chain-Run-Token", token);
    request.body() = body;
    request.prepare_payload();
    http::write(stream, request);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    http::read(stream, buffer, parser);
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    return Reply{static_cast<int>(parser.get().result_int()), parser.get().body()};
}

std::string environment(const char* name) {
    const char* value = std::getenv(name);
    return value ? value : "";
}

} // namespace

bool inside_served_run() {
    return !environment("CHAIN_SERVER_URL").empty();
}

int trigger_through_server(const std::string& repository, const std::string& ref,
                           const std::string& record_copy) {
    std::string server = environment("CHAIN_SERVER_URL");
    std::string upstream = environment("CHAIN_SERVER_RUN");
    std::string token = environment("CHAIN_SERVER_RUN_TOKEN");
    if (server.empty() || upstream.empty()) {
        fmt::print(stderr, "chain: error: serve-trigger runs only as a step of a run of chain serve\n");
        return 2;
    }
    std::string problem = ref.rfind("refs/heads/", 0) == 0 || ref.rfind("refs/tags/", 0) == 0
                              ? stdlib::downstream_ref_problem(ref)
                              : "given is not refs/heads/... or refs/tags/...";
    if (!problem.empty()) {
        fmt::print(stderr, "chain: error: {} is not started: the ref {}\n", repository, problem);
        return 2;
    }
    try {
        nlohmann::json request{{"repository", repository}, {"ref", ref}, {"env", nlohmann::json::object()}};
        for (char** variable = environ; *variable; ++variable) {
            std::string_view entry = *variable;
            if (entry.rfind("CHAIN_UPSTREAM_", 0) == 0 && entry.find('=') != std::string_view::npos) {
                // An artifact's path is relative to this run's folder; the downstream runs in its own.
                std::string value(entry.substr(entry.find('=') + 1));
                std::error_code missing;
                if (!value.empty() && std::filesystem::exists(value, missing)) {
                    value = std::filesystem::absolute(value).string();
                }
                request["env"][std::string(entry.substr(0, entry.find('=')))] = value;
            }
        }
        Reply queued = call(server, http::verb::post, fmt::format("/internal/runs/{}/trigger", upstream),
                            request.dump(), token);
        nlohmann::json answer = nlohmann::json::parse(queued.body, nullptr, false);
        if (queued.status != 202 || !answer.is_object() || !answer.contains("run")) {
            fmt::print(stderr, "chain: error: the server did not start {} at {}: {}\n", repository, ref,
                       answer.is_object() ? answer.value("error", queued.body) : queued.body);
            return 2;
        }
        std::int64_t id = answer["run"].get<std::int64_t>();
        fmt::print("{} at {}: run {} of the server\n", repository, ref, id);
        std::fflush(stdout);
        // The downstream's run takes as long as it takes; asking every half second costs the server nothing.
        while (true) {
            Reply state = call(server, http::verb::get, fmt::format("/api/runs/{}", id), "", token);
            nlohmann::json run = nlohmann::json::parse(state.body, nullptr, false);
            if (state.status != 200 || !run.is_object()) {
                fmt::print(stderr, "chain: error: the server lost run {} ({})\n", id, state.status);
                return 2;
            }
            std::string status = run.value("status", "");
            if (status != "queued" && status != "running") {
                nlohmann::json record = run["record"];
                if (!record.is_object()) {
                    bool tag = ref.rfind("refs/tags/", 0) == 0;
                    record = {
                        {"pipeline", repository},
                        {"ref", {{"kind", tag ? "tag" : "branch"}, {"name", ref.substr(tag ? 10 : 11)}}},
                        {"status", status},
                        {"stages", nlohmann::json::array()}};
                }
                record["server_run"] = id;
                std::ofstream(record_copy, std::ios::binary) << record.dump(2) << "\n";
                fmt::print("run {} of {}: {}\n", id, repository, status);
                return status == "success" ? 0 : 1;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(500));
        }
    } catch (const std::exception& failure) {
        fmt::print(stderr, "chain: error: cannot reach the server at {}: {}\n", server, failure.what());
        return 2;
    }
}

} // namespace chain::server
