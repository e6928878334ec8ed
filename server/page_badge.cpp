#include "server/pages.hpp"

#include "server/page_html.hpp"

#include <fmt/format.h>

namespace chain::pages {

namespace {

/// The width of a character in Verdana at 11 px, the font of shields.io badges (rounded from the font's
/// advance widths); a character not listed counts as a wide one, so a badge is never too narrow.
double character_width(unsigned char c) {
    static constexpr double lower[26] = {6.7, 6.8, 5.8, 6.8, 6.6, 3.8, 6.8, 6.9, 3.0, 3.7, 6.4, 3.0, 10.7,
                                         6.9, 6.7, 6.8, 6.8, 4.7, 5.7, 4.3, 6.9, 6.4, 8.9, 6.4, 6.4, 5.7};
    static constexpr double upper[26] = {7.5, 7.5, 7.7, 8.5, 6.9, 6.3, 8.5, 8.3, 4.6, 5.0,  7.6, 6.1, 9.3,
                                         8.2, 8.7, 6.6, 8.7, 7.7, 7.5, 6.8, 8.1, 7.5, 10.9, 7.5, 6.8, 7.5};
    if (c >= 'a' && c <= 'z') {
        return lower[c - 'a'];
    }
    if (c >= 'A' && c <= 'Z') {
        return upper[c - 'A'];
    }
    if (c >= '0' && c <= '9') {
        return 7.0;
    }
    switch (c) {
    case ' ':
        return 3.9;
    case '.':
    case ',':
        return 3.9;
    case ':':
    case ';':
        return 4.5;
    case '!':
    case '|':
        return 4.3;
    case '-':
    case '/':
    case '(':
    case ')':
    case '[':
    case ']':
        return 4.9;
    case '=':
    case '+':
        return 9.2;
    default:
        return 7.5;
    }
}

double text_width(std::string_view text) {
    double width = 0;
    for (char c : text) {
        // One width per character: continuation bytes of UTF-8 add nothing.
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
            width += character_width(static_cast<unsigned char>(c));
        }
    }
    return width;
}

std::string_view badge_colour(std::string_view status) {
    if (status == "success") {
        return "#4c1";
    }
    if (status == "failed") {
        return "#e05d44";
    }
    if (status == "running") {
        return "#007ec6";
    }
    if (status == "queued") {
        return "#dfb317";
    }
    if (status == "interrupted") {
        return "#fe7d37";
    }
    return "#9f9f9f";
}

} // namespace

std::string render_badge(std::string_view label, std::string_view status) {
    constexpr double padding = 10;
    double label_text = text_width(label), status_text = text_width(status);
    double label_width = label_text + padding, status_width = status_text + padding;
    double width = label_width + status_width;
    std::string label_html = escape(label), status_html = escape(status);
    return fmt::format(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0:.1f}\" height=\"20\" role=\"img\" "
        "aria-label=\"{1}: {2}\">"
        "<title>{1}: {2}</title>"
        "<linearGradient id=\"s\" x2=\"0\" y2=\"100%\"><stop offset=\"0\" stop-color=\"#bbb\" "
        "stop-opacity=\".1\"/>"
        "<stop offset=\"1\" stop-opacity=\".1\"/></linearGradient>"
        "<clipPath id=\"r\"><rect width=\"{0:.1f}\" height=\"20\" rx=\"3\" fill=\"#fff\"/></clipPath>"
        "<g clip-path=\"url(#r)\"><rect width=\"{3:.1f}\" height=\"20\" fill=\"#555\"/>"
        "<rect x=\"{3:.1f}\" width=\"{4:.1f}\" height=\"20\" fill=\"{5}\"/>"
        "<rect width=\"{0:.1f}\" height=\"20\" fill=\"url(#s)\"/></g>"
        "<g fill=\"#fff\" text-anchor=\"middle\" font-family=\"Verdana,Geneva,DejaVu Sans,sans-serif\" "
        "text-rendering=\"geometricPrecision\" font-size=\"11\">"
        "<text x=\"{6:.1f}\" y=\"15\" fill=\"#010101\" fill-opacity=\".3\" textLength=\"{7:.1f}\">{1}</text>"
        "<text x=\"{6:.1f}\" y=\"14\" textLength=\"{7:.1f}\">{1}</text>"
        "<text x=\"{8:.1f}\" y=\"15\" fill=\"#010101\" fill-opacity=\".3\" textLength=\"{9:.1f}\">{2}</text>"
        "<text x=\"{8:.1f}\" y=\"14\" textLength=\"{9:.1f}\">{2}</text></g></svg>\n",
        width, label_html, status_html, label_width, status_width, badge_colour(status), label_width / 2,
        label_text, label_width + status_width / 2, status_text);
}

} // namespace chain::pages
