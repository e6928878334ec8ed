#pragma once
// `chain run --rehearse`: what an effect would change, said instead of changing it.

#include "secrets.hpp"
#include "stdlib/value.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace chain {

/// The lines that stand for an effect step in a rehearsal, each starting with `would`: for a copy into a
/// package index each file it would publish (`would publish dist/x.whl to ../.index`), else the exact argv,
/// or the action, the step would carry out, secrets masked. `root` is the pipeline's folder, where the
/// artifacts are.
std::vector<std::string> rehearsal_lines(const stdlib::Step& step, const std::filesystem::path& root,
                                         const SecretMasker& masker);

} // namespace chain
