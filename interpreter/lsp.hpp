#pragma once
// `chain lsp`: the Language Server Protocol over the same parser, checker and formatter as the command
// line. This class sees one JSON-RPC message at a time and answers with the messages to send; the
// framing on stdio is the command's (interpreter/cli/lsp.cpp), so tests drive it directly.

#include "checker.hpp"

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace chain {

class LanguageServer {
  public:
    /// One message's body; the replies and notifications to send, serialized.
    std::vector<std::string> handle(std::string_view body);
    /// A message the framing refused (interpreter/lsp_framing.hpp): a JSON-RPC parse error that says why.
    std::vector<std::string> unreadable(std::string_view why) const;
    /// After `exit`: the process should end, with this code (0 when `shutdown` came first).
    bool exited() const { return exited_; }
    int exit_code() const { return shutdown_ ? 0 : 1; }

  private:
    struct Document {
        std::string uri;
        std::string path;
        std::shared_ptr<const CheckResult> current;    // of the text as it is now, errors and all
        std::shared_ptr<const CheckResult> last_clean; // the last without syntax errors: names for completion
        bool syntax_errors = false;                    // of `current`: no formatting then
    };
    Document* document(const std::string& uri);
    void analyze(Document& document, std::string text);

    std::map<std::string, Document> documents_;
    bool shutdown_ = false;
    bool exited_ = false;
};

} // namespace chain
