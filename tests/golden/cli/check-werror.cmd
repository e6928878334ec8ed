check tests/golden/check/warnings/unused-let.chain --werror
