// A secret is masked where it is a value, never where it is structure: JSON keys and quotes stay, and a
// terminal line is masked whole before it is shortened.

#include "interpreter/secrets.hpp"
#include "interpreter/status.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>

using chain::mask_json_values;
using nlohmann::ordered_json;

TEST_CASE("a secret that is a JSON key or JSON's quote masks values only") {
    ordered_json document = {
        {"name", "name"}, {"argv", {"echo", "a \"name\" here", "ab"}}, {"nested", {{"name", 1}}}};
    mask_json_values(document, {"name", "\"ab\""});
    CHECK(document.dump() == R"({"name":"***","argv":["echo","a \"***\" here","ab"],"nested":{"name":1}})");
    mask_json_values(document, {"\""});
    CHECK(ordered_json::parse(document.dump())["argv"][1] == "a ********* here");
}

TEST_CASE("a secret too short to mask, missing or empty is a problem, and four characters are enough") {
    CHECK(chain::secret_problem("k", "K", nullptr)->message() == "secret k: K is not set");
    CHECK(chain::secret_problem("k", "K", "")->message() == "secret k: K is empty");
    CHECK(chain::secret_problem("k", "K", "abc")->message() ==
          "secret k: K has 3 characters; chain masks only secrets of 4 characters or more");
    CHECK(chain::secret_problem("k", "K", "\xc3\xa9t\xc3\xa9")->characters == 3);
    CHECK_FALSE(chain::secret_problem("k", "K", "\xc3\xa9t\xc3\xa9s").has_value());
}

TEST_CASE("a status line and a running stage's last line are masked before the live area cuts them") {
    std::FILE* file = std::tmpfile();
    auto terminal = chain::make_terminal_status(file);
    std::string secret = "0123456789abcdef";
    auto status = chain::make_masking_status(*terminal, {secret});
    status->event("FAILED  s: command not found: " + secret);
    status->refresh({{"s", std::chrono::milliseconds(0), std::string(50, '.') + secret}}, 0, 1);
    status->close();
    std::fflush(file);
    std::rewind(file);
    std::string written;
    for (int c = std::fgetc(file); c != EOF; c = std::fgetc(file)) {
        written += static_cast<char>(c);
    }
    std::fclose(file);
    CHECK(written.find("command not found: ***\n") != std::string::npos);
    CHECK(written.find(std::string(50, '.') + "***") != std::string::npos);
    CHECK(written.find("0123") == std::string::npos);
}
