/* parser.y: the pure bison grammar of criteria files; actions only build the syntax tree. */
%define api.pure full
%define api.prefix {reg_yy}
%define parse.error custom
%locations
%expect 0
%lex-param {void *scanner}
%parse-param {void *scanner} {RegParseCtx *ctx}

%code requires {
#include <stdint.h>
#include "ast.h"
#include "parse-private.h"

typedef struct {
  uint32_t start, end;
} RegYYLoc;
#define REG_YYLTYPE RegYYLoc
#define REG_YYLTYPE_IS_DECLARED 1
#define YYLLOC_DEFAULT(Cur, Rhs, N)                                                        \
  do {                                                                                     \
    if (N) {                                                                               \
      (Cur).start = YYRHSLOC(Rhs, 1).start;                                                \
      (Cur).end = YYRHSLOC(Rhs, N).end;                                                    \
    } else {                                                                               \
      (Cur).start = (Cur).end = YYRHSLOC(Rhs, 0).end;                                      \
    }                                                                                      \
  } while (0)
}

%code {
#include "date-private.h"
#include "program-private.h"
#include "i18n.h"

int reg_yylex(REG_YYSTYPE *lval, REG_YYLTYPE *lloc, void *scanner);
static void reg_yyerror(REG_YYLTYPE *loc, void *scanner, RegParseCtx *ctx, const char *msg);
/* Bison's own messages ("memory exhausted") are translated too. */
#define YY_(Msgid) reg_gettext(Msgid)

#define F (ctx->file)
static inline RegSpan
SP(REG_YYLTYPE l)
{
  RegSpan s = { l.start, l.end };
  return s;
}

/* Bounds the height of expression trees: deeper ones become an error leaf. */
static AstNode *
chk(RegParseCtx *ctx, AstNode *n)
{
  if (n && n->depth > AST_MAX_DEPTH) {
    if (!ctx->too_deep_reported) {
      ctx->too_deep_reported = true;
      reg_compiler_diag(ctx->comp, REG_E_TOO_DEEP, n->file, n->span.start, n->span.start + 1,
                        _("expression nested more than %d levels deep"), AST_MAX_DEPTH);
    }
    for (uint32_t i = 0; i < n->nkids; i++) {
      ast_free(n->kids[i]);
      n->kids[i] = NULL;
    }
    n->nkids = 0;
    n->kind = AST_BOOL; /* an inert leaf; compilation fails anyway */
    n->depth = 1;
  }
  return n;
}

static AstNode *
bin(RegParseCtx *ctx, REG_YYLTYPE l, int op, AstNode *a, AstNode *b)
{
  return chk(ctx, ast_with(AST_BINARY, ctx->file, SP(l), op, a, b, NULL));
}

static AstNode *
compr(RegParseCtx *ctx, REG_YYLTYPE l, int kind, AstNode *body, char *var, AstNode *src,
      AstNode *filter, AstNode *dflt)
{
  AstNode *n = ast_new_str(AST_COMPR, ctx->file, SP(l), var);
  n->op = kind;
  ast_add(n, body);
  ast_add(n, src);
  ast_add(n, filter);
  ast_add(n, dflt);
  n->span = SP(l);
  return chk(ctx, n);
}

/* The word as written (a keyword used as a field name keeps its spelling). */
static char *
kwtext(RegParseCtx *ctx, REG_YYLTYPE l)
{
  return g_strndup(ctx->text + l.start, l.end - l.start);
}

/* Moves the kids of sequence @s to the end of @dst and frees @s. */
static AstNode *
adopt(AstNode *dst, AstNode *s)
{
  for (uint32_t i = 0; i < s->nkids; i++)
    ast_add(dst, s->kids[i]);
  s->nkids = 0;
  ast_free(s);
  return dst;
}

static AstNode *
seq(RegParseCtx *ctx, REG_YYLTYPE l)
{
  return ast_new(AST_SEQ, ctx->file, SP(l));
}
}

%union {
  AstNode *node;
  char *str;
  int64_t num;
}

%token <str> IDENT "name" STRING "text"
%token <num> INTLIT "integer" DECLIT "decimal number" DATELIT "date"
%token <num> KW_UNIT "unit (dagen, maanden, jaar)"
%token <num> KW_CRITERIA "criteria" KW_VERSION "versie" KW_ENUM "keuzelijst" KW_OPEN "open"
%token <num> KW_RECORD "record" KW_INPUT "invoer" KW_OUTPUT "uitvoer" KW_PARAMETER "parameter"
%token <num> KW_RULE "regel" KW_CHECK "eis"
%token <num> KW_IF "als" KW_THEN "dan" KW_ELSE "anders" KW_AND "en" KW_OR "or" KW_OF "of" KW_NOT "niet"
%token <num> KW_IN "in" KW_FOR "voor" KW_WHERE "waarvoor" KW_IS "is" KW_EMPTY "leeg" KW_UNKNOWN "onbekend"
%token <num> KW_TRUE "waar" KW_FALSE "onwaar" KW_AT "op" KW_ASOF "peildatum"
%token <num> KW_GELDT "geldt" KW_VANAF "vanaf" KW_BASIS "bron" KW_VAN "van"
%token <num> KW_EXPLAIN "uitleg"
%token <num> T_BOOL "waarheid" T_INT "geheel" T_DEC "getal" T_TEXT "tekst" T_DATE "datum"
%token <num> T_DUR "duur" KW_LIST "lijst"
%token <num> KW_REQUIRED "verplicht" KW_DEFAULT "standaard" KW_KEY "sleutel" KW_OPTIONAL "optioneel"
%token <num> KW_DECIMALS "decimalen"
%token <num> KW_SUM "som" KW_COUNT "aantal" KW_MIN "minimum" KW_MAX "maximum" KW_ALL "alle" KW_ANY "enige"
%token <num> KW_FIRST "eerste"
%token NE "!=" LE "<=" GE ">=" KW_NOTIN "niet in"

%type <node> decls decl expr postfix primary type opt_type args exprs recfields recfield
%type <node> members fielddecls fielddecl fieldopts fieldopt outfields outfield params
%type <node> opt_params param meta opt_filter literal_value member
%type <str> name softkw_name

%destructor { g_free($$); } <str>
%destructor { ast_free($$); } <node>

%precedence IFX
%left KW_OR KW_OF
%left KW_AND
%precedence KW_NOT
%nonassoc '=' NE '<' LE '>' GE KW_IN KW_NOTIN KW_IS
%left '+' '-'
%left '*' '/'
%precedence UMINUS
%precedence KW_UNIT
%precedence KW_AT

%start file

%%

file:
  decls { ctx->root = $1; }
;

decls:
  %empty { $$ = seq(ctx, @$); $$->kind = AST_FILE; }
| decls decl { $$ = $2 ? ast_add($1, $2) : $1; }
;

decl:
  KW_CRITERIA STRING KW_VERSION STRING {
    $$ = ast_new_str(AST_CRITERIA, F, SP(@$), $2);
    $$->str2 = $4;
  }
| KW_ENUM name ':' members {
    $$ = $4; $$->kind = AST_ENUM; $$->str = $2; $$->span = SP(@2);
  }
| KW_OPEN KW_ENUM name ':' members {
    $$ = $5; $$->kind = AST_ENUM; $$->str = $3; $$->span = SP(@3); $$->flag = true;
  }
| KW_RECORD name ':' fielddecls {
    $$ = $4; $$->kind = AST_RECORD; $$->str = $2; $$->span = SP(@2);
  }
| KW_INPUT name ':' fielddecls {
    $$ = $4; $$->kind = AST_RECORD; $$->str = $2; $$->span = SP(@2); $$->flag = true;
  }
| KW_OUTPUT name ':' outfields {
    $$ = $4; $$->kind = AST_OUTPUT; $$->str = $2; $$->span = SP(@2);
  }
| KW_PARAMETER name opt_type '=' expr meta {
    $$ = ast_new_str(AST_RULE, F, SP(@2), $2);
    $$->flag = true;
    ast_add($$, seq(ctx, @2)); ast_add($$, $3); ast_add($$, $5); ast_add($$, $6);
    $$->span = SP(@2);
  }
| KW_RULE name opt_params opt_type '=' expr meta {
    $$ = ast_new_str(AST_RULE, F, SP(@2), $2);
    ast_add($$, $3); ast_add($$, $4); ast_add($$, $6); ast_add($$, $7);
    $$->span = SP(@2);
  }
| KW_CHECK expr KW_ELSE STRING meta {
    $$ = ast_new_str(AST_CHECK, F, SP(@$), $4);
    ast_add($$, $2); ast_add($$, $5);
  }
| error { $$ = NULL; }
;

members:
  member { $$ = ast_add(seq(ctx, @$), $1); }
| members ',' member { $$ = ast_add($1, $3); }
;

member:
  name { $$ = ast_new_str(AST_MEMBER, F, SP(@1), $1); }
| name STRING { $$ = ast_new_str(AST_MEMBER, F, SP(@1), $1); $$->str2 = $2; }
;

fielddecls:
  fielddecl { $$ = ast_add(seq(ctx, @$), $1); }
| fielddecls fielddecl { $$ = ast_add($1, $2); }
;

fielddecl:
  name ':' type fieldopts {
    $$ = ast_new_str(AST_FIELDDECL, F, SP(@1), $1);
    ast_add($$, $3);
    adopt($$, $4);
    $$->span = SP(@1);
  }
;

fieldopts:
  %empty { $$ = seq(ctx, @$); }
| fieldopts ',' fieldopt { $$ = ast_add($1, $3); }
;

fieldopt:
  KW_REQUIRED { $$ = ast_new(AST_OPTION, F, SP(@$)); $$->op = AST_OPT_REQUIRED; }
| KW_DEFAULT literal_value { $$ = ast_with(AST_OPTION, F, SP(@$), AST_OPT_DEFAULT, $2, NULL, NULL); }
| KW_KEY { $$ = ast_new(AST_OPTION, F, SP(@$)); $$->op = AST_OPT_KEY; }
| KW_IS KW_ASOF { $$ = ast_new(AST_OPTION, F, SP(@$)); $$->op = AST_OPT_ASOF; }
| GE literal_value { $$ = ast_with(AST_OPTION, F, SP(@$), AST_OPT_MIN, $2, NULL, NULL); }
| INTLIT KW_DECIMALS { $$ = ast_new(AST_OPTION, F, SP(@$)); $$->op = AST_OPT_DECIMALS; $$->num = $1; }
| KW_OPTIONAL { $$ = ast_new(AST_OPTION, F, SP(@$)); $$->op = AST_OPT_OPTIONAL; }
;

literal_value:
  INTLIT { $$ = ast_new(AST_INT, F, SP(@$)); $$->num = $1; }
| DECLIT { $$ = ast_new(AST_DEC, F, SP(@$)); $$->num = $1; }
| '-' INTLIT { $$ = ast_new(AST_INT, F, SP(@$)); $$->num = -$2; }
| '-' DECLIT { $$ = ast_new(AST_DEC, F, SP(@$)); $$->num = -$2; }
| STRING { $$ = ast_new_str(AST_TEXT, F, SP(@$), $1); }
| DATELIT { $$ = ast_new(AST_DATE, F, SP(@$)); $$->num = $1; }
| KW_TRUE { $$ = ast_new(AST_BOOL, F, SP(@$)); $$->num = 1; }
| KW_FALSE { $$ = ast_new(AST_BOOL, F, SP(@$)); $$->num = 0; }
| IDENT { $$ = ast_new_str(AST_NAME, F, SP(@$), $1); }
;

outfields:
  outfield { $$ = ast_add(seq(ctx, @$), $1); }
| outfields outfield { $$ = ast_add($1, $2); }
;

outfield:
  name ':' type '=' expr {
    $$ = ast_new_str(AST_OUTFIELD, F, SP(@1), $1);
    ast_add($$, $3); ast_add($$, $5); ast_add($$, NULL);
    $$->span = SP(@1);
  }
| name ':' type '=' expr KW_IF expr {
    $$ = ast_new_str(AST_OUTFIELD, F, SP(@1), $1);
    ast_add($$, $3); ast_add($$, $5); ast_add($$, $7);
    $$->span = SP(@1);
  }
;

opt_params:
  %empty { $$ = seq(ctx, @$); }
| '(' params ')' { $$ = $2; }
;

params:
  param { $$ = ast_add(seq(ctx, @$), $1); }
| params ',' param { $$ = ast_add($1, $3); }
;

param:
  name ':' type { $$ = ast_add(ast_new_str(AST_PARAMDECL, F, SP(@1), $1), $3); $$->span = SP(@1); }
;

opt_type:
  %empty { $$ = NULL; }
| ':' type { $$ = $2; }
;

type:
  T_BOOL { $$ = ast_new(AST_TYPE_PRIM, F, SP(@$)); $$->op = REG_TYPE_BOOL; }
| T_INT { $$ = ast_new(AST_TYPE_PRIM, F, SP(@$)); $$->op = REG_TYPE_INT; }
| T_DEC { $$ = ast_new(AST_TYPE_PRIM, F, SP(@$)); $$->op = REG_TYPE_DEC; }
| T_TEXT { $$ = ast_new(AST_TYPE_PRIM, F, SP(@$)); $$->op = REG_TYPE_TEXT; }
| T_DATE { $$ = ast_new(AST_TYPE_PRIM, F, SP(@$)); $$->op = REG_TYPE_DATE; }
| T_DUR { $$ = ast_new(AST_TYPE_PRIM, F, SP(@$)); $$->op = REG_TYPE_DUR; }
| KW_LIST KW_VAN type { $$ = chk(ctx, ast_with(AST_TYPE_LIST, F, SP(@$), 0, $3, NULL, NULL)); }
| KW_LIST KW_OF type { $$ = chk(ctx, ast_with(AST_TYPE_LIST, F, SP(@$), 0, $3, NULL, NULL)); }
| IDENT { $$ = ast_new_str(AST_TYPE_NAME, F, SP(@$), $1); }
;

meta:
  %empty { $$ = seq(ctx, @$); }
| meta KW_GELDT KW_VANAF DATELIT {
    AstNode *m = ast_new(AST_META, F, SP(@2)); m->op = AST_META_FROM; m->num = $4;
    m->span.end = @4.end;
    $$ = ast_add($1, m);
  }
| meta KW_BASIS STRING {
    AstNode *m = ast_new_str(AST_META, F, SP(@2), $3); m->op = AST_META_BASIS;
    m->span.end = @3.end;
    $$ = ast_add($1, m);
  }
| meta KW_EXPLAIN STRING {
    AstNode *m = ast_new_str(AST_META, F, SP(@2), $3); m->op = AST_META_EXPLAIN;
    m->span.end = @3.end;
    $$ = ast_add($1, m);
  }
;

expr:
  KW_IF expr KW_THEN expr KW_ELSE expr %prec IFX {
    $$ = chk(ctx, ast_with(AST_IF, F, SP(@$), 0, $2, $4, $6));
  }
| expr KW_OR expr { $$ = bin(ctx, @$, OP_OR, $1, $3); }
| expr KW_OF expr { $$ = bin(ctx, @$, OP_OR, $1, $3); }
| expr KW_AND expr { $$ = bin(ctx, @$, OP_AND, $1, $3); }
| KW_NOT expr { $$ = chk(ctx, ast_with(AST_UNARY, F, SP(@$), OP_NOT, $2, NULL, NULL)); }
| expr '=' expr { $$ = bin(ctx, @$, OP_EQ, $1, $3); }
| expr NE expr { $$ = bin(ctx, @$, OP_NE, $1, $3); }
| expr '<' expr { $$ = bin(ctx, @$, OP_LT, $1, $3); }
| expr LE expr { $$ = bin(ctx, @$, OP_LE, $1, $3); }
| expr '>' expr { $$ = bin(ctx, @$, OP_GT, $1, $3); }
| expr GE expr { $$ = bin(ctx, @$, OP_GE, $1, $3); }
| expr KW_IN expr { $$ = bin(ctx, @$, OP_IN, $1, $3); }
| expr KW_NOTIN expr { $$ = bin(ctx, @$, OP_NOTIN, $1, $3); }
| expr KW_IS KW_EMPTY {
    $$ = chk(ctx, ast_with(AST_IS, F, SP(@$), AST_IS_EMPTY, $1, NULL, NULL));
  }
| expr KW_IS KW_NOT KW_EMPTY {
    $$ = chk(ctx, ast_with(AST_IS, F, SP(@$), AST_IS_EMPTY, $1, NULL, NULL)); $$->flag = true;
  }
| expr KW_IS KW_UNKNOWN {
    $$ = chk(ctx, ast_with(AST_IS, F, SP(@$), AST_IS_UNKNOWN, $1, NULL, NULL));
  }
| expr KW_IS KW_NOT KW_UNKNOWN {
    $$ = chk(ctx, ast_with(AST_IS, F, SP(@$), AST_IS_UNKNOWN, $1, NULL, NULL)); $$->flag = true;
  }
| expr '+' expr { $$ = bin(ctx, @$, OP_ADD, $1, $3); }
| expr '-' expr { $$ = bin(ctx, @$, OP_SUB, $1, $3); }
| expr '*' expr { $$ = bin(ctx, @$, OP_MUL, $1, $3); }
| expr '/' expr { $$ = bin(ctx, @$, OP_DIV, $1, $3); }
| '-' expr %prec UMINUS {
    $$ = chk(ctx, ast_with(AST_UNARY, F, SP(@$), OP_NEG, $2, NULL, NULL));
  }
| expr KW_UNIT { $$ = chk(ctx, ast_with(AST_UNIT, F, SP(@$), (int) $2, $1, NULL, NULL)); }
| expr KW_AT postfix { $$ = chk(ctx, ast_with(AST_AT, F, SP(@$), 0, $1, $3, NULL)); }
| postfix { $$ = $1; }
;

postfix:
  primary { $$ = $1; }
| postfix '.' name {
    $$ = chk(ctx, ast_add(ast_new_str(AST_FIELD, F, SP(@$), $3), $1));
    $$->span = SP(@$);
  }
;

primary:
  INTLIT { $$ = ast_new(AST_INT, F, SP(@$)); $$->num = $1; }
| DECLIT { $$ = ast_new(AST_DEC, F, SP(@$)); $$->num = $1; }
| STRING { $$ = ast_new_str(AST_TEXT, F, SP(@$), $1); }
| DATELIT { $$ = ast_new(AST_DATE, F, SP(@$)); $$->num = $1; }
| KW_TRUE { $$ = ast_new(AST_BOOL, F, SP(@$)); $$->num = 1; }
| KW_FALSE { $$ = ast_new(AST_BOOL, F, SP(@$)); $$->num = 0; }
| KW_ASOF { $$ = ast_new(AST_ASOF, F, SP(@$)); }
| IDENT { $$ = ast_new_str(AST_NAME, F, SP(@$), $1); }
| softkw_name { $$ = ast_new_str(AST_NAME, F, SP(@$), $1); }
| IDENT '(' args ')' {
    $$ = $3; $$->kind = AST_CALL; $$->str = $1; $$->span = SP(@$); $$ = chk(ctx, $$);
  }
| '(' expr ')' { $$ = $2; $$->span = SP(@$); }
| '[' ']' { $$ = ast_new(AST_LIST, F, SP(@$)); }
| '[' exprs ']' { $$ = $2; $$->kind = AST_LIST; $$->span = SP(@$); $$ = chk(ctx, $$); }
| '[' expr KW_FOR IDENT KW_IN expr opt_filter ']' {
    $$ = compr(ctx, @$, AST_COMPR_LIST, $2, $4, $6, $7, NULL);
  }
| '{' recfields '}' { $$ = $2; $$->kind = AST_RECLIT; $$->span = SP(@$); $$ = chk(ctx, $$); }
| IDENT '{' recfields '}' {
    $$ = $3; $$->kind = AST_RECLIT; $$->str = $1; $$->span = SP(@$); $$ = chk(ctx, $$);
  }
| KW_SUM '(' expr KW_FOR IDENT KW_IN expr opt_filter ')' {
    $$ = compr(ctx, @$, AST_COMPR_SUM, $3, $5, $7, $8, NULL);
  }
| KW_COUNT '(' IDENT KW_IN expr opt_filter ')' {
    $$ = compr(ctx, @$, AST_COMPR_COUNT, NULL, $3, $5, $6, NULL);
  }
| KW_MIN '(' expr KW_FOR IDENT KW_IN expr opt_filter ',' KW_ELSE expr ')' {
    $$ = compr(ctx, @$, AST_COMPR_MIN, $3, $5, $7, $8, $11);
  }
| KW_MAX '(' expr KW_FOR IDENT KW_IN expr opt_filter ',' KW_ELSE expr ')' {
    $$ = compr(ctx, @$, AST_COMPR_MAX, $3, $5, $7, $8, $11);
  }
| KW_FIRST '(' expr KW_FOR IDENT KW_IN expr opt_filter ',' KW_ELSE expr ')' {
    $$ = compr(ctx, @$, AST_COMPR_FIRST, $3, $5, $7, $8, $11);
  }
| KW_ALL '(' IDENT KW_IN expr ':' expr ')' {
    $$ = compr(ctx, @$, AST_COMPR_ALL, $7, $3, $5, NULL, NULL);
  }
| KW_ANY '(' IDENT KW_IN expr ':' expr ')' {
    $$ = compr(ctx, @$, AST_COMPR_ANY, $7, $3, $5, NULL, NULL);
  }
| KW_MIN '(' expr ',' expr ')' {
    $$ = chk(ctx, ast_with(AST_MINMAX2, F, SP(@$), '<', $3, $5, NULL));
  }
| KW_MAX '(' expr ',' expr ')' {
    $$ = chk(ctx, ast_with(AST_MINMAX2, F, SP(@$), '>', $3, $5, NULL));
  }
;

opt_filter:
  %empty { $$ = NULL; }
| KW_WHERE expr { $$ = $2; }
;

args:
  %empty { $$ = seq(ctx, @$); }
| exprs { $$ = $1; }
;

exprs:
  expr { $$ = ast_add(seq(ctx, @$), $1); }
| exprs ',' expr { $$ = ast_add($1, $3); }
;

recfields:
  recfield { $$ = ast_add(seq(ctx, @$), $1); }
| recfields ',' recfield { $$ = ast_add($1, $3); }
;

recfield:
  name ':' expr {
    $$ = ast_new_str(AST_RECFIELD, F, SP(@1), $1);
    ast_add($$, $3); ast_add($$, NULL);
    $$->span = SP(@1);
  }
| name ':' expr KW_IF expr {
    $$ = ast_new_str(AST_RECFIELD, F, SP(@1), $1);
    ast_add($$, $3); ast_add($$, $5);
    $$->span = SP(@1);
  }
;

/* Field names may be words that are keywords elsewhere (date, type, text, ...). */
name:
  IDENT { $$ = $1; }
| softkw_name { $$ = $1; }
| KW_ASOF { $$ = kwtext(ctx, @1); }
;

softkw_name:
  T_BOOL { $$ = kwtext(ctx, @1); }
| T_INT { $$ = kwtext(ctx, @1); }
| T_DEC { $$ = kwtext(ctx, @1); }
| T_TEXT { $$ = kwtext(ctx, @1); }
| T_DATE { $$ = kwtext(ctx, @1); }
| T_DUR { $$ = kwtext(ctx, @1); }
| KW_LIST { $$ = kwtext(ctx, @1); }
| KW_SUM { $$ = kwtext(ctx, @1); }
| KW_COUNT { $$ = kwtext(ctx, @1); }
| KW_MIN { $$ = kwtext(ctx, @1); }
| KW_MAX { $$ = kwtext(ctx, @1); }
| KW_ALL { $$ = kwtext(ctx, @1); }
| KW_ANY { $$ = kwtext(ctx, @1); }
| KW_FIRST { $$ = kwtext(ctx, @1); }
| KW_KEY { $$ = kwtext(ctx, @1); }
| KW_DEFAULT { $$ = kwtext(ctx, @1); }
| KW_REQUIRED { $$ = kwtext(ctx, @1); }
| KW_OPTIONAL { $$ = kwtext(ctx, @1); }
| KW_DECIMALS { $$ = kwtext(ctx, @1); }
| KW_VERSION { $$ = kwtext(ctx, @1); }
| KW_EMPTY { $$ = kwtext(ctx, @1); }
| KW_UNKNOWN { $$ = kwtext(ctx, @1); }
| KW_GELDT { $$ = kwtext(ctx, @1); }
| KW_VANAF { $$ = kwtext(ctx, @1); }
| KW_BASIS { $$ = kwtext(ctx, @1); }
| KW_EXPLAIN { $$ = kwtext(ctx, @1); }
| KW_VAN { $$ = kwtext(ctx, @1); }
;

%%

#include "lexer.h"

/* For xgettext: the message bison's own code passes to reg_yyerror through YY_. */
static const char *const bison_messages[] G_GNUC_UNUSED = { N_("memory exhausted") };

/* How a token is named in a syntax error: keywords and signs as written, the rest described. */
static const char *
token_name(yysymbol_kind_t k)
{
  switch (k) {
  case YYSYMBOL_YYEOF:
    return _("end of file");
  case YYSYMBOL_YYUNDEF:
    return _("invalid token");
  case YYSYMBOL_IDENT:
    return _("name");
  case YYSYMBOL_STRING:
    return _("text");
  case YYSYMBOL_INTLIT:
    return _("integer");
  case YYSYMBOL_DECLIT:
    return _("decimal number");
  case YYSYMBOL_DATELIT:
    return _("date");
  case YYSYMBOL_KW_UNIT:
    return _("unit (dagen, maanden, jaar)");
  default:
    return yysymbol_name(k);
  }
}

/* "syntax error, unexpected X, expecting A or B": what bison's detailed errors say, with the
 * expected tokens only when there are at most four, in words that can be translated. */
static int
yyreport_syntax_error(const yypcontext_t *yyctx, void *scanner, RegParseCtx *ctx)
{
  (void) scanner;
  ctx->syntax_errors++;
  yysymbol_kind_t exp[4];
  yysymbol_kind_t tok = yypcontext_token(yyctx);
  int n = 0;
  if (tok != YYSYMBOL_YYEMPTY) {
    n = yypcontext_expected_tokens(yyctx, exp, (int) G_N_ELEMENTS(exp));
    if (n < 0)
      return n;
  }
  char *msg;
  if (tok == YYSYMBOL_YYEMPTY)
    msg = g_strdup(_("syntax error"));
  else if (n == 0)
    msg = g_strdup_printf(_("syntax error, unexpected %s"), token_name(tok));
  else if (n == 1)
    msg = g_strdup_printf(_("syntax error, unexpected %s, expecting %s"), token_name(tok),
                          token_name(exp[0]));
  else if (n == 2)
    msg = g_strdup_printf(_("syntax error, unexpected %s, expecting %s or %s"), token_name(tok),
                          token_name(exp[0]), token_name(exp[1]));
  else if (n == 3)
    msg = g_strdup_printf(_("syntax error, unexpected %s, expecting %s or %s or %s"),
                          token_name(tok), token_name(exp[0]), token_name(exp[1]),
                          token_name(exp[2]));
  else
    msg = g_strdup_printf(_("syntax error, unexpected %s, expecting %s or %s or %s or %s"),
                          token_name(tok), token_name(exp[0]), token_name(exp[1]),
                          token_name(exp[2]), token_name(exp[3]));
  reg_yyerror(yypcontext_location(yyctx), scanner, ctx, msg);
  g_free(msg);
  return 0;
}

static void
reg_yyerror(REG_YYLTYPE *loc, void *scanner, RegParseCtx *ctx, const char *msg)
{
  (void) scanner;
  uint32_t end = loc->end > loc->start ? loc->end : loc->start + 1;
  /* bison's stack overflowing means nesting, not a lack of memory: say so */
  if (strcmp(msg, YY_("memory exhausted")) == 0) {
    reg_compiler_diag(ctx->comp, REG_E_SYNTAX, ctx->file, loc->start, end,
                      _("nested too deeply: more than %d parentheses, lists or conditions are "
                        "open here; name a part of the expression as a rule"),
                      YYMAXDEPTH);
    return;
  }
  reg_compiler_diag(ctx->comp, REG_E_SYNTAX, ctx->file, loc->start, end, "%s", msg);
}

int
reg_parse_file(RegParseCtx *ctx, const char *text, size_t len)
{
  yyscan_t scanner;
  if (reg_yylex_init_extra(ctx, &scanner) != 0)
    return 1;
  ctx->text = text;
  ctx->offset = 0;
  YY_BUFFER_STATE buf = reg_yy_scan_bytes(text, (int) len, scanner);
  int rc = reg_yyparse(scanner, ctx);
  reg_yy_delete_buffer(buf, scanner);
  reg_yylex_destroy(scanner);
  if (!ctx->root) /* the parser gave up (memory exhausted): keep an empty file */
    ctx->root = ast_new(AST_FILE, ctx->file, (RegSpan){ 0, 0 });
  /* yyparse() is 0 whenever it recovered: count what was reported instead */
  return ctx->syntax_errors > 0 ? ctx->syntax_errors : (rc != 0);
}
