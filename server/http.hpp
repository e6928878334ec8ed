#pragma once
// The HTTP side, on Boost.Beast: accepts connections, reads each request within the limits and the time
// allowed, hands it to the router and writes the answer. The only file that includes Beast's server parts.

#include "routes.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace chain::server {

/// Where to listen and what a client may send.
struct HttpSettings {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8080;            // 0: any free port
    std::chrono::seconds timeout{10};     // to send a whole request, or to read an answer
    std::size_t body_limit = 1024 * 1024; // bytes; more is 413
    std::size_t header_limit = 16 * 1024; // bytes of the request line and headers; more is 431
    unsigned threads = 4;
};

class HttpServer {
  public:
    /// Binds the address; throws std::runtime_error naming it when it cannot.
    HttpServer(const HttpSettings& settings, const Router& router);
    ~HttpServer();
    /// The port bound (the one chosen when the settings said 0).
    std::uint16_t port() const;
    /// Serves until SIGTERM or SIGINT arrives, then stops accepting and returns; requests already read are
    /// still answered until stop().
    void serve_until_signal();
    /// Closes every connection and ends the threads.
    void stop();

  private:
    struct State;
    std::unique_ptr<State> state_;
};

} // namespace chain::server
