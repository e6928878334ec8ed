#pragma once
// The deploy targets of a stage's steps, which rollback and releases (and the REPL's :rollback) act on.

#include "stdlib/remote_deploy.hpp"
#include "stdlib/value.hpp"

#include <string>
#include <vector>

namespace chain::cli {

/// A deploy target as a stage's plan has it: hosts with the key's text, or a local folder (no hosts).
struct DeployTarget {
    stdlib::ReleaseTarget release;
    std::string key;
};

/// The deploy targets the steps of one stage instance deploy to, in order.
std::vector<DeployTarget> deploy_targets(const std::vector<stdlib::Step>& steps);

} // namespace chain::cli
