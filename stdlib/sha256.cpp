#include "sha256.hpp"

#include <cstring>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#include <immintrin.h>
#define CHAIN_SHA_INSTRUCTIONS 1
#endif

namespace chain {

namespace {

constexpr std::uint32_t round_constants[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

constexpr std::uint32_t rotate_right(std::uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

#ifdef CHAIN_SHA_INSTRUCTIONS

bool cpu_has_sha_instructions() {
    unsigned int eax = 0, ebx = 0, ecx = 0, edx = 0;
    // Leaf 7: EBX bit 29 is SHA; leaf 1: ECX bits 19 (SSE4.1) and 9 (SSSE3), which the code below also uses.
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) || !(ebx & (1u << 29))) {
        return false;
    }
    return __get_cpuid(1, &eax, &ebx, &ecx, &edx) && (ecx & (1u << 19)) && (ecx & (1u << 9));
}

/// One block with the SHA extensions. They keep the state as ABEF and CDGH, and take the message four
/// words at a time: each group of four rounds adds its round constants to the words, and the schedule of
/// words 16 to 63 comes from sha256msg1/sha256msg2 over the four groups before.
__attribute__((target("sha,sse4.1,ssse3"))) void block_with_sha_instructions(std::uint32_t* state,
                                                                              const std::uint8_t* data) {
    const __m128i byte_swap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
    __m128i dcba = _mm_loadu_si128(reinterpret_cast<const __m128i*>(state));
    __m128i hgfe = _mm_loadu_si128(reinterpret_cast<const __m128i*>(state + 4));
    __m128i cdab = _mm_shuffle_epi32(dcba, 0xB1);
    __m128i efgh = _mm_shuffle_epi32(hgfe, 0x1B);
    __m128i abef = _mm_alignr_epi8(cdab, efgh, 8);
    __m128i cdgh = _mm_blend_epi16(efgh, cdab, 0xF0);
    const __m128i abef_before = abef;
    const __m128i cdgh_before = cdgh;
    __m128i words[4];
    for (int group = 0; group < 16; ++group) {
        __m128i& current = words[group % 4];
        if (group < 4) {
            current = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(data + 16 * group)), byte_swap);
        } else {
            const __m128i& previous = words[(group + 3) % 4];
            __m128i sum = _mm_add_epi32(_mm_sha256msg1_epu32(current, words[(group + 1) % 4]),
                                        _mm_alignr_epi8(previous, words[(group + 2) % 4], 4));
            current = _mm_sha256msg2_epu32(sum, previous);
        }
        __m128i message = _mm_add_epi32(
            current, _mm_loadu_si128(reinterpret_cast<const __m128i*>(round_constants + 4 * group)));
        cdgh = _mm_sha256rnds2_epu32(cdgh, abef, message);
        abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(message, 0x0E));
    }
    abef = _mm_add_epi32(abef, abef_before);
    cdgh = _mm_add_epi32(cdgh, cdgh_before);
    __m128i feba = _mm_shuffle_epi32(abef, 0x1B);
    __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(state), _mm_blend_epi16(feba, dchg, 0xF0));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(state + 4), _mm_alignr_epi8(dchg, feba, 8));
}

#endif

bool use_sha_instructions(Sha256::Engine engine) {
#ifdef CHAIN_SHA_INSTRUCTIONS
    static const bool available = cpu_has_sha_instructions();
    return engine == Sha256::Engine::fastest && available;
#else
    return false;
#endif
}

} // namespace

Sha256::Sha256(Engine engine)
    : cpu_instructions_(use_sha_instructions(engine)),
      state_{0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19} {}

void Sha256::block(const std::uint8_t* data) {
#ifdef CHAIN_SHA_INSTRUCTIONS
    if (cpu_instructions_) {
        block_with_sha_instructions(state_.data(), data);
        return;
    }
#endif
    std::uint32_t w[64];
    for (int i = 0; i < 16; ++i) {
        w[i] = std::uint32_t(data[4 * i]) << 24 | std::uint32_t(data[4 * i + 1]) << 16 |
               std::uint32_t(data[4 * i + 2]) << 8 | std::uint32_t(data[4 * i + 3]);
    }
    for (int i = 16; i < 64; ++i) {
        std::uint32_t s0 = rotate_right(w[i - 15], 7) ^ rotate_right(w[i - 15], 18) ^ (w[i - 15] >> 3);
        std::uint32_t s1 = rotate_right(w[i - 2], 17) ^ rotate_right(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    auto [a, b, c, d, e, f, g, h] = state_;
    for (int i = 0; i < 64; ++i) {
        std::uint32_t s1 = rotate_right(e, 6) ^ rotate_right(e, 11) ^ rotate_right(e, 25);
        std::uint32_t choose = (e & f) ^ (~e & g);
        std::uint32_t t1 = h + s1 + choose + round_constants[i] + w[i];
        std::uint32_t s0 = rotate_right(a, 2) ^ rotate_right(a, 13) ^ rotate_right(a, 22);
        std::uint32_t majority = (a & b) ^ (a & c) ^ (b & c);
        std::uint32_t t2 = s0 + majority;
        h = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    std::uint32_t results[8] = {a, b, c, d, e, f, g, h};
    for (int i = 0; i < 8; ++i) {
        state_[i] += results[i];
    }
}

void Sha256::update(std::string_view data) {
    length_ += data.size();
    auto bytes = reinterpret_cast<const std::uint8_t*>(data.data());
    std::size_t size = data.size();
    while (size > 0) {
        if (buffered_ == 0 && size >= 64) {
            block(bytes);
            bytes += 64;
            size -= 64;
            continue;
        }
        std::size_t take = std::min(size, 64 - buffered_);
        std::memcpy(buffer_.data() + buffered_, bytes, take);
        buffered_ += take;
        bytes += take;
        size -= take;
        if (buffered_ == 64) {
            block(buffer_.data());
            buffered_ = 0;
        }
    }
}

std::string Sha256::hex() {
    std::uint64_t bits = length_ * 8;
    std::uint8_t padding[72] = {0x80};
    std::size_t pad = (buffered_ < 56 ? 56 : 120) - buffered_;
    update(std::string_view(reinterpret_cast<const char*>(padding), pad));
    std::uint8_t length_bytes[8];
    for (int i = 0; i < 8; ++i) {
        length_bytes[i] = static_cast<std::uint8_t>(bits >> (56 - 8 * i));
    }
    update(std::string_view(reinterpret_cast<const char*>(length_bytes), 8));
    static constexpr char digits[] = "0123456789abcdef";
    std::string out(64, '0');
    auto digit = out.begin();
    for (std::uint32_t word : state_) {
        for (int shift = 28; shift >= 0; shift -= 4) {
            *digit++ = digits[(word >> shift) & 0xF];
        }
    }
    return out;
}

std::string sha256_hex(std::string_view data) {
    Sha256 hash;
    hash.update(data);
    return hash.hex();
}

} // namespace chain
