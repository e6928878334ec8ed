#include "status.hpp"

#include "secrets.hpp"

#include <fmt/format.h>

namespace chain {

namespace {

class PlainStatus : public Status {
  public:
    explicit PlainStatus(std::FILE* out) : out_(out) {}
    void event(const std::string& line) override {
        fmt::print(out_, "{}\n", line);
        std::fflush(out_);
    }
    void refresh(const std::vector<RunningView>&, std::size_t, std::size_t) override {}
    void close() override {}

  private:
    std::FILE* out_;
};

class TerminalStatus : public Status {
  public:
    explicit TerminalStatus(std::FILE* out) : out_(out) {}

    void event(const std::string& line) override {
        clear();
        fmt::print(out_, "{}\n", line);
        draw();
    }

    void refresh(const std::vector<RunningView>& running, std::size_t finished, std::size_t total) override {
        clear();
        area_.clear();
        area_.push_back(fmt::format("[{}/{}] {} running", finished, total, running.size()));
        for (const RunningView& view : running) {
            std::string last = view.last_line.size() > 60 ? view.last_line.substr(0, 57) + "..." : view.last_line;
            area_.push_back(fmt::format("  {:<28} {:>6.1f}s  {}", view.name, view.elapsed.count() / 1000.0, last));
        }
        draw();
    }

    void close() override {
        clear();
        area_.clear();
    }

  private:
    void clear() {
        // Up over the lines drawn last time, clearing each.
        for (std::size_t i = 0; i < drawn_; ++i) {
            fmt::print(out_, "\x1b[1A\x1b[2K");
        }
        drawn_ = 0;
    }
    void draw() {
        for (const std::string& line : area_) {
            fmt::print(out_, "{}\n", line);
        }
        drawn_ = area_.size();
        std::fflush(out_);
    }

    std::FILE* out_;
    std::vector<std::string> area_;
    std::size_t drawn_ = 0;
};

class MaskingStatus : public Status {
  public:
    MaskingStatus(Status& shown, std::vector<std::string> secrets) : shown_(shown), masker_(std::move(secrets)) {}

    void event(const std::string& line) override { shown_.event(masker_.mask(line)); }

    void refresh(const std::vector<RunningView>& running, std::size_t finished, std::size_t total) override {
        std::vector<RunningView> masked = running;
        for (RunningView& view : masked) {
            view.name = masker_.mask(view.name);
            view.last_line = masker_.mask(view.last_line);
        }
        shown_.refresh(masked, finished, total);
    }

    void close() override { shown_.close(); }

  private:
    Status& shown_;
    SecretMasker masker_;
};

} // namespace

std::unique_ptr<Status> make_masking_status(Status& shown, std::vector<std::string> secrets) {
    return std::make_unique<MaskingStatus>(shown, std::move(secrets));
}

std::unique_ptr<Status> make_plain_status(std::FILE* out) { return std::make_unique<PlainStatus>(out); }
std::unique_ptr<Status> make_terminal_status(std::FILE* out) { return std::make_unique<TerminalStatus>(out); }

} // namespace chain
