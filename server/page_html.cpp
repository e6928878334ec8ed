#include "server/page_html.hpp"

#include "server/page_assets.hpp"
#include "server/pages.hpp"
#include "stdlib/sha256.hpp"

#include <fmt/format.h>

#include <cmath>

namespace chain::pages {

namespace {

/// The length of the UTF-8 sequence that starts at `i`, or 0 when none does (RFC 3629: no overlong
/// forms, no surrogates, nothing past U+10FFFF).
std::size_t utf8_sequence(std::string_view text, std::size_t i) {
    auto byte = [&](std::size_t at) { return at < text.size() ? static_cast<unsigned char>(text[at]) : 0u; };
    auto within = [](unsigned value, unsigned low, unsigned high) { return value >= low && value <= high; };
    unsigned first = byte(i);
    if (first < 0x80) {
        return 1;
    }
    if (within(first, 0xC2, 0xDF)) {
        return within(byte(i + 1), 0x80, 0xBF) ? 2 : 0;
    }
    if (within(first, 0xE0, 0xEF)) {
        unsigned low = first == 0xE0 ? 0xA0 : 0x80;
        unsigned high = first == 0xED ? 0x9F : 0xBF;
        return within(byte(i + 1), low, high) && within(byte(i + 2), 0x80, 0xBF) ? 3 : 0;
    }
    if (within(first, 0xF0, 0xF4)) {
        unsigned low = first == 0xF0 ? 0x90 : 0x80;
        unsigned high = first == 0xF4 ? 0x8F : 0xBF;
        return within(byte(i + 1), low, high) && within(byte(i + 2), 0x80, 0xBF) &&
                       within(byte(i + 3), 0x80, 0xBF)
                   ? 4
                   : 0;
    }
    return 0;
}

constexpr std::string_view replacement_character = "\xEF\xBF\xBD";

std::string base64(std::string_view bytes) {
    static constexpr std::string_view alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        std::uint32_t group = static_cast<unsigned char>(bytes[i]) << 16;
        if (i + 1 < bytes.size()) {
            group |= static_cast<unsigned char>(bytes[i + 1]) << 8;
        }
        if (i + 2 < bytes.size()) {
            group |= static_cast<unsigned char>(bytes[i + 2]);
        }
        out += alphabet[(group >> 18) & 63];
        out += alphabet[(group >> 12) & 63];
        out += i + 1 < bytes.size() ? alphabet[(group >> 6) & 63] : '=';
        out += i + 2 < bytes.size() ? alphabet[group & 63] : '=';
    }
    return out;
}

/// How a policy names one inline element: the base64 of its content's SHA-256.
std::string hash_source(std::string_view content) {
    std::string hex = sha256_hex(content);
    std::string digest;
    for (std::size_t i = 0; i < hex.size(); i += 2) {
        digest += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
    }
    return "'sha256-" + base64(digest) + "'";
}

/// The policy: no source but the pages' own script and style (by hash), requests and images only to the
/// server itself; without frame-ancestors, which a meta element cannot carry.
const std::string& document_policy() {
    static const std::string policy = fmt::format(
        "default-src 'none'; script-src {}; style-src {}; img-src 'self' data:; connect-src 'self'; "
        "form-action 'self'; base-uri 'none'",
        hash_source(page_script), hash_source(page_css));
    return policy;
}

} // namespace

std::string escape(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for (std::size_t i = 0; i < text.size();) {
        std::size_t length = utf8_sequence(text, i);
        if (length == 0) {
            out += replacement_character;
            ++i;
            continue;
        }
        if (length > 1) {
            out.append(text.substr(i, length));
            i += length;
            continue;
        }
        char c = text[i++];
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        case '\t':
        case '\n':
        case '\r':
            out += c;
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
                out += replacement_character;
            } else {
                out += c;
            }
        }
    }
    return out;
}

std::string url_segment(std::string_view text) {
    std::string out;
    for (char c : text) {
        bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                          c == '-' || c == '.' || c == '_' || c == '~';
        if (unreserved) {
            out += c;
        } else {
            out += fmt::format("%{:02X}", static_cast<unsigned char>(c));
        }
    }
    return out;
}

std::string url_path(std::string_view path) {
    std::string out;
    std::size_t start = 0;
    while (true) {
        std::size_t slash = path.find('/', start);
        out += url_segment(path.substr(start, slash == std::string_view::npos ? path.npos : slash - start));
        if (slash == std::string_view::npos) {
            return out;
        }
        out += '/';
        start = slash + 1;
    }
}

std::string content_security_policy() {
    return document_policy() + "; frame-ancestors 'none'";
}

std::string document(std::string_view title, std::string_view crumbs, std::string_view body,
                     std::string_view main_attributes) {
    return fmt::format("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                       "<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n"
                       "<link rel=\"icon\" href=\"data:,\">\n"
                       "<title>{} · chain serve</title>\n<style>{}</style>\n</head>\n<body>\n"
                       "<header class=\"top\"><a class=\"home\" href=\"/\">chain serve</a>{}</header>\n"
                       "<main{}{}>\n{}</main>\n<script>{}</script>\n</body>\n</html>\n",
                       escape(document_policy()), escape(title), page_css, crumbs,
                       main_attributes.empty() ? "" : " ", main_attributes, body, page_script);
}

StatusLook status_look(std::string_view status) {
    static constexpr std::string_view known[] = {"success", "failed",  "running", "queued",     "interrupted",
                                                 "skipped", "not-run", "manual",  "up-to-date", "superseded"};
    for (std::string_view word : known) {
        if (status == word) {
            return {std::string(word), "st-" + std::string(word)};
        }
    }
    if (status == "failed (allowed)") {
        return {std::string(status), "st-allowed"};
    }
    return {status.empty() ? "unknown" : std::string(status), "st-none"};
}

std::string status_label(std::string_view status) {
    StatusLook look = status_look(status);
    return fmt::format("<span class=\"status {}\">{}</span>", look.css_class, escape(look.word));
}

long long run_id(const nlohmann::json& run_or_id) {
    const nlohmann::json& id =
        run_or_id.is_object() && run_or_id.contains("id") ? run_or_id["id"] : run_or_id;
    return id.is_number_integer() && id.get<long long>() >= 0 ? id.get<long long>() : -1;
}

std::string run_link(const nlohmann::json& run_or_id) {
    long long id = run_id(run_or_id);
    return id < 0 ? "" : fmt::format("<a href=\"/runs/{0}\">#{0}</a>", id);
}

std::string run_status_label(const nlohmann::json& run) {
    return status_label(json_text(run, "status"));
}

std::string commit_html(std::string_view commit) {
    if (commit.empty()) {
        return "";
    }
    return fmt::format("<code title=\"{}\">{}</code>", escape(commit), escape(commit.substr(0, 8)));
}

std::string duration_text(double seconds) {
    if (!(seconds >= 0)) {
        return "";
    }
    if (seconds < 60) {
        return fmt::format("{:.1f} s", seconds);
    }
    auto whole = static_cast<long long>(std::llround(seconds));
    if (whole < 3600) {
        return fmt::format("{} min {:02} s", whole / 60, whole % 60);
    }
    return fmt::format("{} h {:02} min", whole / 3600, whole % 3600 / 60);
}

std::string time_html(std::string_view iso) {
    if (iso.empty()) {
        return "";
    }
    bool utc_form = iso.size() >= 20 && iso[10] == 'T' && (iso.back() == 'Z' || iso.ends_with("+00:00"));
    std::string shown =
        utc_form ? fmt::format("{} {} UTC", iso.substr(0, 10), iso.substr(11, 8)) : std::string(iso);
    return fmt::format("<time datetime=\"{}\">{}</time>", escape(iso), escape(shown));
}

std::string ref_name(std::string_view ref) {
    for (std::string_view prefix : {"refs/heads/", "refs/tags/"}) {
        if (ref.starts_with(prefix)) {
            return std::string(ref.substr(prefix.size()));
        }
    }
    return std::string(ref);
}

bool is_tag_ref(std::string_view ref) {
    return ref.starts_with("refs/tags/");
}

std::string json_text(const nlohmann::json& object, std::string_view key) {
    if (!object.is_object()) {
        return "";
    }
    auto found = object.find(key);
    return found != object.end() && found->is_string() ? found->get<std::string>() : "";
}

double json_number(const nlohmann::json& object, std::string_view key) {
    if (!object.is_object()) {
        return -1;
    }
    auto found = object.find(key);
    return found != object.end() && found->is_number() ? found->get<double>() : -1;
}

} // namespace chain::pages
