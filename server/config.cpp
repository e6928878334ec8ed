#include "config.hpp"

#define TOML_HEADER_ONLY 1
#define TOML_EXCEPTIONS 1
#include <toml++/toml.h>

#include <fmt/format.h>

#include <algorithm>
#include <arpa/inet.h>
#include <cstdlib>
#include <set>

namespace chain::server {

namespace fs = std::filesystem;

const RepositoryConfig* ServerConfig::repository(std::string_view name) const {
    for (const RepositoryConfig& repository : repositories) {
        if (repository.name == name) {
            return &repository;
        }
    }
    return nullptr;
}

std::vector<std::string> ServerConfig::secrets() const {
    std::vector<std::string> values;
    if (!token.empty()) {
        values.push_back(token);
    }
    for (const RepositoryConfig& repository : repositories) {
        values.push_back(repository.secret);
    }
    return values;
}

namespace {

/// Collects the problems of one file, each at its line.
struct Problems {
    const fs::path& file;
    std::vector<std::string>& errors;

    void add(const toml::source_region& where, const std::string& message) {
        errors.push_back(fmt::format("{}:{}: error: {}", file.string(), where.begin.line, message));
    }
};

std::optional<std::string> text(const toml::table& table, std::string_view key, Problems& problems) {
    const toml::node* node = table.get(key);
    if (!node) {
        return std::nullopt;
    }
    if (const auto* value = node->as_string()) {
        return value->get();
    }
    problems.add(node->source(), fmt::format("'{}' must be a string", key));
    return std::nullopt;
}

std::optional<unsigned> count(const toml::table& table, std::string_view key, std::int64_t lowest,
                              Problems& problems) {
    const toml::node* node = table.get(key);
    if (!node) {
        return std::nullopt;
    }
    const auto* value = node->as_integer();
    if (!value || value->get() < lowest || value->get() > 1000000) {
        problems.add(node->source(),
                     fmt::format("'{}' must be a whole number from {} to 1000000", key, lowest));
        return std::nullopt;
    }
    return static_cast<unsigned>(value->get());
}

void refuse_unknown_keys(const toml::table& table, const std::set<std::string_view>& known,
                         std::string_view where, Problems& problems) {
    for (auto&& [key, node] : table) {
        if (!known.count(key.str())) {
            std::string names;
            for (std::string_view name : known) {
                names += (names.empty() ? "" : ", ") + std::string(name);
            }
            problems.add(key.source(),
                         fmt::format("unknown key '{}' {}; the keys are {}", key.str(), where, names));
        }
    }
}

/// The value of the variable a secret is read from; a problem when it is unset or empty.
std::string secret_value(const std::string& variable, const toml::source_region& where, std::string_view what,
                         Problems& problems) {
    const char* value = std::getenv(variable.c_str());
    if (!value || !*value) {
        problems.add(where, fmt::format("{} {} is {}: set it in the server's environment", what, variable,
                                        value ? "empty" : "not set"));
        return "";
    }
    return value;
}

bool plain_name(const std::string& name) {
    return !name.empty() && name.front() != '.' && std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
    });
}

void read_listen(const std::string& listen, const toml::source_region& where, ServerConfig& config,
                 Problems& problems) {
    std::size_t colon = listen.rfind(':');
    unsigned long port = 0;
    bool valid = colon != std::string::npos && colon > 0 && colon + 1 < listen.size() &&
                 listen.find_first_not_of("0123456789", colon + 1) == std::string::npos;
    if (valid) {
        port = std::stoul(listen.substr(colon + 1).substr(0, 6));
        valid = port <= 65535;
    }
    if (!valid) {
        problems.add(where, fmt::format("listen = \"{}\" is not HOST:PORT (such as 127.0.0.1:8080)", listen));
        return;
    }
    config.host = listen.substr(0, colon);
    if (config.host.size() > 2 && config.host.front() == '[' && config.host.back() == ']') {
        config.host = config.host.substr(1, config.host.size() - 2);
    }
    unsigned char address[sizeof(in6_addr)];
    if (inet_pton(AF_INET, config.host.c_str(), address) != 1 &&
        inet_pton(AF_INET6, config.host.c_str(), address) != 1) {
        problems.add(
            where, fmt::format("listen = \"{}\": the host must be an IP address (127.0.0.1, 0.0.0.0, [::1])",
                               listen));
    }
    config.port = static_cast<std::uint16_t>(port);
}

void read_repositories(const toml::table& root, ServerConfig& config, Problems& problems) {
    const toml::node* node = root.get("repository");
    if (!node) {
        return;
    }
    const toml::array* list = node->as_array();
    if (!list) {
        problems.add(node->source(), "'repository' must be a list of tables: write each as [[repository]]");
        return;
    }
    std::set<std::string> names;
    for (const toml::node& item : *list) {
        const toml::table* table = item.as_table();
        if (!table) {
            problems.add(item.source(), "each repository must be a table: write it as [[repository]]");
            continue;
        }
        refuse_unknown_keys(*table, {"name", "url", "secret_env"}, "in [[repository]]", problems);
        RepositoryConfig repository;
        std::optional<std::string> name = text(*table, "name", problems);
        std::optional<std::string> url = text(*table, "url", problems);
        std::optional<std::string> secret_env = text(*table, "secret_env", problems);
        for (auto [key, value] : {std::pair{"name", &name}, {"url", &url}, {"secret_env", &secret_env}}) {
            if (!*value && !table->get(key)) {
                problems.add(table->source(), fmt::format("this repository has no '{}'", key));
            }
        }
        if (name) {
            if (!plain_name(*name)) {
                problems.add(
                    table->get("name")->source(),
                    fmt::format("repository name '{}' may hold only letters, digits, '.', '_' and '-', and "
                                "not start with '.'",
                                *name));
            } else if (!names.insert(*name).second) {
                problems.add(table->get("name")->source(),
                             fmt::format("repository '{}' is listed twice", *name));
            }
            repository.name = *name;
        }
        if (url) {
            repository.url = *url;
            // A path is read relative to the config file, as `state` is.
            if (url->find("://") == std::string::npos && url->find(':') == std::string::npos) {
                repository.url = (config.file.parent_path() / *url).lexically_normal().string();
            }
        }
        if (secret_env) {
            repository.secret_env = *secret_env;
            repository.secret = secret_value(*secret_env, table->get("secret_env")->source(),
                                             "the webhook secret variable", problems);
        }
        config.repositories.push_back(std::move(repository));
    }
}

} // namespace

std::optional<ServerConfig> load_config(const fs::path& file, std::vector<std::string>& errors) {
    ServerConfig config;
    config.file = fs::absolute(file);
    Problems problems{file, errors};
    std::error_code missing;
    if (!fs::is_regular_file(file, missing)) {
        errors.push_back(
            fmt::format("{}: error: no such file: write the server's configuration there, or name it "
                        "with --config",
                        file.string()));
        return std::nullopt;
    }
    toml::table root;
    try {
        root = toml::parse_file(file.string());
    } catch (const toml::parse_error& error) {
        problems.add(error.source(), std::string(error.description()));
        return std::nullopt;
    }
    refuse_unknown_keys(root,
                        {"listen", "state", "jobs", "token_env", "keep_runs", "request_timeout",
                         "grace_seconds", "repository"},
                        "at the top", problems);
    if (std::optional<std::string> listen = text(root, "listen", problems)) {
        read_listen(*listen, root.get("listen")->source(), config, problems);
    }
    config.state = config.file.parent_path() / text(root, "state", problems).value_or("chain-server");
    config.state = config.state.lexically_normal();
    config.jobs = count(root, "jobs", 1, problems).value_or(config.jobs);
    config.keep_runs = count(root, "keep_runs", 1, problems).value_or(config.keep_runs);
    config.request_timeout = count(root, "request_timeout", 1, problems).value_or(config.request_timeout);
    config.grace_seconds = count(root, "grace_seconds", 1, problems).value_or(config.grace_seconds);
    if (std::optional<std::string> token_env = text(root, "token_env", problems)) {
        config.token_env = *token_env;
        config.token =
            secret_value(*token_env, root.get("token_env")->source(), "the token variable", problems);
    }
    read_repositories(root, config, problems);
    if (!errors.empty()) {
        return std::nullopt;
    }
    return config;
}

} // namespace chain::server
