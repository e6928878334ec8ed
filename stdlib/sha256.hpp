#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace chain {

/// SHA-256 (FIPS 180-4), fed in pieces; artifacts and cache keys are named by it.
class Sha256 {
  public:
    /// How blocks are compressed: with the CPU's SHA instructions where it has them (x86-64 with the SHA
    /// extensions: cache keys and artifacts hash several times faster), else in portable C++; `portable`
    /// always in portable C++, so that tests compare the two.
    enum class Engine { fastest, portable };

    explicit Sha256(Engine engine = Engine::fastest);
    void update(std::string_view data);
    /// The digest as 64 lowercase hex digits; the object is spent afterwards.
    std::string hex();

  private:
    void block(const std::uint8_t* data);
    bool cpu_instructions_;
    std::array<std::uint32_t, 8> state_;
    std::array<std::uint8_t, 64> buffer_{};
    std::size_t buffered_ = 0;
    std::uint64_t length_ = 0;
};

std::string sha256_hex(std::string_view data);

} // namespace chain
