" pipeline.chain and every *.chain file are chain pipelines.
autocmd BufRead,BufNewFile *.chain setfiletype chain
