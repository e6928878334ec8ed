#include "builtin.hpp"

namespace chain::stdlib {

namespace {
Builtin value_builtin(std::string name, std::string summary, std::vector<Param> params, Type result) {
    return Builtin{std::move(name), std::move(summary), std::move(params), BlockUse::none, returns(std::move(result)),
                   nullptr};
}
} // namespace

void add_value_builtins(std::vector<Builtin>& out) {
    Type str = Type::of(Type::str);
    out.push_back(value_builtin("version", "The PEP 440 version git gives this ref (SPEC.md section 4)", {}, str));
    out.push_back(value_builtin("ref", "The name of the branch or tag being built", {}, str));
    out.push_back(value_builtin("env", "An environment variable of the machine running chain",
                                {param("name", str, true)}, str));
    out.push_back(value_builtin("file", "A file the stage's steps made, taken into the artifact store",
                                {param("path", str, true)}, Type::artifact_of(artifact_file)));
    out.push_back(value_builtin("dir", "A folder the stage's steps made, taken into the artifact store",
                                {param("path", str, true)}, Type::artifact_of(artifact_dir)));
    out.push_back(value_builtin("pypi", "A Python package index: a folder (PEP 503) or a URL",
                                {param("location", str, true)}, Type::target_of(target_pypi)));
    out.push_back(value_builtin("apt", "An apt repository in a folder, managed with reprepro",
                                {param("location", str, true), param("dist", str, false, "\"bookworm\"")},
                                Type::target_of(target_apt)));
    out.push_back(value_builtin("registry", "A container registry",
                                {param("url", str, true), param("insecure", Type::of(Type::bool_), false, "false")},
                                Type::target_of(target_registry)));
    out.push_back(value_builtin("local", "Releases in a folder of this machine", {param("dir", str, true)},
                                Type::target_of(target_local)));
    out.push_back(value_builtin("hosts", "Releases on remote hosts over ssh",
                                {param("names", Type::list_of(str), true), param("user", str),
                                 param("dir", str, false, "\"/srv\"")},
                                Type::target_of(target_hosts)));
}

} // namespace chain::stdlib
