" Vim syntax file
" Language:   test cases of regel criteria (*.regeltest, `regel test`)
" Filenames:  *.regeltest

if exists("b:current_syntax")
  finish
endif

let s:cpo_save = &cpo
set cpo&vim

syn case match
syn iskeyword @,48-57,_,192-255

" The snippets between """ and """ are criteria.
syn include @regelSnippet syntax/regel.vim
unlet! b:current_syntax

syn keyword regeltestKeyword  test peildatum as_of portfolio uit from regel line uitvoer output
syn keyword regeltestKeyword  criteria verwacht expect fout error diagnose diagnostic
syn match   regeltestCode     "\<REG\d\{4}\>"
syn match   regeltestDate     "\<\d\{4}-\d\{2}-\d\{2}\>"
syn match   regeltestNumber   "-\=\<\d\+\%(\.\d\+\)\=\%([eE][-+]\=\d\+\)\=\>"
syn keyword regeltestJson     true false null
syn region  regeltestString   start=+"+ skip=+\\\\\|\\"+ end=+"+ oneline
syn region  regeltestSnippet  matchgroup=regeltestDelimiter start=+"""+ end=+"""+ contains=@regelSnippet keepend
syn match   regeltestComment  "^\s*#.*$"

hi def link regeltestKeyword   Statement
hi def link regeltestCode      Special
hi def link regeltestDate      Number
hi def link regeltestNumber    Number
hi def link regeltestJson      Constant
hi def link regeltestString    String
hi def link regeltestDelimiter Delimiter
hi def link regeltestComment   Comment

let b:current_syntax = "regeltest"

let &cpo = s:cpo_save
unlet s:cpo_save
