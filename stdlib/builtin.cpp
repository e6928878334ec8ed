#include "builtin.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

namespace chain::stdlib {

int Builtin::param_index(std::string_view param_name) const {
    for (std::size_t i = 0; i < params.size(); ++i) {
        if (params[i].name == param_name) {
            return static_cast<int>(i);
        }
    }
    return -1;
}

bool Builtin::has_effect(const Invocation& call) const {
    if (effect != Effect::declared) {
        return effect == Effect::always;
    }
    const Value* flag = effect_param < 0 ? nullptr : call.arg(static_cast<std::size_t>(effect_param));
    return flag && flag->number != 0;
}

std::string Builtin::signature() const {
    std::string out = name + "(";
    for (std::size_t i = 0; i < params.size(); ++i) {
        const Param& p = params[i];
        out += (i ? ", " : "") + p.name + ": ";
        if (!p.words.empty()) {
            for (std::size_t w = 0; w < p.words.size(); ++w) {
                out += (w ? "|" : "") + p.words[w];
            }
        } else {
            for (std::size_t t = 0; t < p.accepts.size(); ++t) {
                out += (t ? " | " : "") + to_string(p.accepts[t]);
            }
        }
        if (!p.default_text.empty()) {
            out += " = " + p.default_text;
        } else if (!p.required) {
            out += "?";
        }
    }
    out += ")";
    if (block == BlockUse::required) {
        out += " { ... }";
    }
    CallSite nothing_given{std::vector<const ast::Expr*>(params.size()), std::vector<Type>(params.size()),
                           std::vector<std::string>(params.size())};
    Type result_type = result ? result(nothing_given) : Type::of(Type::none);
    if (result_type.kind != Type::none) {
        out += " -> " + to_string(result_type);
    }
    return out;
}

Registry::Registry(std::vector<Builtin> builtins) : builtins_(std::move(builtins)) {
    std::sort(builtins_.begin(), builtins_.end(), [](const Builtin& a, const Builtin& b) { return a.name < b.name; });
    for (Builtin& builtin : builtins_) {
        CallSite nothing_given{std::vector<const ast::Expr*>(builtin.params.size()),
                               std::vector<Type>(builtin.params.size()), std::vector<std::string>(builtin.params.size())};
        builtin.gives_artifact = builtin.result && builtin.result(nothing_given).kind == Type::artifact;
        builtin.env_param = builtin.param_index("env");
        builtin.effect_param = builtin.param_index("effect");
        if (builtin.params.size() > max_params) {
            throw std::logic_error(builtin.name + " has more parameters than an Invocation marks");
        }
    }
}

const Builtin* Registry::find(std::string_view name) const {
    auto it = std::lower_bound(builtins_.begin(), builtins_.end(), name,
                               [](const Builtin& b, std::string_view n) { return b.name < n; });
    return it != builtins_.end() && it->name == name ? &*it : nullptr;
}

const Registry& standard_library() {
    static const Registry registry = [] {
        std::vector<Builtin> builtins;
        for (auto add : {add_sh, add_test, add_lint, add_coverage, add_virtualenv, add_package, add_publish, add_chroot,
                         add_deploy, add_trigger, add_value_builtins}) {
            add(builtins);
        }
        return Registry(std::move(builtins));
    }();
    return registry;
}

Param param(std::string name, Type type, bool required, std::string default_text) {
    return Param{std::move(name), {std::move(type)}, {}, required, std::move(default_text)};
}

Param enum_param(std::string name, std::vector<std::string> words, bool required, std::string default_text) {
    return Param{std::move(name), {}, std::move(words), required, std::move(default_text)};
}

std::string Invocation::text(std::size_t param, std::string fallback) const {
    return args[param] ? text_of(*args[param]) : fallback;
}

std::vector<std::string> Invocation::texts(std::size_t param) const {
    std::vector<std::string> out;
    if (args[param]) {
        out.reserve(args[param]->items.size());
        for (const Value& item : args[param]->items) {
            out.push_back(text_of(item));
        }
    }
    return out;
}

std::string Invocation::in_scratch(std::string_view file) const {
    std::string path;
    path.reserve(scratch.size() + 1 + file.size());
    return path.append(scratch).append(1, '/').append(file);
}

Step command(std::string builtin, std::vector<std::string> argv) {
    Step step;
    step.builtin = std::move(builtin);
    step.argv = std::move(argv);
    return step;
}

Step action(std::string builtin, std::string description) {
    Step step;
    step.builtin = std::move(builtin);
    step.action = std::move(description);
    return step;
}

Step perform(std::string builtin, std::string description, std::vector<std::string> args) {
    Step step = action(std::move(builtin), std::move(description));
    step.action_args = std::move(args);
    return step;
}
Step publish_to_folder_index(std::string builtin, const std::string& artifact, const std::string& index,
                             const std::string& report) {
    Step step = perform(std::move(builtin),
                        fmt::format("copy each wheel and sdist of {} into the PEP 503 index {}/simple and rewrite its "
                                    "index pages",
                                    artifact, index),
                        {"pep503", artifact, index, report});
    step.report_format = "text";
    step.report_path = report;
    return step;
}
std::vector<std::string> podman_argv(const std::vector<std::string>& args) {
    return joined({"podman", "--storage-driver", image_storage_driver}, args);
}

Step load_image(std::string builtin, const Value& image) {
    const Value* file = image.field("file");
    return command(std::move(builtin),
                   podman_argv({"load", "--quiet", "--input", file ? text_of(*file) : image.text + "/image.tar"}));
}

Step collect(std::string builtin, std::string source, std::string destination, bool absolute_allowed) {
    std::string description = "take " + source + " into " + destination;
    return perform(std::move(builtin), std::move(description),
                   {"collect", std::move(source), std::move(destination), absolute_allowed ? "as-written" : "inside"});
}

Value artifact_at(std::string path, std::uint16_t kind) {
    Value value;
    value.kind = Value::Kind::artifact;
    value.text = std::move(path);
    value.artifact_kind = kind;
    return value;
}

std::string python_program(const std::string& version) {
    return version.find('/') == std::string::npos ? "python" + version : version;
}

Type str_list() { return Type::list_of(Type::of(Type::str)); }

std::vector<std::string> joined(std::vector<std::string> head, const std::vector<std::string>& tail) {
    head.insert(head.end(), tail.begin(), tail.end());
    return head;
}

std::function<Type(const CallSite&)> returns(Type type) {
    return [type](const CallSite&) { return type; };
}

} // namespace chain::stdlib
