#include "side_thread.hpp"

#include <cerrno>
#include <exception>
#include <system_error>

#include <sched.h>

namespace chain {

namespace {

struct Start {
    const char* name;
    std::function<void()> work;
    cpu_set_t allowed{}; // the cores the process may use, given back once the thread runs
    bool placed = false;
};

void* run_started(void* argument) {
    std::unique_ptr<Start> start(static_cast<Start*>(argument));
    pthread_setname_np(pthread_self(), start->name);
    if (start->placed) {
        pthread_setaffinity_np(pthread_self(), sizeof start->allowed, &start->allowed);
    }
    start->work();
    return nullptr;
}

} // namespace

SideThread::SideThread(const char* name, std::function<void()> work) {
    auto start = std::make_unique<Start>();
    start->name = name;
    start->work = std::move(work);
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    int here = sched_getcpu();
    if (here >= 0 && sched_getaffinity(0, sizeof start->allowed, &start->allowed) == 0 &&
        CPU_COUNT(&start->allowed) > 1 && CPU_ISSET(here, &start->allowed)) {
        cpu_set_t elsewhere = start->allowed;
        CPU_CLR(here, &elsewhere);
        start->placed = pthread_attr_setaffinity_np(&attributes, sizeof elsewhere, &elsewhere) == 0;
    }
    pthread_t thread;
    int failed = pthread_create(&thread, &attributes, run_started, start.get());
    pthread_attr_destroy(&attributes);
    if (failed && start->placed) {
        // A core that the process may use but this thread may not be put on (a cpuset changed since).
        start->placed = false;
        failed = pthread_create(&thread, nullptr, run_started, start.get());
    }
    if (failed) {
        throw std::system_error(failed, std::generic_category(), "cannot start a thread");
    }
    start.release(); // the thread owns it now
    thread_ = thread;
}

SideThread& SideThread::operator=(SideThread&& other) noexcept {
    if (thread_) {
        std::terminate(); // as std::thread: a joinable thread must be joined first
    }
    thread_ = std::exchange(other.thread_, std::nullopt);
    return *this;
}

SideThread::~SideThread() {
    if (thread_) {
        std::terminate();
    }
}

void SideThread::join() {
    if (!thread_) {
        throw std::system_error(EINVAL, std::generic_category(), "no thread to join");
    }
    int failed = pthread_join(*thread_, nullptr);
    thread_.reset();
    if (failed) {
        throw std::system_error(failed, std::generic_category(), "cannot join a thread");
    }
}

} // namespace chain
