#pragma once
// The message of every syntax error point (each rule wrapped in must<> in rules.hpp).
// `{}` in a message is replaced by what is being parsed there ("stage 'build'", "the call of 'test'").
// The parser's control refuses to compile a must<> rule that has no entry here.

#include "rules.hpp"

namespace chain::rules {

/// The code, message and optional hint of one syntax error point.
struct ErrorText {
    const char* code = nullptr;
    const char* message = nullptr;
    const char* hint = nullptr;
};

template <typename Rule> inline constexpr ErrorText error_text{};

#define CHAIN_SYNTAX_ERROR(rule, code, message, hint) \
    template <> inline constexpr ErrorText error_text<rule>{code, message, hint};

// strings and numbers
CHAIN_SYNTAX_ERROR(string_close, "E0103", "unterminated string", "add the closing '\"' on this line")
CHAIN_SYNTAX_ERROR(escape_char, "E0104", "unknown escape sequence in a string:",
                   "the escapes are \\\" \\\\ \\n \\t and \\$")
CHAIN_SYNTAX_ERROR(interpolation_expr, "E0105", "expected an expression after '${' in a string", nullptr)
CHAIN_SYNTAX_ERROR(interpolation_close, "E0106", "expected '}' to close '${' in a string", nullptr)
CHAIN_SYNTAX_ERROR(fraction_digits, "E0107", "expected digits after the decimal point", nullptr)
CHAIN_SYNTAX_ERROR(number_end, "E0109", "expected a unit after the number",
                   "durations are written 250ms, 30s, 10m or 2h, percentages 80%")

// the file and its declarations
CHAIN_SYNTAX_ERROR(decl, "E0110", "expected a declaration",
                   "a file holds import, let, param, secret, fn and stage declarations")
CHAIN_SYNTAX_ERROR(pipeline_name, "E0111", "expected the pipeline's name after 'pipeline'",
                   "a string or a name, like pipeline \"acme-utils\"")
CHAIN_SYNTAX_ERROR(pipeline_kind, "E0112", "expected the kind of the pipeline after 'kind'",
                   "one of library, application or deployment")
CHAIN_SYNTAX_ERROR(import_path, "E0113", "expected the path of the imported file as a string after 'import'",
                   nullptr)
CHAIN_SYNTAX_ERROR(let_name, "E0114", "expected a name after 'let'", nullptr)
CHAIN_SYNTAX_ERROR(let_type, "E0115", "expected a type after ':' in {}", "the types are str, int, bool, duration, percent, cond, list<T>, artifact<KIND>, target, record")
CHAIN_SYNTAX_ERROR(let_equals, "E0116", "expected '=' and a value after the name of {}", nullptr)
CHAIN_SYNTAX_ERROR(let_value, "E0117", "expected an expression after '=' in {}", nullptr)
CHAIN_SYNTAX_ERROR(param_name, "E0118", "expected a name after 'param'", nullptr)
CHAIN_SYNTAX_ERROR(param_colon, "E0119", "expected ':' and a type after the name of {}",
                   "a param needs a type, like param pythons: list<str>")
CHAIN_SYNTAX_ERROR(param_type, "E0120", "expected a type after ':' in {}", "the types are str, int, bool, duration, percent, cond, list<T>, artifact<KIND>, target, record")
CHAIN_SYNTAX_ERROR(param_default, "E0121", "expected a default value after '=' in {}", nullptr)
CHAIN_SYNTAX_ERROR(secret_name, "E0122", "expected a name after 'secret'", nullptr)
CHAIN_SYNTAX_ERROR(secret_equals, "E0123", "expected '=' after the name of {}",
                   "secrets are read from the environment: secret token = env(\"TOKEN\")")
CHAIN_SYNTAX_ERROR(secret_env, "E0124", "expected 'env' after '=' in {}",
                   "secrets are read from the environment: secret token = env(\"TOKEN\")")
CHAIN_SYNTAX_ERROR(secret_open, "E0125", "expected '(' after 'env' in {}", nullptr)
CHAIN_SYNTAX_ERROR(secret_variable, "E0126", "expected the environment variable's name as a string in {}",
                   nullptr)
CHAIN_SYNTAX_ERROR(secret_close, "E0127", "expected ')' to close 'env(' in {}", nullptr)
CHAIN_SYNTAX_ERROR(fn_name, "E0128", "expected a name after 'fn'", nullptr)
CHAIN_SYNTAX_ERROR(fn_open, "E0129", "expected '(' to open the parameters of {}", nullptr)
CHAIN_SYNTAX_ERROR(first_fn_param, "E0130", "expected a parameter name or ')' in {}", nullptr)
CHAIN_SYNTAX_ERROR(next_fn_param, "E0131", "expected a parameter name after ',' in {}", nullptr)
CHAIN_SYNTAX_ERROR(fn_param_colon, "E0132", "expected ':' and a type after {}", nullptr)
CHAIN_SYNTAX_ERROR(fn_param_type, "E0133", "expected a type after ':' in {}", "the types are str, int, bool, duration, percent, cond, list<T>, artifact<KIND>, target, record")
CHAIN_SYNTAX_ERROR(fn_close, "E0134", "expected ',' or ')' after the parameters of {}", nullptr)
CHAIN_SYNTAX_ERROR(fn_body, "E0135", "expected '{' to open the body of {}", nullptr)

// stages and their clauses
CHAIN_SYNTAX_ERROR(stage_name, "E0140", "expected a name after 'stage'", nullptr)
CHAIN_SYNTAX_ERROR(stage_body, "E0141", "expected '{' to open the body of {}",
                   "a stage's clauses are needs, when, matrix, inputs, timeout, retry, manual, env and allow_failure")
CHAIN_SYNTAX_ERROR(needed_stage, "E0142", "expected the name of a stage after 'needs'", nullptr)
CHAIN_SYNTAX_ERROR(stage_condition, "E0143", "expected a ref pattern after 'when'",
                   "like develop, release/*, branch \"ci/*\" or a cond name")
CHAIN_SYNTAX_ERROR(matrix_variable, "E0144", "expected the matrix variable's name after 'matrix'", nullptr)
CHAIN_SYNTAX_ERROR(matrix_in, "E0145", "expected 'in' after {}", "like matrix python in [\"3.11\", \"3.12\"]")
CHAIN_SYNTAX_ERROR(matrix_values, "E0146", "expected a list of values after 'in' in {}", nullptr)
CHAIN_SYNTAX_ERROR(input_pattern, "E0147", "expected a file pattern as a string after 'inputs'",
                   "like inputs \"src/**\", \"setup.cfg\"")
CHAIN_SYNTAX_ERROR(timeout_duration, "E0148", "expected a duration after 'timeout'", "like 30s, 10m or 2h")
CHAIN_SYNTAX_ERROR(retry_count, "E0149", "expected a number of retries after 'retry'", nullptr)
CHAIN_SYNTAX_ERROR(env_record, "E0139", "expected a record of environment variables after 'env'",
                   "like env { PYTHONHASHSEED: \"0\" }")

// statements and blocks
CHAIN_SYNTAX_ERROR(block_close, "E0150", "expected a statement or '}' to close {}",
                   "a statement is a call, let, artifact or when")
CHAIN_SYNTAX_ERROR(stmt_call, "E0151", "expected '(' to call '{}'",
                   "a statement is a call like sh(\"make\"), or let, artifact or when")
CHAIN_SYNTAX_ERROR(artifact_name, "E0152", "expected a name after 'artifact'", nullptr)
CHAIN_SYNTAX_ERROR(artifact_equals, "E0153", "expected '=' after the name of {}", nullptr)
CHAIN_SYNTAX_ERROR(artifact_value, "E0154", "expected an expression after '=' in {}",
                   "like artifact wheel = package(format: wheel)")
CHAIN_SYNTAX_ERROR(when_condition, "E0155", "expected a ref pattern after 'when'",
                   "like develop, release/*, branch \"ci/*\" or a cond name")
CHAIN_SYNTAX_ERROR(when_block, "E0156", "expected '{' to open the block of 'when'", nullptr)
CHAIN_SYNTAX_ERROR(else_block, "E0157", "expected '{' to open the block of 'else'", nullptr)

// expressions
CHAIN_SYNTAX_ERROR(or_operand, "E0160", "expected an expression after 'or'", nullptr)
CHAIN_SYNTAX_ERROR(pipe_operand, "E0167", "expected an expression after '|'", nullptr)
CHAIN_SYNTAX_ERROR(and_operand, "E0161", "expected an expression after 'and'", nullptr)
CHAIN_SYNTAX_ERROR(not_operand, "E0162", "expected an expression after 'not'", nullptr)
CHAIN_SYNTAX_ERROR(equal_operand, "E0163", "expected an expression after '=='", nullptr)
CHAIN_SYNTAX_ERROR(not_equal_operand, "E0168", "expected an expression after '!='", nullptr)
CHAIN_SYNTAX_ERROR(plus_operand, "E0164", "expected an expression after '+'", nullptr)
CHAIN_SYNTAX_ERROR(paren_expr, "E0165", "expected an expression after '('", nullptr)
CHAIN_SYNTAX_ERROR(paren_close, "E0166", "expected ')' to close '('", nullptr)
CHAIN_SYNTAX_ERROR(first_argument, "E0170", "expected an argument or ')' in {}", nullptr)
CHAIN_SYNTAX_ERROR(next_argument, "E0171", "expected an argument after ',' in {}", nullptr)
CHAIN_SYNTAX_ERROR(call_close, "E0172", "expected ',' or ')' to close {}", nullptr)
CHAIN_SYNTAX_ERROR(argument_value, "E0173", "expected a value for {}", nullptr)
CHAIN_SYNTAX_ERROR(first_list_item, "E0174", "expected an expression or ']' in the list", nullptr)
CHAIN_SYNTAX_ERROR(next_list_item, "E0175", "expected an expression after ',' in the list", nullptr)
CHAIN_SYNTAX_ERROR(list_close, "E0176", "expected ',' or ']' to close the list", nullptr)
CHAIN_SYNTAX_ERROR(first_record_entry, "E0177", "expected a key or '}' in the record",
                   "a key is a name or a string, like { \"acme-utils\": build.wheel }")
CHAIN_SYNTAX_ERROR(next_record_entry, "E0178", "expected a key after ',' in the record", nullptr)
CHAIN_SYNTAX_ERROR(record_colon, "E0179", "expected ':' after {}", nullptr)
CHAIN_SYNTAX_ERROR(record_value, "E0180", "expected a value after ':' for {}", nullptr)
CHAIN_SYNTAX_ERROR(record_close, "E0181", "expected ',' or '}' to close the record", nullptr)
CHAIN_SYNTAX_ERROR(member_name, "E0182", "expected a name after '.'", "like build.wheel")
CHAIN_SYNTAX_ERROR(ref_glob, "E0184", "expected a branch name pattern after '/'", "like feature/* or release/1.*")
CHAIN_SYNTAX_ERROR(branch_pattern, "E0185", "expected a quoted pattern after 'branch'", "like branch \"ci/*\"")
CHAIN_SYNTAX_ERROR(tag_pattern, "E0186", "expected a quoted pattern after 'tag'", "like tag \"v*\"")

// types
CHAIN_SYNTAX_ERROR(list_type_open, "E0190", "expected '<' and the element type after 'list'", "like list<str>")
CHAIN_SYNTAX_ERROR(artifact_type_open, "E0191", "expected '<' and the artifact kind after 'artifact'",
                   "like artifact<wheel>")
CHAIN_SYNTAX_ERROR(element_type, "E0192", "expected the element type of the list",
                   "the types are str, int, bool, duration, percent, cond, list<T>, artifact<KIND>, target, record")
CHAIN_SYNTAX_ERROR(artifact_kind, "E0193", "expected an artifact kind",
                   "the kinds are file, dir, report, sdist, wheel, venv, deb and image")
CHAIN_SYNTAX_ERROR(type_close, "E0194", "expected '>' to close the type", nullptr)

// a lone expression
CHAIN_SYNTAX_ERROR(expression_value, "E0195", "expected a value", "like \"text\", 42, 30s, 80%, true or [\"a\", \"b\"]")
CHAIN_SYNTAX_ERROR(expression_end, "E0196", "expected the end of the value", nullptr)

#undef CHAIN_SYNTAX_ERROR

} // namespace chain::rules
