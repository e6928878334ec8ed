#!/usr/bin/env python3
"""A scripted JSON-RPC session with `chain lsp` over its stdin and stdout, as an editor holds one:
diagnostics on open and change, hover, completion, definition, symbols, formatting, and malformed
input answered with errors.   session_test.py CHAIN"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import framing  # noqa: E402

chain = sys.argv[1]
server = subprocess.Popen([chain, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
next_id = 0


def send_raw(body: bytes):
    framing.write(server, body)


def send(method, params=None, request=True):
    global next_id
    message = {"jsonrpc": "2.0", "method": method, "params": params or {}}
    if request:
        next_id += 1
        message["id"] = next_id
    send_raw(json.dumps(message).encode())
    return message.get("id")


def receive():
    return framing.receive(server)


def request(method, params=None):
    sent = send(method, params)
    message = receive()
    assert message.get("id") == sent, message
    return message


def expect(condition, what, got):
    if not condition:
        server.kill()
        sys.exit(f"{what}; got:\n{json.dumps(got, indent=2)}")


uri = "file:///tmp/lsp-test/pipeline.chain"
text = """pipeline "demo"
let index = pypi("../.index")
stage test when develop {
  test(runner: pytest)
}
stage build needs test when develop {
  artifact wheel = package(format: wheel, version: version())
  publish(wheel, to: index)
}
stage downstream needs build when develop {
  trigger("../app", with: { "demo": build.wheel })
}
"""

init = request("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
caps = init["result"]["capabilities"]
expect(caps["hoverProvider"] and caps["definitionProvider"] and caps["documentFormattingProvider"],
       "initialize announces hover, definition and formatting", init)
send("initialized", request=False)

send("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "chain", "version": 1, "text": text}},
     request=False)
published = receive()
expect(published["method"] == "textDocument/publishDiagnostics" and published["params"]["diagnostics"] == [],
       "a clean document has no diagnostics", published)

broken = text.replace("needs test when", "needs tset when")
send("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": broken}]},
     request=False)
published = receive()
diagnostics = published["params"]["diagnostics"]
expect(len(diagnostics) == 1 and diagnostics[0]["code"] == "E0202" and diagnostics[0]["severity"] == 1
       and diagnostics[0]["range"] == {"start": {"line": 5, "character": 18}, "end": {"line": 5, "character": 22}}
       and "did you mean 'test'?" in diagnostics[0]["message"],
       "a misspelt need is E0202 on its name, with the hint", published)

syntax = text.replace("stage build needs test when develop {", "stage build needs test wen develop {")
send("textDocument/didChange", {"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": syntax}]},
     request=False)
published = receive()
expect(published["params"]["diagnostics"][0]["code"].startswith("E01"), "a syntax error is reported", published)
symbols = request("textDocument/documentSymbol", {"textDocument": {"uri": uri}})["result"]
expect([s["name"] for s in symbols] == ["index", "test", "downstream"],
       "symbols of a document with a syntax error: what parsed around it", symbols)

unclosed = text.rstrip("}\n") + "\n"
send("textDocument/didChange", {"textDocument": {"uri": uri, "version": 4}, "contentChanges": [{"text": unclosed}]},
     request=False)
published = receive()
related = published["params"]["diagnostics"][0].get("relatedInformation")
expect(related == [{"location": {"uri": uri, "range": {"start": {"line": 9, "character": 42},
                                                       "end": {"line": 9, "character": 43}}},
                    "message": "the body of stage 'downstream', opened here, is never closed"}],
       "a body never closed points at its '{' as related information", published)

send("textDocument/didChange", {"textDocument": {"uri": uri, "version": 5}, "contentChanges": [{"text": text}]},
     request=False)
receive()

hover = request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 6, "character": 21}})
expect("package(format: sdist|wheel|deb|tar|image" in hover["result"]["contents"]["value"]
       and "-> artifact<wheel>" in hover["result"]["contents"]["value"], "hover on a builtin: its signature", hover)
hover = request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 1, "character": 5}})
expect("let index: pypi target" in hover["result"]["contents"]["value"], "hover on a let: its type", hover)
hover = request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 10, "character": 42}})
expect("build.wheel: artifact<wheel>" in hover["result"]["contents"]["value"], "hover on an artifact member", hover)
hover = request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 5, "character": 19}})
expect("stage test" in hover["result"]["contents"]["value"], "hover on a need: the stage", hover)

definition = request("textDocument/definition", {"textDocument": {"uri": uri}, "position": {"line": 10, "character": 42}})
expect(definition["result"] == {"uri": uri, "range": {"start": {"line": 6, "character": 11},
                                                      "end": {"line": 6, "character": 16}}},
       "build.wheel goes to `artifact wheel`", definition)
definition = request("textDocument/definition", {"textDocument": {"uri": uri}, "position": {"line": 7, "character": 22}})
expect(definition["result"]["range"]["start"] == {"line": 1, "character": 4}, "index goes to its let", definition)
definition = request("textDocument/definition", {"textDocument": {"uri": uri}, "position": {"line": 9, "character": 24}})
expect(definition["result"]["range"]["start"] == {"line": 5, "character": 6}, "a need goes to its stage", definition)

def labels(line, character, edited=None):
    if edited is not None:
        send("textDocument/didChange", {"textDocument": {"uri": uri, "version": 9},
                                        "contentChanges": [{"text": edited}]}, request=False)
        receive()
    answer = request("textDocument/completion", {"textDocument": {"uri": uri},
                                                 "position": {"line": line, "character": character}})
    return [item["label"] for item in answer["result"]["items"]]

member_text = text.replace('"demo": build.wheel', '"demo": build.')
expect(labels(10, 42, member_text) == ["wheel"], "`build.` offers wheel", labels(10, 42))
argument_text = text.replace("test(runner: pytest)", "test(ru")
expect(labels(3, 9, argument_text) == ["runner:"], "keyword arguments of a builtin", labels(3, 9))
enum_text = text.replace("test(runner: pytest)", "test(runner: p")
expect(labels(3, 16, enum_text) == ["pytest"], "the words of an enum argument", labels(3, 16))
stage_text = text.replace("needs build when", "needs bu when")
expect("build" in labels(9, 25, stage_text), "stage names", labels(9, 25))
keyword_text = text + "sta"
expect(labels(12, 3, keyword_text) == ["stage"], "keywords at the top level", labels(12, 3))

messy = 'pipeline "demo"\nlet index=pypi("../.index")\nstage test when develop {test(runner:pytest)}\n'
send("textDocument/didChange", {"textDocument": {"uri": uri, "version": 10}, "contentChanges": [{"text": messy}]},
     request=False)
receive()
formatting = request("textDocument/formatting", {"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": True}})
edit = formatting["result"][0]
expect(edit["newText"] == 'pipeline "demo"\nlet index = pypi("../.index")\n\nstage test when develop {\n  test(runner: pytest)\n}\n'
       and edit["range"]["end"] == {"line": 3, "character": 0}, "formatting replaces the document with fmt's text",
       formatting)

# Robustness: nothing below may end the server.
send_raw(b"{this is not json")
answer = receive()
expect(answer["error"]["code"] == -32700 and answer["id"] is None, "malformed JSON: a parse error", answer)
answer = request("textDocument/unknownThing", {"textDocument": {"uri": uri}})
expect(answer["error"]["code"] == -32601, "an unknown method: method not found", answer)
answer = request("workspace/symbol", {"query": "x"})
expect(answer["error"]["code"] == -32601, "an unserved method: method not found", answer)
answer = request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 9999, "character": 9999}})
expect("result" in answer, "a position past the end is clamped", answer)
answer = request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": -1, "character": 0}})
expect(answer["error"]["code"] == -32602, "a negative position: invalid params", answer)
answer = request("textDocument/hover", {"textDocument": {"uri": uri}})
expect(answer["error"]["code"] == -32602, "a missing position: invalid params", answer)
answer = request("textDocument/hover", {"textDocument": {"uri": "file:///not/open.chain"}, "position": {"line": 0, "character": 0}})
expect(answer["result"] is None, "a document that is not open: no result", answer)
send("$/cancelRequest", {"id": 1}, request=False)  # a notification it does not serve: ignored

# Broken framing: each message is answered with a parse error (id null), and the next one is read.
for header in [b"Content-Length: -5\r\n\r\n", b"Content-Length: 18446744073709551616\r\n\r\n",
               b"Content-Type: application/json\r\n\r\n"]:
    framing.write_raw(server, header)
    answer = receive()
    expect(answer["error"]["code"] == -32700 and answer["id"] is None,
           f"the header block {header!r}: a parse error", answer)
    answer = request("textDocument/documentSymbol", {"textDocument": {"uri": uri}})
    expect("result" in answer, f"after {header!r}, the next request is answered", answer)
too_large = 64 * 1024 * 1024 + 1
framing.write_raw(server, b"Content-Length: %d\r\n\r\n" % too_large + b" " * too_large)
answer = receive()
expect(answer["error"]["code"] == -32700 and "skipped: the limit is 67108864 bytes" in answer["error"]["message"],
       "a message over 64 MiB is read past with a parse error", answer)
answer = request("textDocument/documentSymbol", {"textDocument": {"uri": uri}})
expect("result" in answer, "after a message over the limit, the next request is answered", answer)

answer = request("shutdown")
expect(answer["result"] is None, "shutdown answers null", answer)
send("exit", request=False)
code = server.wait(timeout=10)
expect(code == 0, "exit after shutdown ends with 0", code)
print("ok: diagnostics, hover, completion, definition, symbols, formatting, and errors for malformed input and framing")
