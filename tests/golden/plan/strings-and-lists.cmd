plan valid/strings-and-lists.chain --branch develop -p 'extra=["-x", "it'\''s"]'
