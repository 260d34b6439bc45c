" Criteria files of libreg: comments start with #, indentation is two spaces.
if exists("b:did_ftplugin")
  finish
endif
let b:did_ftplugin = 1

setlocal comments=:# commentstring=#\ %s
setlocal expandtab shiftwidth=2 softtabstop=2 textwidth=100
" `gq` and `=` lay the file out canonically when regel is on the PATH
if executable('regel')
  setlocal formatprg=regel\ fmt\ -
endif
let b:undo_ftplugin = "setlocal comments< commentstring< expandtab< shiftwidth< softtabstop< textwidth< formatprg<"
