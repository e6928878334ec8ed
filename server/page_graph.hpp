#pragma once

// The stage graph of a run page as an inline SVG picture, laid out here: a column per layer of the
// needs relation, a box per stage instance, an edge per need.

#include <string>
#include <vector>

namespace chain::pages {

/// One box of the graph: a stage instance of the run record.
struct GraphNode {
    std::string name;               ///< the instance's name, as the record has it
    std::string status;             ///< a word status_look knows (or not: then grey)
    std::string detail;             ///< the second line: status and duration
    std::string anchor;             ///< the id of the instance's section on the page
    std::vector<std::string> needs; ///< names of the instances it needs; names not in the graph are left out
};

/// The columns of the graph, left to right, each a list of node indices top to bottom: a node stands one
/// column right of the furthest node it needs; in a column, nodes are ordered by where their needs stand.
std::vector<std::vector<std::size_t>> graph_columns(const std::vector<GraphNode>& nodes);

/// The graph as an <svg> element for a page whose stylesheet colours `.node.st-*`.
std::string stage_graph_svg(const std::vector<GraphNode>& nodes);

} // namespace chain::pages
