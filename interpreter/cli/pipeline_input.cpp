#include "pipeline_input.hpp"

#include "commands.hpp"
#include "interpreter/edit_distance.hpp"
#include "interpreter/side_thread.hpp"
#include "stdlib/builtin.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <unordered_set>

#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

namespace chain::cli {

void add_param_option(CLI::App& command, std::vector<std::string>& params) {
    command.add_option("-p,--param", params, "Set a param: NAME=VALUE (a chain literal unless a str)")
        ->allow_extra_args(false)
        ->type_name("NAME=VALUE");
}

void add_pipeline_options(CLI::App& command, PipelineInput& input) {
    command.add_option("file", input.file, "The pipeline file (default: ./pipeline.chain)");
    auto* branch = command.add_option("--branch", input.branch, "Use this branch instead of the current one");
    auto* tag = command.add_option("--tag", input.tag, "Use this tag instead of the current branch");
    branch->excludes(tag);
    add_param_option(command, input.params);
}

void heap_on_huge_pages(const std::vector<std::string>& files) {
    // The second pipeline of a command (plan --diff's other revision) finds the heap already set up.
    static bool set_up = false;
    if (set_up) {
        return;
    }
    set_up = true;
    constexpr std::size_t huge_page = std::size_t(2) << 20;
    // Address space only (pages come when touched), sized for what the files' trees will fill, about 20
    // to 30 bytes a source byte: the heap past the advised range would be back on small pages, and a
    // pipeline of 100,000 stages grew faster than its size.
    std::uintmax_t source_bytes = 0;
    for (const std::string& file : files) {
        std::error_code unreadable;
        std::uintmax_t size = std::filesystem::file_size(file, unreadable);
        source_bytes += unreadable ? 0 : size;
    }
    constexpr std::uintmax_t least = std::uintmax_t(64) << 20;
    constexpr std::uintmax_t most = (std::uintmax_t(2) << 30) - huge_page; // mallopt takes an int
    auto reach = static_cast<std::size_t>(std::clamp(source_bytes * 32, least, most));
    // Everything up to glibc's largest threshold from the one heap (separate maps for large blocks would
    // not be advised), nothing handed back (the heap would regrow past the advised range).
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, static_cast<int>(reach));
    mallopt(M_TOP_PAD, static_cast<int>(reach));
    // The heap's first bytes on a huge page boundary: the part below it would be small pages, and a small
    // pipeline lives there entirely. The skipped part is address space only.
    auto start = reinterpret_cast<std::uintptr_t>(sbrk(0));
    std::uintptr_t first = (start + huge_page - 1) & ~(huge_page - 1);
    if (first > start && sbrk(static_cast<std::intptr_t>(first - start)) == reinterpret_cast<void*>(-1)) {
        return;
    }
    // A block larger than what is left at the heap's top makes malloc grow it now, once, by the reach.
    std::size_t grow = mallinfo2().keepcost + (std::size_t(64) << 10);
    void* volatile block = std::malloc(grow); // volatile: the compiler may not leave the pair out
    std::free(block);
    auto end = reinterpret_cast<std::uintptr_t>(sbrk(0));
    if (end <= first) {
        return;
    }
    // Advice only: where the kernel has no huge pages to give, the heap stays on small ones. The 2 MiB that
    // malloc wrote its bookkeeping into before the advice would stay small pages: collapsed into a huge page
    // at once, it costs less than faulting the rest in a page at a time (a fault took about 11 µs in a
    // virtual machine, where a no-op run of 1,000 stages spent a third of its time faulting 800 pages).
    madvise(reinterpret_cast<void*>(first), end - first, MADV_HUGEPAGE);
    constexpr int collapse = 25; // MADV_COLLAPSE, Linux 6.1; older kernels refuse it and nothing changes
    std::size_t written = std::min<std::size_t>((grow + huge_page) & ~(huge_page - 1), end - first);
    madvise(reinterpret_cast<void*>(first), written, collapse);
}

namespace {

std::optional<CheckResult> load_checked(const PipelineInput& input, int& exit_code) {
    heap_on_huge_pages({input.file});
    std::string error;
    LoadedProgram loaded = load_program(input.file, error);
    if (loaded.files.empty()) {
        fmt::print(stderr, "chain: error: {}\n", error);
        exit_code = exit_usage;
        return std::nullopt;
    }
    CheckResult checked = check(std::move(loaded), stdlib::standard_library(), CheckOptions{input.params});
    for (const Diagnostic& diagnostic : checked.diagnostics) {
        fmt::print(stderr, "{}", render_text(diagnostic));
    }
    if (has_errors(checked.diagnostics)) {
        fmt::print(stderr, "chain: {} has errors; nothing was planned\n", input.file);
        exit_code = exit_failed;
        return std::nullopt;
    }
    for (const GlobalValue& value : checked.program.values) {
        if (value.kind == ValueKind::param && !value.value && !value.given) {
            fmt::print(stderr, "chain: error: param '{}' has no default: give it a value with -p {}=VALUE\n",
                       value.name, value.name);
            exit_code = exit_usage;
            return std::nullopt;
        }
    }
    return checked;
}

} // namespace

namespace {

std::string repository_folder(const PipelineInput& input) {
    std::filesystem::path folder = std::filesystem::path(input.file).parent_path();
    return folder.empty() ? "." : folder.string();
}

std::optional<PlanOptions> plan_options(const PipelineInput& input, const GitRepository& repository, int& exit_code) {
    PlanOptions options;
    options.git = repository.facts;
    if (!input.branch.empty()) {
        options.ref = refs::Ref{false, input.branch};
    } else if (!input.tag.empty()) {
        options.ref = refs::Ref{true, input.tag};
    } else if (repository.head) {
        options.ref = *repository.head;
    } else {
        fmt::print(stderr, "chain: error: cannot tell which ref to plan for: {}\n"
                           "  give one with --branch NAME or --tag NAME\n",
                   repository.problem);
        exit_code = exit_usage;
        return std::nullopt;
    }
    return options;
}

} // namespace

std::optional<PlanOptions> plan_options(const PipelineInput& input, int& exit_code) {
    return plan_options(input, read_repository(repository_folder(input)), exit_code);
}


const CheckResult* checked_pipeline(const PipelineInput& input, int& exit_code) {
    std::optional<CheckResult> loaded = load_checked(input, exit_code);
    return loaded ? &kept_until_exit(std::move(*loaded)) : nullptr;
}

std::optional<Plan> plan_pipeline(const PipelineInput& input, const std::vector<std::string>& approved,
                                  int& exit_code, bool explain,
                                  std::function<void(const Plan&, StageInstance&)> finished) {
    // The repository is read beside the check: on a second core, git's files come while the pipeline is
    // parsed and checked. (The heap is set up first: the thread's malloc must not race its move.)
    heap_on_huge_pages({input.file});
    SideTask<GitRepository> repository("chain-git", [folder = repository_folder(input)] { return read_repository(folder); });
    const CheckResult* loaded = checked_pipeline(input, exit_code);
    if (!loaded) {
        return std::nullopt;
    }
    const CheckResult& checked = *loaded;
    std::optional<PlanOptions> options = plan_options(input, repository.get(), exit_code);
    if (!options) {
        return std::nullopt;
    }
    options->approved = approved;
    options->explain = explain;
    options->finished = std::move(finished);
    Plan plan = make_plan(checked.program, *options);
    if (!known_stages(plan, approved, "--approve", false)) {
        exit_code = exit_usage;
        return std::nullopt;
    }
    return plan;
}

bool known_stages(const Plan& plan, const std::vector<std::string>& names, std::string_view option, bool instances) {
    if (names.empty()) {
        return true; // most runs name no stage: no need to list 10,000 of them
    }
    std::vector<std::string_view> stages;
    std::unordered_set<std::string_view> seen;
    std::vector<std::string_view> candidates;
    for (const StageInstance& instance : plan.stages) {
        if (seen.insert(instance.stage).second) {
            stages.push_back(instance.stage);
            candidates.push_back(instance.stage);
        }
        if (instances && instance.name != instance.stage) {
            candidates.push_back(instance.name);
        }
    }
    for (const std::string& name : names) {
        if (std::find(candidates.begin(), candidates.end(), name) != candidates.end()) {
            continue;
        }
        std::string closest = closest_name(name, candidates);
        fmt::print(stderr, "chain: error: unknown stage '{}' ({}); {}\n", name, option,
                   !closest.empty() ? fmt::format("did you mean '{}'?", closest)
                   : stages.empty() ? std::string("the pipeline has no stage")
                                    : fmt::format("the stages are {}", fmt::join(stages, ", ")));
        return false;
    }
    return true;
}

bool refused_secrets(const Plan& plan, bool missing_too, std::string_view nothing_done) {
    bool refused = false;
    for (const SecretProblem& problem : plan.secret_problems) {
        if (missing_too || !problem.missing()) {
            fmt::print(stderr, "chain: error: {}\n  {}; {}\n", problem.message(), problem.advice(),
                       nothing_done);
            refused = true;
        }
    }
    return refused;
}

} // namespace chain::cli
