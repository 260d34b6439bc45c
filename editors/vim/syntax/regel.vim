" Vim syntax file
" Language:   regel, the criteria language of libreg (Dutch keywords with English aliases)
" Filenames:  *.regel
" Keywords:   every word of dsl/keywords.c (tests/test-editors.py checks that)

if exists("b:current_syntax")
  finish
endif

let s:cpo_save = &cpo
set cpo&vim

syn case match
syn iskeyword @,48-57,_,192-255

" Declarations and their metadata
syn keyword regelDeclaration  criteria keuzelijst enum open record invoer input uitvoer output
syn keyword regelDeclaration  parameter regel rule eis require
syn keyword regelMeta         versie version geldt effective vanaf from bron basis uitleg explanation

" Expressions
syn keyword regelConditional  als if dan then anders else
syn keyword regelRepeat       voor for waarvoor where in
syn keyword regelOperatorWord en and of or niet not is leeg empty onbekend unknown op at
syn keyword regelAggregate    som sum aantal count minimum min maximum max eerste first alle all
syn keyword regelAggregate    enige any
syn keyword regelBoolean      waar true onwaar false
syn keyword regelConstant     peildatum reference_date
syn keyword regelUnit         dag dagen day days week weken weeks maand maanden month months
syn keyword regelUnit         jaar jaren year years

" Types and field options
syn keyword regelType         waarheid bool boolean geheel int integer getal number decimal
syn keyword regelType         tekst text datum date duur duration lijst list van
syn keyword regelOption       verplicht required standaard default sleutel key optioneel optional
syn keyword regelOption       decimalen decimaal decimals

" Built-in functions (names, not keywords)
syn match   regelBuiltin      "\<\%(perioden\|periods\|afgerond\|round\|absoluut\|abs\|lengte\|length\)\ze\s*("

" Names after a dot, and field names at the start of a line, are names even when they are
" keywords elsewhere (a.date, 'date: datum'): these start before the keyword and win.
syn match   regelField        "\.\s*\h\w*"
syn match   regelFieldDecl    "^\s\+\h\w*\ze\s*:"

" Literals
syn match   regelDate         "\<\d\{4}-\d\{2}-\d\{2}\>"
syn match   regelNumber       "\<\d\+\%(\.\d\+\)\=\>"
syn region  regelString       start=+"+ skip=+\\\\\|\\"+ end=+"+ end=+$+ oneline contains=regelEscape,regelPlaceholder
syn match   regelEscape       contained +\\[\\"nt]+
syn match   regelPlaceholder  contained "{[^}"]*}"

syn match   regelOperator     "!=\|<>\|<=\|>=\|[-+*/=<>]\|≠\|≤\|≥"
syn match   regelComment      "#.*$" contains=regelTodo,@Spell
syn keyword regelTodo         contained TODO FIXME XXX

hi def link regelDeclaration  Statement
hi def link regelMeta         PreProc
hi def link regelConditional  Conditional
hi def link regelRepeat       Repeat
hi def link regelOperatorWord Operator
hi def link regelOperator     Operator
hi def link regelAggregate    Function
hi def link regelBuiltin      Function
hi def link regelBoolean      Boolean
hi def link regelConstant     Constant
hi def link regelUnit         Special
hi def link regelType         Type
hi def link regelOption       StorageClass
hi def link regelField        Identifier
hi def link regelFieldDecl    Identifier
hi def link regelDate         Number
hi def link regelNumber       Number
hi def link regelString       String
hi def link regelEscape       SpecialChar
hi def link regelPlaceholder  Special
hi def link regelComment      Comment
hi def link regelTodo         Todo

let b:current_syntax = "regel"

let &cpo = s:cpo_save
unlet s:cpo_save
