#pragma once
// The trigger step of a run the server started: instead of running the downstream pipeline itself, it asks
// the server for a linked run of that repository and waits for its end, as `chain run` would.

#include <string>

namespace chain::server {

/// Whether this process is a step of a run of `chain serve` (the server set CHAIN_SERVER_URL for it).
bool inside_served_run();

/// Asks the server named by CHAIN_SERVER_URL for a run of `repository` at `ref`, linked to the run in
/// CHAIN_SERVER_RUN, waits for it, and writes its run record to `record_copy`. Returns 0 when the
/// downstream run succeeded, 1 when it did not, 2 when the server refused or could not be reached.
int trigger_through_server(const std::string& repository, const std::string& ref,
                           const std::string& record_copy);

} // namespace chain::server
