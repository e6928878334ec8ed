#pragma once

// The pieces every page of chain serve is made of: escaping, links, the document around a page, and the
// words and colours of a status. Nothing here knows which page it is on.

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace chain::pages {

/// Text as HTML content or a double-quoted attribute value: `& < > " '` escaped, bytes that are not UTF-8
/// and control characters (but tab and line ends) replaced by U+FFFD, so no input can end an element.
std::string escape(std::string_view text);

/// One URL path segment: all but RFC 3986's unreserved characters percent-encoded, '/' too.
std::string url_segment(std::string_view text);

/// A relative path in a URL: each segment as url_segment, the '/' between them kept.
std::string url_path(std::string_view path);

/// A complete HTML document: the page's CSS and script inline, its policy as a meta element.
/// `crumbs` is HTML (links back up); `main_attributes` HTML attributes of the <main> element.
std::string document(std::string_view title, std::string_view crumbs, std::string_view body,
                     std::string_view main_attributes = {});

/// The word and CSS class of a run's or stage's status; an unknown status gets the class of none.
struct StatusLook {
    std::string word;
    std::string css_class;
};
StatusLook status_look(std::string_view status);

/// A status as a coloured label.
std::string status_label(std::string_view status);

/// A run's id: a whole number >= 0 in the run object (or the value itself); -1 when there is none.
long long run_id(const nlohmann::json& run_or_id);

/// "#12" linking to /runs/12; empty without an id.
std::string run_link(const nlohmann::json& run_or_id);

/// A run's status as a coloured label.
std::string run_status_label(const nlohmann::json& run);

/// A commit id as its first 8 digits, the whole id on hover.
std::string commit_html(std::string_view commit);

/// "42.0 s", "3 min 05 s", "2 h 07 min".
std::string duration_text(double seconds);

/// An ISO-8601 time as `<time>`: "2026-12-02 09:44:30 UTC"; empty for none.
std::string time_html(std::string_view iso);

/// refs/heads/NAME -> NAME, refs/tags/NAME -> NAME; anything else as it is.
std::string ref_name(std::string_view ref);
bool is_tag_ref(std::string_view ref);

/// A member of an object as text; "" when it is missing, null or not a string.
std::string json_text(const nlohmann::json& object, std::string_view key);

/// A member of an object as a number; negative when it is missing or not a number.
double json_number(const nlohmann::json& object, std::string_view key);

} // namespace chain::pages
