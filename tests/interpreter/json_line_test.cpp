#include "interpreter/json_line.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

using namespace chain;

namespace {

/// What nlohmann writes for the same document, masked the same way: the run record's bytes must not depend
/// on which of the two wrote it.
std::string nlohmann_line(nlohmann::ordered_json document, const std::vector<std::string>& secrets) {
    mask_json_values(document, secrets);
    return document.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

std::string json_line(const std::vector<std::string>& texts, const std::vector<std::string>& secrets) {
    SecretMasker masker(secrets);
    std::string out;
    JsonLine json(out, masker);
    json.begin_object();
    json.key("texts");
    json.begin_array();
    for (const std::string& text : texts) {
        json.text(text);
    }
    json.end_array();
    json.key("count");
    json.number(-42);
    json.key("empty");
    json.begin_object();
    json.end_object();
    json.key("flags");
    json.begin_array();
    json.boolean(true);
    json.boolean(false);
    json.end_array();
    json.key("na\"me\n");
    json.text("");
    json.end_object();
    return out;
}

nlohmann::ordered_json document(const std::vector<std::string>& texts) {
    nlohmann::ordered_json result;
    result["texts"] = texts;
    result["count"] = -42;
    result["empty"] = nlohmann::ordered_json::object();
    result["flags"] = {true, false};
    result["na\"me\n"] = "";
    return result;
}

} // namespace

TEST_CASE("a JSON line is written byte for byte as nlohmann would dump it") {
    std::vector<std::string> texts = {
        "plain",
        "quote \" backslash \\ slash /",
        "\b\f\n\r\t and \x01\x1f and \x7f",
        std::string("a nul \0 inside", 14),
        "ünïcödé ✓ 𝄞",
        "bad \xff byte",
        "cut \xe2\x9c",
        "overlong \xc0\xaf and surrogate \xed\xa0\x80",
    };
    CHECK(json_line(texts, {}) == nlohmann_line(document(texts), {}));
}

TEST_CASE("a JSON line masks secrets in values, never in keys") {
    std::vector<std::string> texts = {"token s3cr3t-value here", "s3cr3t-value", "no secret", "\"quoted\" s3cr3t-value\n"};
    std::vector<std::string> secrets = {"s3cr3t-value", "\"quoted\"", "na\"me"};
    std::string line = json_line(texts, secrets);
    CHECK(line == nlohmann_line(document(texts), secrets));
    CHECK(line.find("s3cr3t") == std::string::npos);
    CHECK(line.find(R"("na\"me\n":"")") != std::string::npos);
}

TEST_CASE("a JSON line escapes every byte that needs it, wherever it stands in the value") {
    // The plain text check looks at eight bytes at once: each byte value at each place of a word, and in the
    // tail after the last whole word, must come out as nlohmann writes it.
    for (int byte = 0; byte < 256; ++byte) {
        for (std::size_t place = 0; place < 19; ++place) {
            std::string text(19, 'a');
            text[place] = static_cast<char>(byte);
            std::vector<std::string> texts = {text};
            INFO("byte " << byte << " at " << place);
            REQUIRE(json_line(texts, {}) == nlohmann_line(document(texts), {}));
        }
    }
}
