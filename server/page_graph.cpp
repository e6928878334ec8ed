#include "server/page_graph.hpp"

#include "server/page_html.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <numeric>

namespace chain::pages {

namespace {

constexpr int box_width = 200;
constexpr int box_height = 48;
constexpr int column_gap = 64;
constexpr int row_gap = 16;
constexpr int margin = 16;
/// How many characters of a name fit in a box at 13 px (about 7 px each, less the status bar).
constexpr std::size_t name_characters = 24;

/// At most `count` characters (code points) of `text`, with an ellipsis when it had more.
std::string shortened(std::string_view text, std::size_t count) {
    std::size_t characters = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        bool continuation = (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80;
        if (!continuation && ++characters == count) {
            std::size_t end = i + 1;
            while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
                ++end;
            }
            return end == text.size() ? std::string(text) : std::string(text.substr(0, i)) + "…";
        }
    }
    return std::string(text);
}

/// For each node, the indices of the nodes it needs that are in the graph.
std::vector<std::vector<std::size_t>> needed_indices(const std::vector<GraphNode>& nodes) {
    std::map<std::string, std::size_t, std::less<>> index;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        index.emplace(nodes[i].name, i);
    }
    std::vector<std::vector<std::size_t>> needed(nodes.size());
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        for (const std::string& need : nodes[i].needs) {
            auto found = index.find(need);
            if (found != index.end() && found->second != i) {
                needed[i].push_back(found->second);
            }
        }
    }
    return needed;
}

} // namespace

std::vector<std::vector<std::size_t>> graph_columns(const std::vector<GraphNode>& nodes) {
    std::vector<std::vector<std::size_t>> needed = needed_indices(nodes);
    // The longest chain of needs before each node. A record's needs have no cycle; should one come, the
    // need that closes it counts as none rather than recursing forever.
    enum class Mark { none, visiting, done };
    std::vector<Mark> marks(nodes.size(), Mark::none);
    std::vector<std::size_t> column(nodes.size(), 0);
    auto place = [&](auto& self, std::size_t node) -> std::size_t {
        if (marks[node] == Mark::done) {
            return column[node];
        }
        if (marks[node] == Mark::visiting) {
            return 0;
        }
        marks[node] = Mark::visiting;
        std::size_t at = 0;
        for (std::size_t need : needed[node]) {
            if (marks[need] != Mark::visiting) {
                at = std::max(at, self(self, need) + 1);
            }
        }
        marks[node] = Mark::done;
        return column[node] = at;
    };
    std::vector<std::vector<std::size_t>> columns;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        std::size_t at = place(place, i);
        if (columns.size() <= at) {
            columns.resize(at + 1);
        }
    }
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        columns[column[i]].push_back(i);
    }
    // Each column after the first sorted by the mean row of what its nodes need (the barycentre rule of
    // layered drawing): edges cross less; ties keep the record's order.
    std::vector<double> row(nodes.size(), 0);
    for (std::size_t c = 0; c < columns.size(); ++c) {
        if (c > 0) {
            std::vector<double> centre(nodes.size(), 0);
            for (std::size_t node : columns[c]) {
                double sum = 0;
                for (std::size_t need : needed[node]) {
                    sum += row[need];
                }
                centre[node] = needed[node].empty() ? 0 : sum / static_cast<double>(needed[node].size());
            }
            std::stable_sort(columns[c].begin(), columns[c].end(),
                             [&](std::size_t a, std::size_t b) { return centre[a] < centre[b]; });
        }
        for (std::size_t r = 0; r < columns[c].size(); ++r) {
            row[columns[c][r]] = static_cast<double>(r);
        }
    }
    return columns;
}

std::string stage_graph_svg(const std::vector<GraphNode>& nodes) {
    std::vector<std::vector<std::size_t>> columns = graph_columns(nodes);
    std::vector<std::vector<std::size_t>> needed = needed_indices(nodes);
    std::vector<int> x(nodes.size()), y(nodes.size());
    std::size_t rows = 0;
    for (std::size_t c = 0; c < columns.size(); ++c) {
        rows = std::max(rows, columns[c].size());
        for (std::size_t r = 0; r < columns[c].size(); ++r) {
            x[columns[c][r]] = margin + static_cast<int>(c) * (box_width + column_gap);
            y[columns[c][r]] = margin + static_cast<int>(r) * (box_height + row_gap);
        }
    }
    int width = 2 * margin + static_cast<int>(columns.size()) * (box_width + column_gap) - column_gap;
    int height = 2 * margin + static_cast<int>(rows) * (box_height + row_gap) - row_gap;
    std::string svg = fmt::format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" "
                                  "viewBox=\"0 0 {0} {1}\" role=\"img\" aria-label=\"Stage graph\">\n"
                                  "<defs><marker id=\"arrow\" viewBox=\"0 0 8 8\" refX=\"7\" refY=\"4\" "
                                  "markerWidth=\"8\" markerHeight=\"8\" orient=\"auto\">"
                                  "<path class=\"arrowhead\" d=\"M0,0 L8,4 L0,8 z\"/></marker></defs>\n",
                                  std::max(width, 0), std::max(height, 0));
    for (std::size_t node = 0; node < nodes.size(); ++node) {
        for (std::size_t need : needed[node]) {
            int x1 = x[need] + box_width, y1 = y[need] + box_height / 2;
            int x2 = x[node], y2 = y[node] + box_height / 2;
            svg += fmt::format(
                "<path class=\"edge\" marker-end=\"url(#arrow)\" d=\"M{},{} C{},{} {},{} {},{}\"/>\n", x1, y1,
                x1 + column_gap / 2, y1, x2 - column_gap / 2, y2, x2, y2);
        }
    }
    for (std::size_t node = 0; node < nodes.size(); ++node) {
        const GraphNode& n = nodes[node];
        svg += fmt::format(
            "<a class=\"node {}\" href=\"#{}\"><title>{}: {}</title>"
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"6\"/>"
            "<rect class=\"bar\" x=\"{}\" y=\"{}\" width=\"5\" height=\"{}\" rx=\"2\"/>"
            "<text x=\"{}\" y=\"{}\">{}</text><text class=\"detail\" x=\"{}\" y=\"{}\">{}</text></a>\n",
            status_look(n.status).css_class, escape(n.anchor), escape(n.name), escape(n.detail), x[node],
            y[node], box_width, box_height, x[node] + 1, y[node] + 1, box_height - 2, x[node] + 14,
            y[node] + 20, escape(shortened(n.name, name_characters)), x[node] + 14, y[node] + 38,
            escape(n.detail));
    }
    return svg + "</svg>\n";
}

} // namespace chain::pages
