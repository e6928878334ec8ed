#include "hmac.hpp"

#include "stdlib/sha256.hpp"

#include <array>

namespace chain::server {

namespace {

constexpr std::size_t block_size = 64;

std::string bytes_of_hex(const std::string& hex) {
    std::string bytes;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
        bytes.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    }
    return bytes;
}

} // namespace

std::string hmac_sha256_hex(std::string_view key, std::string_view message) {
    std::string block(key.size() > block_size ? bytes_of_hex(sha256_hex(key)) : std::string(key));
    block.resize(block_size, '\0');
    std::string inner_pad(block_size, '\0');
    std::string outer_pad(block_size, '\0');
    for (std::size_t i = 0; i < block_size; ++i) {
        inner_pad[i] = static_cast<char>(block[i] ^ 0x36);
        outer_pad[i] = static_cast<char>(block[i] ^ 0x5c);
    }
    Sha256 inner;
    inner.update(inner_pad);
    inner.update(message);
    Sha256 outer;
    outer.update(outer_pad);
    outer.update(bytes_of_hex(inner.hex()));
    return outer.hex();
}

bool equal_in_constant_time(std::string_view a, std::string_view b) {
    // The length of a signature or token is no secret; its bytes are.
    unsigned char difference = a.size() == b.size() ? 0 : 1;
    std::string_view shorter = a.size() <= b.size() ? a : b;
    std::string_view other = a.size() <= b.size() ? b : a;
    for (std::size_t i = 0; i < other.size(); ++i) {
        difference |= static_cast<unsigned char>(other[i] ^ (i < shorter.size() ? shorter[i] : 0));
    }
    return difference == 0;
}

} // namespace chain::server
