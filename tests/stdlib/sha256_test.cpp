#include "stdlib/sha256.hpp"

#include <catch2/catch.hpp>

#include <random>
#include <string>

using chain::Sha256;

namespace {

std::string digest(std::string_view data, Sha256::Engine engine, std::size_t piece = std::string_view::npos) {
    Sha256 hash(engine);
    for (std::size_t at = 0; at < data.size(); at += piece) {
        hash.update(data.substr(at, piece));
    }
    return hash.hex();
}

} // namespace

TEST_CASE("SHA-256 gives the digests of FIPS 180-4's examples, with either engine") {
    for (Sha256::Engine engine : {Sha256::Engine::fastest, Sha256::Engine::portable}) {
        CHECK(digest("", engine) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        CHECK(digest("abc", engine) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        CHECK(digest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", engine) ==
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
        CHECK(digest(std::string(1000000, 'a'), engine, 997) ==
              "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    }
}

TEST_CASE("SHA-256 with the CPU's instructions equals the portable code on every length and split") {
    std::mt19937 random(2026);
    std::string data;
    for (std::size_t length = 0; length < 300; ++length) {
        std::size_t piece = 1 + random() % 80;
        INFO("length " << length << ", pieces of " << piece);
        CHECK(digest(data, Sha256::Engine::fastest, piece) == digest(data, Sha256::Engine::portable));
        data += static_cast<char>(random());
    }
}
