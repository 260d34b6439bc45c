" Criteria files of libreg (the lerarenregister rule engine) and their test cases.
autocmd BufRead,BufNewFile *.regel setfiletype regel
autocmd BufRead,BufNewFile *.regeltest setfiletype regeltest
