#include "builtin.hpp"
#include "ssh.hpp"

#include <cstdlib>

namespace chain::stdlib {

namespace {

Builtin value_builtin(std::string name, std::string summary, std::vector<Param> params, Type result,
                      PlanFunction plan) {
    return Builtin{std::move(name), std::move(summary), std::move(params), BlockUse::none, returns(std::move(result)),
                   nullptr,         std::move(plan)};
}

/// A target value: its location, and the named options given to the call that made it.
PlanFunction make_target(std::uint8_t kind, std::vector<std::string> option_names) {
    return [kind, option_names](const Invocation& call, std::vector<Step>&) {
        Value target;
        target.kind = Value::Kind::target;
        target.target_kind = kind;
        target.text = call.text(0);
        if (kind == target_pypi && target.text.find("://") != std::string::npos) {
            target.fields.emplace_back("url", Value::of_text(target.text));
        }
        for (std::size_t i = 0; i < option_names.size(); ++i) {
            if (const Value* option = call.arg(i + 1)) {
                target.fields.emplace_back(option_names[i], *option);
            }
        }
        return target;
    };
}

Value take_into_store(const Invocation& call, std::vector<Step>& steps, std::uint16_t kind, const char* builtin) {
    std::string path = call.text(0);
    bool literal = call.literal[0];
    steps.push_back(collect(builtin, path, call.destination(), literal && path.starts_with("/")));
    if (kind == artifact_dir) {
        return artifact_at(call.destination(), kind); // the folder's contents are the artifact
    }
    std::size_t slash = path.find_last_of('/');
    return artifact_at(call.destination() + "/" + (slash == std::string::npos ? path : path.substr(slash + 1)), kind);
}

} // namespace

void add_value_builtins(std::vector<Builtin>& out) {
    Type str = Type::of(Type::str);
    out.push_back(value_builtin("version", "The PEP 440 version git gives this ref (SPEC.md section 4)", {}, str,
                                [](const Invocation& call, std::vector<Step>&) { return Value::of_text(std::string(call.version)); }));
    out.push_back(value_builtin("ref", "The name of the branch or tag being built", {}, str,
                                [](const Invocation& call, std::vector<Step>&) { return Value::of_text(std::string(call.ref_name)); }));
    out.push_back(value_builtin("env", "An environment variable of the machine running chain",
                                {param("name", str, true)}, str, [](const Invocation& call, std::vector<Step>&) {
                                    const char* value = std::getenv(call.text(0).c_str());
                                    return Value::of_text(value ? value : "");
                                }));
    out.push_back(value_builtin("file", "A file the stage's steps made, taken into the artifact store",
                                {param("path", str, true)}, Type::artifact_of(artifact_file),
                                [](const Invocation& call, std::vector<Step>& steps) {
                                    return take_into_store(call, steps, artifact_file, "file");
                                }));
    out.push_back(value_builtin("dir", "A folder the stage's steps made, taken into the artifact store",
                                {param("path", str, true)}, Type::artifact_of(artifact_dir),
                                [](const Invocation& call, std::vector<Step>& steps) {
                                    return take_into_store(call, steps, artifact_dir, "dir");
                                }));
    out.push_back(value_builtin("pypi", "A Python package index: a folder (PEP 503) or a URL",
                                {param("location", str, true)}, Type::target_of(target_pypi),
                                make_target(target_pypi, {})));
    out.push_back(value_builtin("apt", "An apt repository in a folder, managed with reprepro",
                                {param("location", str, true), param("dist", str, false, "\"bookworm\"")},
                                Type::target_of(target_apt), make_target(target_apt, {"dist"})));
    out.push_back(value_builtin("registry", "A container registry",
                                {param("url", str, true), param("insecure", Type::of(Type::bool_), false, "false")},
                                Type::target_of(target_registry), make_target(target_registry, {"insecure"})));
    out.push_back(value_builtin("local", "Releases in a folder of this machine", {param("dir", str, true)},
                                Type::target_of(target_local), make_target(target_local, {})));
    out.push_back(Builtin{
        "hosts",
        "Releases on remote hosts, reached with OpenSSH",
        {param("names", Type::list_of(str), true), param("dir", str, true), param("key", str, true),
         param("known_hosts", str, true), param("user", str),
         param("connect_timeout", Type::of(Type::duration), false, "10s")},
        BlockUse::none,
        returns(Type::target_of(target_hosts)),
        [](const CallSite& call) {
            // Names written in the pipeline are checked here; others (a param's) when the deploy is planned.
            std::vector<CallProblem> problems;
            const auto* list = call.has(0) ? std::get_if<ast::ListExpr>(&call.args[0]->node) : nullptr;
            if (!list) {
                return problems;
            }
            // The items themselves, not a copy: each problem points at its item in the tree.
            for (const ast::Expr& item : list->items) {
                if (std::optional<std::string> name = ast::literal_text(item)) {
                    if (std::string problem = host_name_problem(*name); !problem.empty()) {
                        problems.push_back({0, "E0231", problem,
                                            "write each host as host, user@host or user@host:port, like "
                                            "\"deploy@web1.example:2222\"",
                                            &item});
                    }
                }
            }
            return problems;
        },
        [](const Invocation& call, std::vector<Step>&) {
            Value target;
            target.kind = Value::Kind::target;
            target.target_kind = target_hosts;
            target.text = call.text(1);
            for (auto [index, name] : {std::pair<std::size_t, const char*>{0, "names"}, {2, "key"}, {3, "known_hosts"},
                                        {4, "user"}, {5, "connect_timeout"}}) {
                if (const Value* option = call.arg(index)) {
                    target.fields.emplace_back(name, *option);
                }
            }
            return target;
        }});
}

} // namespace chain::stdlib
