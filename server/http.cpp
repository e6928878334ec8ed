#include "http.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <future>
#include <optional>
#include <stdexcept>
#include <thread>

namespace chain::server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

/// One connection: requests read one after the other, each within the time allowed.
class Session : public std::enable_shared_from_this<Session> {
  public:
    Session(tcp::socket&& socket, const Router& router, const HttpSettings& settings)
        : stream_(std::move(socket)), router_(router), settings_(settings) {}

    void start() {
        net::dispatch(stream_.get_executor(), beast::bind_front_handler(&Session::read, shared_from_this()));
    }

  private:
    void read() {
        parser_.emplace();
        parser_->body_limit(settings_.body_limit);
        parser_->header_limit(static_cast<std::uint32_t>(settings_.header_limit));
        // A client that stalls loses its connection when this passes; it never holds a thread meanwhile.
        stream_.expires_after(settings_.timeout);
        http::async_read_header(stream_, buffer_, *parser_,
                                beast::bind_front_handler(&Session::on_header, shared_from_this()));
    }

    /// curl asks with `Expect: 100-continue` before it sends a body over 1 KiB, and waits a second for the
    /// answer unless it gets one.
    void on_header(beast::error_code error, std::size_t bytes) {
        if (error || !beast::iequals(parser_->get()[http::field::expect], "100-continue")) {
            return error ? on_read(error, bytes) : read_body();
        }
        auto go_on = std::make_shared<http::response<http::empty_body>>(http::status::continue_, 11);
        http::async_write(stream_, *go_on,
                          [self = shared_from_this(), go_on](beast::error_code e, std::size_t n) {
                              return e ? self->on_read(e, n) : self->read_body();
                          });
    }

    void read_body() {
        http::async_read(stream_, buffer_, *parser_,
                         beast::bind_front_handler(&Session::on_read, shared_from_this()));
    }

    void on_read(beast::error_code error, std::size_t) {
        if (error == http::error::body_limit) {
            return send(
                error_response(413, fmt::format("the body is larger than {} bytes", settings_.body_limit)),
                false);
        }
        if (error == http::error::header_limit) {
            return send(error_response(431, "the request's headers are too large"), false);
        }
        if (error && error.category() == http::make_error_code(http::error::bad_method).category() &&
            error != http::error::end_of_stream && error != http::error::partial_message) {
            return send(error_response(400, "the request is not valid HTTP"), false);
        }
        if (error) {
            // The client went away or let its time pass: nothing to answer.
            beast::error_code ignored;
            stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
            return;
        }
        http::request<http::string_body> message = parser_->release();
        send(answer(message), message.keep_alive());
    }

    Response answer(const http::request<http::string_body>& message) {
        std::string_view target(message.target().data(), message.target().size());
        std::size_t question = target.find('?');
        std::optional<std::vector<std::string>> segments = split_path(target.substr(0, question));
        if (!segments) {
            return error_response(400, "the path holds '.' or '..' or a broken %-escape");
        }
        Request request;
        request.method = std::string(message.method_string());
        request.segments = std::move(*segments);
        if (question != std::string_view::npos) {
            request.query = parse_query(target.substr(question + 1));
        }
        for (const auto& field : message) {
            std::string name(field.name_string());
            std::transform(name.begin(), name.end(), name.begin(),
                           [](unsigned char c) { return std::tolower(c); });
            request.headers[name] = std::string(field.value());
        }
        request.body = message.body();
        try {
            return router_.handle(request);
        } catch (const std::exception& failure) {
            return error_response(500, failure.what());
        }
    }

    template <typename Body>
    void prepare(http::response<Body>& out, const Response& response, bool keep_alive) {
        out.result(static_cast<http::status>(response.status));
        out.set(http::field::server, "chain");
        out.set(http::field::content_type, response.content_type);
        out.set(http::field::cache_control, "no-store");
        out.set("X-Content-Type-Options", "nosniff");
        for (const auto& [name, value] : response.headers) {
            out.set(name, value);
        }
        out.keep_alive(keep_alive);
        out.prepare_payload();
    }

    void send(const Response& response, bool keep_alive) {
        stream_.expires_after(settings_.timeout);
        if (!response.file.empty()) {
            http::file_body::value_type file;
            beast::error_code error;
            file.open(response.file.c_str(), beast::file_mode::scan, error);
            if (!error) {
                auto out = std::make_shared<http::response<http::file_body>>();
                out->body() = std::move(file);
                prepare(*out, response, keep_alive);
                return http::async_write(
                    stream_, *out,
                    [self = shared_from_this(), out, keep_alive](beast::error_code e, std::size_t) {
                        self->written(e, keep_alive);
                    });
            }
            return send(error_response(404, "no such file"), keep_alive);
        }
        auto out = std::make_shared<http::response<http::string_body>>();
        out->body() = response.body;
        prepare(*out, response, keep_alive);
        http::async_write(stream_, *out,
                          [self = shared_from_this(), out, keep_alive](beast::error_code e, std::size_t) {
                              self->written(e, keep_alive);
                          });
    }

    void written(beast::error_code error, bool keep_alive) {
        if (!error && keep_alive) {
            return read();
        }
        beast::error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    }

    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    const Router& router_;
    const HttpSettings& settings_;
};

} // namespace

struct HttpServer::State {
    HttpSettings settings;
    const Router& router;
    net::io_context context;
    tcp::acceptor acceptor{net::make_strand(context)};
    std::vector<std::thread> threads;

    State(const HttpSettings& s, const Router& r) : settings(s), router(r) {}

    void accept() {
        acceptor.async_accept(net::make_strand(context), [this](beast::error_code error, tcp::socket socket) {
            if (!acceptor.is_open()) {
                return;
            }
            if (!error) {
                std::make_shared<Session>(std::move(socket), router, settings)->start();
            }
            accept();
        });
    }
};

HttpServer::HttpServer(const HttpSettings& settings, const Router& router)
    : state_(std::make_unique<State>(settings, router)) {
    beast::error_code error;
    net::ip::address address = net::ip::make_address(settings.host, error);
    if (error) {
        throw std::runtime_error(fmt::format("'{}' is not an IP address to listen on", settings.host));
    }
    tcp::endpoint endpoint(address, settings.port);
    tcp::acceptor& acceptor = state_->acceptor;
    acceptor.open(endpoint.protocol(), error);
    if (!error) {
        acceptor.set_option(net::socket_base::reuse_address(true), error);
    }
    if (!error) {
        acceptor.bind(endpoint, error);
    }
    if (!error) {
        acceptor.listen(net::socket_base::max_listen_connections, error);
    }
    if (error) {
        throw std::runtime_error(
            fmt::format("cannot listen on {}:{}: {}", settings.host, settings.port, error.message()));
    }
}

HttpServer::~HttpServer() {
    stop();
}

std::uint16_t HttpServer::port() const {
    return state_->acceptor.local_endpoint().port();
}

void HttpServer::serve_until_signal() {
    net::signal_set signals(state_->context, SIGTERM, SIGINT);
    std::promise<void> signalled;
    signals.async_wait([&](beast::error_code, int) {
        beast::error_code ignored;
        state_->acceptor.close(ignored);
        signalled.set_value();
    });
    state_->accept();
    for (unsigned i = 0; i < std::max(1u, state_->settings.threads); ++i) {
        state_->threads.emplace_back([this] { state_->context.run(); });
    }
    signalled.get_future().wait();
}

void HttpServer::stop() {
    state_->context.stop();
    for (std::thread& thread : state_->threads) {
        thread.join();
    }
    state_->threads.clear();
}

} // namespace chain::server
