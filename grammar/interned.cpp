#include "interned.hpp"

#include <cstring>
#include <memory>
#include <mutex>
#include <unordered_set>
#include <vector>

namespace chain {

namespace {

/// Texts side by side in blocks that never move or go away, and a set of views into them.
class Pool {
  public:
    std::string_view get(std::string_view text) {
        std::lock_guard lock(mutex_);
        if (auto found = views_.find(text); found != views_.end()) {
            return *found;
        }
        std::string_view kept = store(text);
        views_.insert(kept);
        return kept;
    }

  private:
    std::string_view store(std::string_view text) {
        constexpr std::size_t block_size = 64 * 1024;
        if (text.size() > block_size / 4) { // a long text gets a block of its own, so blocks stay full
            blocks_.push_back(std::make_unique<char[]>(text.size()));
            std::memcpy(blocks_.back().get(), text.data(), text.size());
            return {blocks_.back().get(), text.size()};
        }
        if (current_ == nullptr || left_ < text.size()) {
            blocks_.push_back(std::make_unique<char[]>(block_size));
            current_ = blocks_.back().get();
            left_ = block_size;
        }
        char* kept = current_;
        std::memcpy(kept, text.data(), text.size());
        current_ += text.size();
        left_ -= text.size();
        return {kept, text.size()};
    }

    std::mutex mutex_;
    std::unordered_set<std::string_view> views_;
    std::vector<std::unique_ptr<char[]>> blocks_;
    char* current_ = nullptr;
    std::size_t left_ = 0;
};

} // namespace

std::string_view interned(std::string_view text) {
    static Pool* pool = new Pool; // never destroyed: views may be used by static destructors and threads
    return pool->get(text);
}

} // namespace chain
