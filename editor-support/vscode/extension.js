// Starts `chain lsp` for .chain files: diagnostics, hover, completion, definition, symbols, formatting.
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration('chain').get('path') || 'chain';
  client = new LanguageClient(
    'chain',
    'chain',
    { command, args: ['lsp'] },
    { documentSelector: [{ scheme: 'file', language: 'chain' }] }
  );
  context.subscriptions.push({ dispose: () => client && client.stop() });
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
