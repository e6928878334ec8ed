#include "stdlib/builtin.hpp"

#include <catch2/catch.hpp>

using namespace chain;

TEST_CASE("the standard library has every builtin of SPEC.md section 6") {
    const stdlib::Registry& registry = stdlib::standard_library();
    for (const char* name : {"sh", "test", "lint", "coverage", "package", "virtualenv", "chroot", "publish", "deploy",
                             "trigger", "file", "dir", "version", "ref", "env", "pypi", "apt", "registry", "local",
                             "hosts"}) {
        INFO(name);
        CHECK(registry.find(name) != nullptr);
    }
    CHECK(registry.find("nope") == nullptr);
}

TEST_CASE("signatures read as the language writes them") {
    const stdlib::Registry& registry = stdlib::standard_library();
    CHECK(registry.find("sh")->signature() == "sh(cmd: str | list<str>, env: record = {}, effect: bool = false)");
    CHECK(registry.find("test")->signature() ==
          "test(runner: pytest|tox|unittest|command = pytest, python: str = \"3\", args: list<str> = [], tox_env: str?, "
          "env: record = {}) -> artifact<report>");
    CHECK(registry.find("chroot")->signature() ==
          "chroot(dist: str?, root: str?, tool: debootstrap|pbuilder = debootstrap, packages: list<str> = [], "
                                                "mirror: str = \"http://deb.debian.org/debian\", env: record = {}) { ... }");
    CHECK(registry.find("publish")->signature() ==
          "publish(a: artifact<sdist|wheel|deb|image>, to: pypi or apt or registry target, env: record = {})");
}

TEST_CASE("the records say which builtins change something outside the run's folders") {
    const stdlib::Registry& registry = stdlib::standard_library();
    for (const char* name : {"publish", "deploy", "trigger"}) {
        INFO(name);
        CHECK(registry.find(name)->effect == stdlib::Effect::always);
    }
    CHECK(registry.find("sh")->effect == stdlib::Effect::declared);
    for (const stdlib::Builtin& builtin : registry.all()) {
        if (builtin.name != "publish" && builtin.name != "deploy" && builtin.name != "trigger" && builtin.name != "sh") {
            INFO(builtin.name);
            CHECK(builtin.effect == stdlib::Effect::none);
        }
    }
    const stdlib::Builtin& sh = *registry.find("sh");
    stdlib::Invocation call;
    call.args.resize(sh.params.size());
    CHECK_FALSE(sh.has_effect(call));
    call.args[static_cast<std::size_t>(sh.param_index("effect"))] = stdlib::Value::of_bool(false);
    CHECK_FALSE(sh.has_effect(call));
    call.args[static_cast<std::size_t>(sh.param_index("effect"))] = stdlib::Value::of_bool(true);
    CHECK(sh.has_effect(call));
}

namespace {
stdlib::CallSite call_of(const stdlib::Builtin& builtin) {
    std::size_t n = builtin.params.size();
    return stdlib::CallSite{std::vector<const ast::Expr*>(n), std::vector<Type>(n), std::vector<std::string>(n)};
}
} // namespace

TEST_CASE("package's result follows its format") {
    const stdlib::Builtin& package = *stdlib::standard_library().find("package");
    stdlib::CallSite call = call_of(package);
    for (auto [format, kind] : {std::pair{"sdist", "artifact<sdist>"}, std::pair{"wheel", "artifact<wheel>"},
                                std::pair{"deb", "artifact<deb>"}, std::pair{"tar", "artifact<file>"},
                                std::pair{"image", "artifact<image>"}}) {
        call.words[0] = format;
        CHECK(to_string(package.result(call)) == kind);
    }
}

TEST_CASE("publish relates the artifact to the target") {
    const stdlib::Builtin& publish = *stdlib::standard_library().find("publish");
    stdlib::CallSite call = call_of(publish);
    call.types[0] = Type::artifact_of(artifact_deb);
    call.types[1] = Type::target_of(target_apt);
    CHECK(publish.validate(call).empty());
    call.types[1] = Type::target_of(target_pypi);
    auto problems = publish.validate(call);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].code == "E0302");
    CHECK(problems[0].message == "cannot publish artifact<deb> to a pypi target");
    CHECK(problems[0].hint == "artifact<deb> goes to apt(...)");
}

TEST_CASE("types fit where their kinds narrow") {
    CHECK(fits(Type::artifact_of(artifact_wheel), Type::artifact_of(artifact_wheel | artifact_sdist)));
    CHECK_FALSE(fits(Type::artifact_of(artifact_wheel | artifact_sdist), Type::artifact_of(artifact_wheel)));
    CHECK(fits(Type::list_of(Type{}), Type::list_of(Type::of(Type::str))));
    CHECK_FALSE(fits(Type::of(Type::int_), Type::of(Type::percent)));
    CHECK(to_string(Type::list_of(Type::artifact_of(artifact_deb | artifact_dir))) == "list<artifact<dir|deb>>");
    CHECK(with_article(Type::target_of(target_apt)) == "an apt target");
}

TEST_CASE("every builtin that runs local processes takes env: record = {}, and test names tox's environment tox_env") {
    const stdlib::Registry& registry = stdlib::standard_library();
    for (const char* name : {"sh", "test", "lint", "coverage", "package", "virtualenv", "chroot", "publish"}) {
        INFO(name);
        const stdlib::Builtin& builtin = *registry.find(name);
        int env = builtin.param_index("env");
        REQUIRE(env >= 0);
        const stdlib::Param& param = builtin.params[static_cast<std::size_t>(env)];
        REQUIRE(param.accepts.size() == 1);
        CHECK(to_string(param.accepts[0]) == "record");
        CHECK(param.default_text == "{}");
    }
    const stdlib::Builtin& test = *registry.find("test");
    CHECK(test.signature().find("tox_env: str?, env: record = {}") != std::string::npos);
}
