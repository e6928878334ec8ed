#pragma once

#include "plan.hpp"
#include "ref_kinds.hpp"

#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chain {

/// The plan for people: each stage instance, whether it runs and why, and its steps as shell-quoted argv.
std::string render_plan_text(const Plan& plan, bool explain);
/// The plan as SPEC.md section 5 fixes it.
std::string render_plan_json(const Plan& plan);

enum class PlanFormat { text, json };

/// The text of render_plan_text() or the JSON of render_plan_json() (`explain` is the text's only), handed
/// to `write` a few stages at a time, so a plan of many stages is never held whole.
void write_plan(const Plan& plan, PlanFormat format, bool explain, const std::function<void(std::string_view)>& write);

/// What write_plan() writes, made while the plan is planned: each
/// stage instance is rendered as the planner finishes it (PlanOptions::finished), and all but what the rest
/// of the plan needs of it dropped. The text's header counts the stages that run, and the JSON's follows
/// from the whole plan too, so the stages wait in a temporary file until the plan is whole: held in memory
/// they would be the biggest part of a large plan (the JSON of 10,000 stages as one document was 600 MB).
class PlanStream {
  public:
    PlanStream(PlanFormat format, bool explain);
    /// Renders the instance, masked with the secrets the plan has met so far, and takes its steps and texts.
    void add(const Plan& so_far, StageInstance& stage);
    /// Writes the whole plan; false, having written nothing, when a secret met late could have been left
    /// unmasked in a stage rendered before it, or when no temporary file could be made or written (then
    /// render the plan with write_plan()).
    bool write(const Plan& plan, const std::function<void(std::string_view)>& write);

  private:
    /// Moves the part being filled to the file.
    void flush();
    /// Whether rendering could change how `secret` reads (shell quoting, JSON escaping), hiding it from a
    /// plain search of the rendered stages.
    bool hidden_by_rendering(const std::string& secret) const;

    PlanFormat format_;
    bool explain_;
    std::size_t added_ = 0;
    struct Close {
        void operator()(std::FILE* file) const { std::fclose(file); }
    };
    /// The stages' text. A secret met late can be in it unmasked until write() has looked: the file has no
    /// name, only this process holds it, and it is gone when closed.
    std::unique_ptr<std::FILE, Close> file_;
    bool file_failed_ = false;
    std::vector<std::size_t> parts_; // the sizes of the parts in file_, each of whole stages
    std::string part_;               // the part being filled
    std::string rendered_;           // the stage being added, its capacity kept from stage to stage
    bool effects_ = false;
    std::optional<SecretMasker> masker_;
    std::size_t masked_with_ = 0;                  // how many of the plan's secrets masker_ masks
    std::optional<std::size_t> first_masked_with_; // the same, for the first instance rendered
};

/// Drops all of a planned instance but what its rendering as a graph reads (name, verdict, needs): for
/// PlanOptions::finished, so that the steps of 10,000 stages are never all held for a graph.
void keep_for_graph(StageInstance& stage);
/// The stage graph for Graphviz: running stages filled, the others dashed.
std::string render_plan_dot(const Plan& plan);
/// The stage graph for Mermaid.
std::string render_plan_mermaid(const Plan& plan);

/// Every param, let and secret with its value on the plan's ref and where the value came from (`plan --params`).
std::string render_value_sources(const Plan& plan, const std::vector<ValueSource>& values);

/// A stage instance's steps as the text plan prints them without their numbers (`package    python3 -m build
/// ...`), secrets masked.
std::vector<std::string> render_step_lines(const Plan& plan, const StageInstance& stage);

/// The pipeline at a glance: a row per stage, a column per kind of ref (headed by its version), each cell
/// `runs`, `-` or `manual`.
std::string render_kinds_text(const std::string& pipeline, const std::vector<KindPlan>& plans, const GitFacts& facts);
std::string render_kinds_json(const std::string& pipeline, const std::vector<KindPlan>& plans, const GitFacts& facts);
/// One subgraph per kind of ref, its stages coloured by what they do there.
std::string render_kinds_mermaid(const std::vector<KindPlan>& plans, const GitFacts& facts);

} // namespace chain
