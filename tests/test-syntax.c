/* test-syntax.c: the lexer's tokens and the parser's trees, errors and recovery, in isolation. */
#include <check.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "diag.h"
#include "libreg.h"
#include "parse-private.h"
#include "parser.h"
/* after parser.h: the flex header needs its token and location types */
#include "lexer.h"

/*
 * The lexer is driven through its own entry points (reg_yylex_init_extra, reg_yy_scan_bytes,
 * reg_yylex), the parser through reg_parse_file(): no name resolution or type checking gets in
 * the way. Diagnostics land in a RegCompiler that holds the same text as source 0, "t.regel",
 * so the public reg_compiler_get_diagnostic() gives their line and column.
 *
 * Tokens are written as NAME, NAME(value) or 'c', with "@line:col/start-end" when locations
 * are asked for; trees with ast_dump() (dsl/ast.c).
 *
 *   build/tests/test-syntax --tokens 'als x ≥ 1'   prints the tokens of a text
 *   build/tests/test-syntax --tree 'regel r = 1'  prints its tree and diagnostics
 */

#define FILE_NAME "t.regel"

/* ---- tokens -------------------------------------------------------------------- */

#define TOKENS(X)                                                                          \
  X(IDENT) X(STRING) X(INTLIT) X(DECLIT) X(DATELIT) X(KW_UNIT) X(KW_CRITERIA) X(KW_VERSION) \
  X(KW_ENUM) X(KW_OPEN) X(KW_RECORD) X(KW_INPUT) X(KW_OUTPUT) X(KW_PARAMETER) X(KW_RULE)    \
  X(KW_CHECK) X(KW_IF) X(KW_THEN) X(KW_ELSE) X(KW_AND) X(KW_OR) X(KW_OF) X(KW_NOT) X(KW_IN)  \
  X(KW_FOR) X(KW_WHERE) X(KW_IS) X(KW_EMPTY) X(KW_UNKNOWN) X(KW_TRUE) X(KW_FALSE) X(KW_AT)   \
  X(KW_ASOF) X(KW_GELDT) X(KW_VANAF) X(KW_BASIS) X(KW_VAN) X(KW_EXPLAIN) X(T_BOOL) X(T_INT)  \
  X(T_DEC) X(T_TEXT) X(T_DATE) X(T_DUR) X(KW_LIST) X(KW_REQUIRED) X(KW_DEFAULT) X(KW_KEY)    \
  X(KW_OPTIONAL) X(KW_DECIMALS) X(KW_SUM) X(KW_COUNT) X(KW_MIN) X(KW_MAX) X(KW_ALL)          \
  X(KW_ANY) X(KW_FIRST) X(NE) X(LE) X(GE) X(KW_NOTIN)

static const char *
token_name(int tok)
{
  switch (tok) {
#define TOKEN_CASE(t)                                                                      \
  case t:                                                                                  \
    return #t;
    TOKENS(TOKEN_CASE)
#undef TOKEN_CASE
  default:
    return NULL;
  }
}

typedef struct {
  int tok;
  int64_t num;
  char *str;
  uint32_t start, end;
} Token;

static void
append_quoted(GString *s, const char *t)
{
  g_string_append_c(s, '"');
  for (const unsigned char *p = (const unsigned char *) t; *p; p++) {
    if (*p == '"' || *p == '\\')
      g_string_append_printf(s, "\\%c", *p);
    else if (*p == '\n')
      g_string_append(s, "\\n");
    else if (*p == '\t')
      g_string_append(s, "\\t");
    else if (*p < 0x20)
      g_string_append_printf(s, "\\x%02x", *p);
    else
      g_string_append_c(s, (char) *p);
  }
  g_string_append_c(s, '"');
}

/* A compiler holding @text as its only source, for the diagnostics' positions. */
static RegCompiler *
compiler_for(const char *text, size_t len)
{
  RegCompiler *comp = reg_compiler_new();
  reg_compiler_add_source(comp, FILE_NAME, text, (gssize) len);
  return comp;
}

/* The tokens of @len bytes of @text, end of file excluded. */
static GArray *
lex_tokens(RegCompiler *comp, const char *text, size_t len)
{
  RegParseCtx ctx = { 0 };
  ctx.comp = comp;
  ctx.file = 0;
  ctx.text = text;
  yyscan_t scanner;
  /* (no ck_assert on success paths: the probe mode runs outside of Check) */
  if (reg_yylex_init_extra(&ctx, &scanner) != 0)
    ck_abort_msg("reg_yylex_init_extra failed");
  YY_BUFFER_STATE buf = reg_yy_scan_bytes(text, (int) len, scanner);
  GArray *toks = g_array_new(FALSE, TRUE, sizeof(Token));
  for (;;) {
    REG_YYSTYPE val = { 0 };
    REG_YYLTYPE loc = { 0 };
    int tok = reg_yylex(&val, &loc, scanner);
    if (tok == 0)
      break;
    Token t = { tok, 0, NULL, loc.start, loc.end };
    if (tok == IDENT || tok == STRING)
      t.str = val.str;
    else
      t.num = val.num;
    g_array_append_val(toks, t);
  }
  reg_yy_delete_buffer(buf, scanner);
  reg_yylex_destroy(scanner);
  return toks;
}

static void
free_tokens(GArray *toks)
{
  for (guint i = 0; i < toks->len; i++)
    g_free(g_array_index(toks, Token, i).str);
  g_array_free(toks, TRUE);
}

/* The diagnostics of @comp, one per line: "REG0003@1:11 message". */
static char *
diag_list(RegCompiler *comp)
{
  GString *s = g_string_new(NULL);
  for (guint i = 0; i < reg_compiler_get_n_diagnostics(comp); i++) {
    guint code = 0, line = 0, col = 0;
    const char *msg = reg_compiler_get_diagnostic(comp, i, &code, NULL, &line, &col);
    g_string_append_printf(s, "%sREG%04u@%u:%u %s", i ? "\n" : "", code, line, col, msg);
  }
  return g_string_free(s, FALSE);
}

static void
append_token(GString *s, const Token *t, const RegSource *src)
{
  const char *name = token_name(t->tok);
  if (name)
    g_string_append(s, name);
  else if (t->tok > 0 && t->tok < 128)
    g_string_append_printf(s, "'%c'", t->tok);
  else
    g_string_append_printf(s, "?%d", t->tok);
  switch (t->tok) {
  case IDENT:
    g_string_append_printf(s, "(%s)", t->str);
    break;
  case STRING:
    g_string_append_c(s, '(');
    append_quoted(s, t->str);
    g_string_append_c(s, ')');
    break;
  case INTLIT:
  case DECLIT:
  case DATELIT:
  case KW_UNIT:
    g_string_append_printf(s, "(%" G_GINT64_FORMAT ")", t->num);
    break;
  default:
    if (t->num != 0) /* keywords carry no value */
      g_string_append_printf(s, "(?%" G_GINT64_FORMAT ")", t->num);
    break;
  }
  if (src) {
    uint32_t line = 0, col = 0;
    reg_source_position(src, t->start, &line, &col);
    g_string_append_printf(s, "@%u:%u/%u-%u", line, col, t->start, t->end);
  }
}

/* The tokens of @len bytes of @text, separated by spaces, with locations if @locs; the
 * diagnostics, if @diags is not NULL. */
static char *
lex_n(const char *text, size_t len, gboolean locs, char **diags)
{
  g_autoptr(RegCompiler) comp = compiler_for(text, len);
  GArray *toks = lex_tokens(comp, text, len);
  RegSource *src = locs ? reg_source_new(FILE_NAME, text, len) : NULL;
  GString *s = g_string_new(NULL);
  for (guint i = 0; i < toks->len; i++) {
    if (i)
      g_string_append_c(s, ' ');
    append_token(s, &g_array_index(toks, Token, i), src);
  }
  if (src)
    reg_source_free(src);
  free_tokens(toks);
  if (diags)
    *diags = diag_list(comp);
  else
    ck_assert_msg(reg_compiler_get_n_diagnostics(comp) == 0, "unexpected diagnostics for %s",
                  text);
  return g_string_free(s, FALSE);
}

/* Tokens of a text that must lex without diagnostics. */
static char *
lex(const char *text)
{
  return lex_n(text, strlen(text), FALSE, NULL);
}

static char *
lex_at(const char *text)
{
  return lex_n(text, strlen(text), TRUE, NULL);
}

#define ASSERT_TOKENS(text, want)                                                          \
  do {                                                                                     \
    g_autofree char *got_ = lex(text);                                                     \
    ck_assert_msg(strcmp(got_, want) == 0, "tokens of <%s>:\n  want %s\n  got  %s", text,   \
                  want, got_);                                                             \
  } while (0)

#define ASSERT_TOKENS_AT(text, want)                                                       \
  do {                                                                                     \
    g_autofree char *got_ = lex_at(text);                                                  \
    ck_assert_msg(strcmp(got_, want) == 0, "tokens of <%s>:\n  want %s\n  got  %s", text,   \
                  want, got_);                                                             \
  } while (0)

/* Tokens with locations and the diagnostics of @len bytes of @text. */
#define ASSERT_LEX_ERROR_N(text, len, want_tokens, want_diags)                             \
  do {                                                                                     \
    g_autofree char *d_ = NULL;                                                            \
    g_autofree char *got_ = lex_n(text, len, TRUE, &d_);                                   \
    ck_assert_msg(strcmp(got_, want_tokens) == 0, "tokens:\n  want %s\n  got  %s",         \
                  want_tokens, got_);                                                      \
    ck_assert_msg(strcmp(d_, want_diags) == 0, "diagnostics:\n  want %s\n  got  %s",       \
                  want_diags, d_);                                                         \
  } while (0)
#define ASSERT_LEX_ERROR(text, want_tokens, want_diags)                                    \
  ASSERT_LEX_ERROR_N(text, strlen(text), want_tokens, want_diags)

/* ---- trees --------------------------------------------------------------------- */

/* Parses @len bytes of @text; the root (AST_FILE), the diagnostics in @comp. */
static AstNode *
parse_root(RegCompiler *comp, const char *text, size_t len, int *rc)
{
  RegParseCtx ctx = { 0 };
  ctx.comp = comp;
  ctx.file = 0;
  int r = reg_parse_file(&ctx, text, len);
  if (!ctx.root || ctx.root->kind != AST_FILE)
    ck_abort_msg("no AST_FILE for <%s>", text);
  if (rc)
    *rc = r;
  return ctx.root;
}

/* The tree of @text; its diagnostics in @diags and their number in @ndiags, or, when
 * @diags is NULL, there must be none. */
static char *
parse_n(const char *text, size_t len, char **diags, guint *ndiags, int *rc)
{
  g_autoptr(RegCompiler) comp = compiler_for(text, len);
  AstNode *root = parse_root(comp, text, len, rc);
  char *tree = ast_dump(root);
  ast_free(root);
  if (ndiags)
    *ndiags = reg_compiler_get_n_diagnostics(comp);
  if (diags) {
    *diags = diag_list(comp);
  } else if (reg_compiler_get_n_diagnostics(comp) != 0) {
    g_autofree char *d = diag_list(comp);
    ck_abort_msg("<%s> does not parse:\n%s", text, d);
  }
  return tree;
}

static char *
parse(const char *text)
{
  return parse_n(text, strlen(text), NULL, NULL, NULL);
}

#define ASSERT_TREE(text, want)                                                            \
  do {                                                                                     \
    g_autofree char *got_ = parse(text);                                                   \
    ck_assert_msg(strcmp(got_, want) == 0, "tree of <%s>:\n  want %s\n  got  %s", text,     \
                  want, got_);                                                             \
  } while (0)

/* The tree of one expression: the body of `regel r = EXPR`. */
static char *
expr_tree(const char *expr)
{
  g_autofree char *text = g_strdup_printf("regel r = %s", expr);
  g_autofree char *all = parse(text);
  const char *prefix = "(file (regel r () _ ";
  ck_assert_msg(g_str_has_prefix(all, prefix) && g_str_has_suffix(all, "))"), "%s", all);
  size_t n = strlen(all) - strlen(prefix) - 2;
  return g_strndup(all + strlen(prefix), n);
}

#define ASSERT_EXPR(expr, want)                                                            \
  do {                                                                                     \
    g_autofree char *got_ = expr_tree(expr);                                               \
    ck_assert_msg(strcmp(got_, want) == 0, "tree of <%s>:\n  want %s\n  got  %s", expr,     \
                  want, got_);                                                             \
  } while (0)

/* A text with syntax errors: the number of diagnostics, the diagnostics, and the tree of
 * what the parser kept after recovering. */
#define ASSERT_SYNTAX_ERRORS(text, want_count, want_diags, want_tree)                      \
  do {                                                                                     \
    g_autofree char *d_ = NULL;                                                            \
    guint n_ = 0;                                                                          \
    g_autofree char *t_ = parse_n(text, strlen(text), &d_, &n_, NULL);                     \
    ck_assert_msg(strcmp(d_, want_diags) == 0, "diagnostics of <%s>:\n  want %s\n  got  %s", \
                  text, want_diags, d_);                                                   \
    ck_assert_msg(n_ == (want_count), "<%s>: %u diagnostics, want %u", text, n_,           \
                  (guint) (want_count));                                                   \
    ck_assert_msg(strcmp(t_, want_tree) == 0,                                              \
                  "tree of <%s> after errors:\n  want %s\n  got  %s", text, want_tree, t_); \
  } while (0)

/* ---- probe mode ---------------------------------------------------------------- */

static int
probe(const char *what, const char *text)
{
  char *d = NULL;
  int rc = 0;
  char *out = strcmp(what, "--tokens") == 0 ? lex_n(text, strlen(text), TRUE, &d)
                                             : parse_n(text, strlen(text), &d, NULL, &rc);
  printf("%s\n%s%s", out, d, d[0] ? "\n" : "");
  if (rc)
    printf("reg_parse_file: %d\n", rc);
  g_free(out);
  g_free(d);
  return EXIT_SUCCESS;
}

/* ---- lexer: keywords ----------------------------------------------------------- */

typedef struct {
  const char *text;
  const char *tokens;
} LexCase;

/* Every keyword of the table in docs/language.md, Dutch and English; units carry their kind
 * (0 days, 1 weeks, 2 months, 3 years). */
static const LexCase keyword_cases[] = {
  { "criteria", "KW_CRITERIA" },
  { "versie", "KW_VERSION" },
  { "version", "KW_VERSION" },
  { "keuzelijst", "KW_ENUM" },
  { "enum", "KW_ENUM" },
  { "open", "KW_OPEN" },
  { "record", "KW_RECORD" },
  { "invoer", "KW_INPUT" },
  { "input", "KW_INPUT" },
  { "uitvoer", "KW_OUTPUT" },
  { "output", "KW_OUTPUT" },
  { "parameter", "KW_PARAMETER" },
  { "regel", "KW_RULE" },
  { "rule", "KW_RULE" },
  { "eis", "KW_CHECK" },
  { "require", "KW_CHECK" },
  { "geldt", "KW_GELDT" },
  { "effective", "KW_GELDT" },
  { "vanaf", "KW_VANAF" },
  { "from", "KW_VANAF" },
  { "bron", "KW_BASIS" },
  { "basis", "KW_BASIS" },
  { "uitleg", "KW_EXPLAIN" },
  { "explanation", "KW_EXPLAIN" },
  { "verplicht", "KW_REQUIRED" },
  { "required", "KW_REQUIRED" },
  { "standaard", "KW_DEFAULT" },
  { "default", "KW_DEFAULT" },
  { "sleutel", "KW_KEY" },
  { "key", "KW_KEY" },
  { "is", "KW_IS" },
  { "peildatum", "KW_ASOF" },
  { "reference_date", "KW_ASOF" },
  { "decimalen", "KW_DECIMALS" },
  { "decimaal", "KW_DECIMALS" },
  { "decimals", "KW_DECIMALS" },
  { "optioneel", "KW_OPTIONAL" },
  { "optional", "KW_OPTIONAL" },
  { "waarheid", "T_BOOL" },
  { "bool", "T_BOOL" },
  { "boolean", "T_BOOL" },
  { "geheel", "T_INT" },
  { "int", "T_INT" },
  { "integer", "T_INT" },
  { "getal", "T_DEC" },
  { "number", "T_DEC" },
  { "decimal", "T_DEC" },
  { "tekst", "T_TEXT" },
  { "text", "T_TEXT" },
  { "datum", "T_DATE" },
  { "date", "T_DATE" },
  { "duur", "T_DUR" },
  { "duration", "T_DUR" },
  { "lijst", "KW_LIST" },
  { "list", "KW_LIST" },
  { "van", "KW_VAN" },
  { "waar", "KW_TRUE" },
  { "true", "KW_TRUE" },
  { "onwaar", "KW_FALSE" },
  { "false", "KW_FALSE" },
  { "dag", "KW_UNIT(0)" },
  { "dagen", "KW_UNIT(0)" },
  { "day", "KW_UNIT(0)" },
  { "days", "KW_UNIT(0)" },
  { "week", "KW_UNIT(1)" },
  { "weken", "KW_UNIT(1)" },
  { "weeks", "KW_UNIT(1)" },
  { "maand", "KW_UNIT(2)" },
  { "maanden", "KW_UNIT(2)" },
  { "month", "KW_UNIT(2)" },
  { "months", "KW_UNIT(2)" },
  { "jaar", "KW_UNIT(3)" },
  { "jaren", "KW_UNIT(3)" },
  { "year", "KW_UNIT(3)" },
  { "years", "KW_UNIT(3)" },
  { "als", "KW_IF" },
  { "if", "KW_IF" },
  { "dan", "KW_THEN" },
  { "then", "KW_THEN" },
  { "anders", "KW_ELSE" },
  { "else", "KW_ELSE" },
  { "en", "KW_AND" },
  { "and", "KW_AND" },
  { "of", "KW_OF" }, /* 'or' in expressions, 'of' in 'list of' */
  { "or", "KW_OR" },
  { "niet", "KW_NOT" },
  { "not", "KW_NOT" },
  { "in", "KW_IN" },
  { "leeg", "KW_EMPTY" },
  { "empty", "KW_EMPTY" },
  { "onbekend", "KW_UNKNOWN" },
  { "unknown", "KW_UNKNOWN" },
  { "op", "KW_AT" },
  { "at", "KW_AT" },
  { "voor", "KW_FOR" },
  { "for", "KW_FOR" },
  { "waarvoor", "KW_WHERE" },
  { "where", "KW_WHERE" },
  { "som", "KW_SUM" },
  { "sum", "KW_SUM" },
  { "aantal", "KW_COUNT" },
  { "count", "KW_COUNT" },
  { "minimum", "KW_MIN" },
  { "min", "KW_MIN" },
  { "maximum", "KW_MAX" },
  { "max", "KW_MAX" },
  { "eerste", "KW_FIRST" },
  { "first", "KW_FIRST" },
  { "alle", "KW_ALL" },
  { "all", "KW_ALL" },
  { "enige", "KW_ANY" },
  { "any", "KW_ANY" },
};

START_TEST(keyword)
{
  const LexCase *c = &keyword_cases[_i];
  ASSERT_TOKENS(c->text, c->tokens);
  /* the same word with a location, between other words */
  g_autofree char *text = g_strdup_printf("x %s y", c->text);
  g_autofree char *want =
    g_strdup_printf("IDENT(x)@1:1/0-1 %s@1:3/2-%zu IDENT(y)@1:%zu/%zu-%zu", c->tokens,
                    2 + strlen(c->text), 4 + strlen(c->text), 3 + strlen(c->text),
                    4 + strlen(c->text));
  ASSERT_TOKENS_AT(text, want);
}
END_TEST

/* The table above is the whole keyword table of keywords.c: a keyword added there without
 * documentation and a test fails here. The table is sorted, as bsearch needs. */
START_TEST(keyword_table_complete_and_sorted)
{
  guint n = 0;
  const char *prev = NULL;
  int tok = 0;
  for (const char *w; (w = reg_keyword_at(n, &tok)) != NULL; n++) {
    if (prev)
      ck_assert_msg(strcmp(prev, w) < 0, "keywords.c is not sorted: '%s' before '%s'", prev, w);
    prev = w;
    int value = -1;
    ck_assert_int_eq(reg_keyword_lookup(w, strlen(w), &value), tok);
    gboolean found = FALSE;
    for (guint i = 0; i < G_N_ELEMENTS(keyword_cases); i++)
      found = found || strcmp(keyword_cases[i].text, w) == 0;
    ck_assert_msg(found, "keyword '%s' of keywords.c is not in keyword_cases", w);
  }
  ck_assert_uint_eq(n, G_N_ELEMENTS(keyword_cases));
  ck_assert_ptr_null(reg_keyword_at(n, NULL));
  int value = -1;
  ck_assert_int_eq(reg_keyword_lookup("", 0, &value), 0);
  ck_assert_int_eq(reg_keyword_lookup("alsx", 3, &value), KW_IF); /* only @len bytes count */
  ck_assert_int_eq(reg_keyword_lookup("jaren", 5, &value), KW_UNIT);
  ck_assert_int_eq(value, 3);
}
END_TEST

START_TEST(keywords_are_whole_lower_case_words)
{
  /* upper case, longer words, digits and '_' make names */
  ASSERT_TOKENS("Als ALS alsof als_ als1 _als regels Regel",
                "IDENT(Als) IDENT(ALS) IDENT(alsof) IDENT(als_) IDENT(als1) IDENT(_als) "
                "IDENT(regels) IDENT(Regel)");
  /* the built-in functions are names, not keywords */
  ASSERT_TOKENS("perioden afgerond absoluut lengte periods round abs length",
                "IDENT(perioden) IDENT(afgerond) IDENT(absoluut) IDENT(lengte) IDENT(periods) "
                "IDENT(round) IDENT(abs) IDENT(length)");
  /* a keyword ends at any character that cannot be part of a name */
  ASSERT_TOKENS("als(x)som[", "KW_IF '(' IDENT(x) ')' KW_SUM '['");
  /* a name longer than any keyword */
  ASSERT_TOKENS("een_heel_lange_naam_van_meer_dan_tweeendertig_tekens",
                "IDENT(een_heel_lange_naam_van_meer_dan_tweeendertig_tekens)");
}
END_TEST

/* Words of two keywords: only 'niet in' is one token; the others are two, and the parser
 * puts them together. */
START_TEST(multi_word_keywords)
{
  ASSERT_TOKENS("geldt vanaf", "KW_GELDT KW_VANAF");
  ASSERT_TOKENS("effective from", "KW_GELDT KW_VANAF");
  ASSERT_TOKENS("geldt from", "KW_GELDT KW_VANAF");
  ASSERT_TOKENS("is peildatum", "KW_IS KW_ASOF");
  ASSERT_TOKENS("is reference_date", "KW_IS KW_ASOF");
  ASSERT_TOKENS("lijst van", "KW_LIST KW_VAN");
  ASSERT_TOKENS("list of", "KW_LIST KW_OF");
  ASSERT_TOKENS("is leeg", "KW_IS KW_EMPTY");
  ASSERT_TOKENS("is empty", "KW_IS KW_EMPTY");
  ASSERT_TOKENS("is niet leeg", "KW_IS KW_NOT KW_EMPTY");
  ASSERT_TOKENS("is not empty", "KW_IS KW_NOT KW_EMPTY");
  ASSERT_TOKENS("is onbekend", "KW_IS KW_UNKNOWN");
  ASSERT_TOKENS("is niet onbekend", "KW_IS KW_NOT KW_UNKNOWN");
  ASSERT_TOKENS("is not unknown", "KW_IS KW_NOT KW_UNKNOWN");

  /* 'niet in' is one token, also over a line break; its location covers both words */
  ASSERT_TOKENS_AT("x niet  in y", "IDENT(x)@1:1/0-1 KW_NOTIN@1:3/2-10 IDENT(y)@1:12/11-12");
  ASSERT_TOKENS_AT("x not in y", "IDENT(x)@1:1/0-1 KW_NOTIN@1:3/2-8 IDENT(y)@1:10/9-10");
  ASSERT_TOKENS_AT("x niet\n\t in y",
                   "IDENT(x)@1:1/0-1 KW_NOTIN@1:3/2-11 IDENT(y)@2:6/12-13");
  ASSERT_TOKENS("niet in[x]", "KW_NOTIN '[' IDENT(x) ']'");
  ASSERT_TOKENS("niet in(x)", "KW_NOTIN '(' IDENT(x) ')'");
  ASSERT_TOKENS("not in\"x\"", "KW_NOTIN STRING(\"x\")");
  /* 'in' must be a whole word */
  ASSERT_TOKENS("niet inbegrepen", "KW_NOT IDENT(inbegrepen)");
  ASSERT_TOKENS("niet in_x", "KW_NOT IDENT(in_x)");
  ASSERT_TOKENS("niet in2", "KW_NOT IDENT(in2)");
  ASSERT_TOKENS("niet in\xc3\xa9", "KW_NOT IDENT(in\xc3\xa9)");
  ASSERT_TOKENS("nietin", "IDENT(nietin)");
  ASSERT_TOKENS("Niet in x", "IDENT(Niet) KW_IN IDENT(x)");
  /* a comment between the words makes them two tokens */
  ASSERT_TOKENS("niet # c\n in x", "KW_NOT KW_IN IDENT(x)");
  /* at the very end of the text the lookahead has nothing to look at: two tokens (the
   * parser cannot use 'niet in' there anyway) */
  ASSERT_TOKENS("niet in", "KW_NOT KW_IN");
  ASSERT_TOKENS("niet in ", "KW_NOTIN");
}
END_TEST

/* ---- lexer: operators and literals --------------------------------------------- */

START_TEST(operators)
{
  ASSERT_TOKENS("= != <> \xe2\x89\xa0 < <= \xe2\x89\xa4 > >= \xe2\x89\xa5",
                "'=' NE NE NE '<' LE LE '>' GE GE");
  ASSERT_TOKENS("+ - * / ( ) [ ] { } , : .",
                "'+' '-' '*' '/' '(' ')' '[' ']' '{' '}' ',' ':' '.'");
  /* the Unicode signs are three bytes; columns count bytes */
  ASSERT_TOKENS_AT("a \xe2\x89\xa0 b", "IDENT(a)@1:1/0-1 NE@1:3/2-5 IDENT(b)@1:7/6-7");
  ASSERT_TOKENS_AT("a \xe2\x89\xa4 b \xe2\x89\xa5 c",
                   "IDENT(a)@1:1/0-1 LE@1:3/2-5 IDENT(b)@1:7/6-7 GE@1:9/8-11 "
                   "IDENT(c)@1:13/12-13");
  /* glued to names and numbers they are still operators (docs/language.md says they would
   * be read as part of the name: they are not) */
  ASSERT_TOKENS_AT("uren\xe2\x89\xa5" "160",
                   "IDENT(uren)@1:1/0-4 GE@1:5/4-7 INTLIT(160)@1:8/7-10");
  ASSERT_TOKENS("a\xe2\x89\xa0" "b<=c>=d<>e!=f",
                "IDENT(a) NE IDENT(b) LE IDENT(c) GE IDENT(d) NE IDENT(e) NE IDENT(f)");
  /* longest match, left to right */
  ASSERT_TOKENS("<>= <== => =< >< -- -1",
                "NE '=' LE '=' '=' '>' '=' '<' '>' '<' '-' '-' '-' INTLIT(1)");
}
END_TEST

START_TEST(integers)
{
  ASSERT_TOKENS_AT("0 7 160 1328", "INTLIT(0)@1:1/0-1 INTLIT(7)@1:3/2-3 INTLIT(160)@1:5/4-7 "
                                   "INTLIT(1328)@1:9/8-12");
  /* leading zeros are fine; a sign is an operator */
  ASSERT_TOKENS("007 00 -1 +2", "INTLIT(7) INTLIT(0) '-' INTLIT(1) '+' INTLIT(2)");
  /* the largest integer is the largest whole decimal: 9 223 372 036 854 */
  ASSERT_TOKENS("9223372036854", "INTLIT(9223372036854)");
  ASSERT_TOKENS("09223372036854", "INTLIT(9223372036854)");
  /* a comma is not a decimal point */
  ASSERT_TOKENS("0,2", "INTLIT(0) ',' INTLIT(2)");
}
END_TEST

START_TEST(decimals)
{
  /* exact, in millionths */
  ASSERT_TOKENS_AT("0.5 12.5 0.2", "DECLIT(500000)@1:1/0-3 DECLIT(12500000)@1:5/4-8 "
                                   "DECLIT(200000)@1:10/9-12");
  ASSERT_TOKENS("0.000001 0.100000 1.50 700.5", "DECLIT(1) DECLIT(100000) DECLIT(1500000) "
                                                "DECLIT(700500000)");
  /* leading zeros are stripped */
  ASSERT_TOKENS("007.25 00.5", "DECLIT(7250000) DECLIT(500000)");
  /* the largest decimal */
  ASSERT_TOKENS("9223372036854.775807", "DECLIT(9223372036854775807)");
  /* zeros beyond the 6th decimal change nothing and are accepted (docs/language.md says
   * a 7th decimal is refused; only a nonzero one is) */
  ASSERT_TOKENS("1.0000000 2.50000000", "DECLIT(1000000) DECLIT(2500000)");
  /* a point needs digits on both sides */
  ASSERT_TOKENS("1. .5", "INTLIT(1) '.' '.' INTLIT(5)");
  ASSERT_TOKENS("1.2.3", "DECLIT(1200000) '.' INTLIT(3)");
}
END_TEST

START_TEST(dates)
{
  /* day numbers: days since 1970-01-01 */
  ASSERT_TOKENS_AT("2024-02-29 1970-01-01",
                   "DATELIT(19782)@1:1/0-10 DATELIT(0)@1:12/11-21");
  ASSERT_TOKENS("1969-12-31 2024-01-01 2027-08-01 2000-02-29",
                "DATELIT(-1) DATELIT(19723) DATELIT(21031) DATELIT(11016)");
  /* the first and last dates */
  ASSERT_TOKENS("0001-01-01 9999-12-31", "DATELIT(-719162) DATELIT(2932896)");
  /* without exactly 4-2-2 digits it is arithmetic */
  ASSERT_TOKENS("2023-02-2", "INTLIT(2023) '-' INTLIT(2) '-' INTLIT(2)");
  ASSERT_TOKENS("2024-1-01", "INTLIT(2024) '-' INTLIT(1) '-' INTLIT(1)");
  ASSERT_TOKENS("12024-01-01", "INTLIT(12024) '-' INTLIT(1) '-' INTLIT(1)");
  ASSERT_TOKENS("2024-01-015", "DATELIT(19723) INTLIT(5)");
  ASSERT_TOKENS("2024-01-01.5", "DATELIT(19723) '.' INTLIT(5)");
}
END_TEST

START_TEST(invalid_dates)
{
  ASSERT_LEX_ERROR("2023-02-29 2024-02-29", "DATELIT(0)@1:1/0-10 DATELIT(19782)@1:12/11-21",
                   "REG0004@1:1 '2023-02-29' is not a calendar date");
  ASSERT_LEX_ERROR("x\n  2100-02-29", "IDENT(x)@1:1/0-1 DATELIT(0)@2:3/4-14",
                   "REG0004@2:3 '2100-02-29' is not a calendar date");
  ASSERT_LEX_ERROR("2024-02-30 2023-04-31 2023-13-01 2023-00-10 2023-01-00 0000-01-01",
                   "DATELIT(0)@1:1/0-10 DATELIT(0)@1:12/11-21 DATELIT(0)@1:23/22-32 "
                   "DATELIT(0)@1:34/33-43 DATELIT(0)@1:45/44-54 DATELIT(0)@1:56/55-65",
                   "REG0004@1:1 '2024-02-30' is not a calendar date\n"
                   "REG0004@1:12 '2023-04-31' is not a calendar date\n"
                   "REG0004@1:23 '2023-13-01' is not a calendar date\n"
                   "REG0004@1:34 '2023-00-10' is not a calendar date\n"
                   "REG0004@1:45 '2023-01-00' is not a calendar date\n"
                   "REG0004@1:56 '0000-01-01' is not a calendar date");
}
END_TEST

START_TEST(durations)
{
  ASSERT_TOKENS_AT("30 dagen", "INTLIT(30)@1:1/0-2 KW_UNIT(0)@1:4/3-8");
  ASSERT_TOKENS("1 dag 2 weken 1 week 3 maanden 1 maand 4 jaar 2 jaren",
                "INTLIT(1) KW_UNIT(0) INTLIT(2) KW_UNIT(1) INTLIT(1) KW_UNIT(1) INTLIT(3) "
                "KW_UNIT(2) INTLIT(1) KW_UNIT(2) INTLIT(4) KW_UNIT(3) INTLIT(2) KW_UNIT(3)");
  ASSERT_TOKENS("1 day 2 days 1 week 2 weeks 1 month 2 months 1 year 2 years",
                "INTLIT(1) KW_UNIT(0) INTLIT(2) KW_UNIT(0) INTLIT(1) KW_UNIT(1) INTLIT(2) "
                "KW_UNIT(1) INTLIT(1) KW_UNIT(2) INTLIT(2) KW_UNIT(2) INTLIT(1) KW_UNIT(3) "
                "INTLIT(2) KW_UNIT(3)");
  /* a unit after any expression: the parser decides */
  ASSERT_TOKENS("(k + 1) jaar 1.5 jaar", "'(' IDENT(k) '+' INTLIT(1) ')' KW_UNIT(3) "
                                         "DECLIT(1500000) KW_UNIT(3)");
}
END_TEST

/* The value of the one STRING token of @text (which must lex without diagnostics). */
static char *
string_value(const char *text)
{
  g_autoptr(RegCompiler) comp = compiler_for(text, strlen(text));
  GArray *toks = lex_tokens(comp, text, strlen(text));
  ck_assert_uint_eq(toks->len, 1);
  ck_assert_int_eq(g_array_index(toks, Token, 0).tok, STRING);
  ck_assert_uint_eq(reg_compiler_get_n_diagnostics(comp), 0);
  char *s = g_strdup(g_array_index(toks, Token, 0).str);
  free_tokens(toks);
  return s;
}

START_TEST(strings)
{
  ASSERT_TOKENS_AT("\"vo-wiskunde\" x", "STRING(\"vo-wiskunde\")@1:1/0-13 IDENT(x)@1:15/14-15");
  ASSERT_TOKENS_AT("\"\"", "STRING(\"\")@1:1/0-2");
  /* the escapes, byte for byte */
  g_autofree char *esc = string_value("\"a\\\"b\\\\c\\nd\\te\"");
  ck_assert_str_eq(esc, "a\"b\\c\nd\te");
  g_autofree char *only = string_value("\"\\\\\"");
  ck_assert_str_eq(only, "\\");
  /* UTF-8 is kept as it is; locations count bytes */
  g_autofree char *utf8 = string_value("\"\xc3\xa9\xc3\xa9n \xe2\x82\xac 5\"");
  ck_assert_str_eq(utf8, "\xc3\xa9\xc3\xa9n \xe2\x82\xac 5");
  ASSERT_TOKENS_AT("\"\xc3\xa9\xc3\xa9n\" x",
                   "STRING(\"\xc3\xa9\xc3\xa9n\")@1:1/0-7 IDENT(x)@1:9/8-9");
  /* no comments, keywords or numbers inside text */
  ASSERT_TOKENS("\"a # b\" \"als 1\"", "STRING(\"a # b\") STRING(\"als 1\")");
  /* the placeholders of 'uitleg' are plain text to the lexer */
  g_autofree char *ph = string_value("\"{b.code}: {waarde}\"");
  ck_assert_str_eq(ph, "{b.code}: {waarde}");
}
END_TEST

START_TEST(comments_and_whitespace)
{
  ASSERT_TOKENS_AT("x # commentaar\ny", "IDENT(x)@1:1/0-1 IDENT(y)@2:1/15-16");
  ASSERT_TOKENS_AT("# alleen commentaar", "");
  ASSERT_TOKENS_AT("x #", "IDENT(x)@1:1/0-1");
  ASSERT_TOKENS_AT("#a\n#b\n\n  z", "IDENT(z)@4:3/9-10");
  /* a comment is not checked: quotes, bad bytes and NUL-free junk are fine */
  ASSERT_TOKENS_AT("# \"open \xff @\nx", "IDENT(x)@2:1/12-13");
  /* tabs, CR LF */
  ASSERT_TOKENS_AT("a\r\n\tb", "IDENT(a)@1:1/0-1 IDENT(b)@2:2/4-5");
  ASSERT_TOKENS_AT("\t\ta", "IDENT(a)@1:3/2-3");
  ASSERT_TOKENS_AT("", "");
}
END_TEST

START_TEST(names)
{
  ASSERT_TOKENS_AT("v\xc3\xb3\xc3\xb3r_2018 _x",
                   "IDENT(v\xc3\xb3\xc3\xb3r_2018)@1:1/0-11 IDENT(_x)@1:13/12-14");
  ASSERT_TOKENS("a1_b2 x__ Termijn termijn contact_hours huidige_index",
                "IDENT(a1_b2) IDENT(x__) IDENT(Termijn) IDENT(termijn) IDENT(contact_hours) "
                "IDENT(huidige_index)");
  ASSERT_TOKENS("r.date a.leeg", "IDENT(r) '.' T_DATE IDENT(a) '.' KW_EMPTY");
  ASSERT_TOKENS("\xc3\x84rger \xce\xb1\xce\xb2", "IDENT(\xc3\x84rger) IDENT(\xce\xb1\xce\xb2)");
}
END_TEST

/* ---- lexer: errors ------------------------------------------------------------- */

START_TEST(unterminated_strings)
{
  ASSERT_LEX_ERROR("x = \"abc\ny", "IDENT(x)@1:1/0-1 '='@1:3/2-3 STRING(\"\")@1:5/4-8 "
                                    "IDENT(y)@2:1/9-10",
                   "REG0003@1:5 text not closed by \" on this line");
  ASSERT_LEX_ERROR("\"abc", "STRING(\"\")@1:1/0-4",
                   "REG0003@1:1 text not closed by \" on this line");
  /* a backslash at the very end */
  ASSERT_LEX_ERROR("\"a\\", "STRING(\"\")@1:1/0-3",
                   "REG0003@1:1 text not closed by \" on this line");
  /* an escaped quote does not close */
  ASSERT_LEX_ERROR("\"a\\\"\n", "STRING(\"\")@1:1/0-4",
                   "REG0003@1:1 text not closed by \" on this line");
}
END_TEST

START_TEST(bad_escapes)
{
  ASSERT_LEX_ERROR("\"a\\qb\" x", "STRING(\"ab\")@1:1/0-6 IDENT(x)@1:8/7-8",
                   "REG0003@1:1 unknown escape in text (use \\\" \\\\ \\n or \\t)");
  /* a backslash before the line break */
  ASSERT_LEX_ERROR("\"a\\\nb\"", "STRING(\"ab\")@1:1/0-6",
                   "REG0003@1:1 unknown escape in text (use \\\" \\\\ \\n or \\t)");
  ASSERT_LEX_ERROR("\n  \"\\u00e9\"", "STRING(\"00e9\")@2:3/3-11",
                   "REG0003@2:3 unknown escape in text (use \\\" \\\\ \\n or \\t)");
}
END_TEST

START_TEST(stray_bytes)
{
  ASSERT_LEX_ERROR("a @ b", "IDENT(a)@1:1/0-1 IDENT(b)@1:5/4-5",
                   "REG0002@1:3 '@' cannot start a word or symbol here");
  ASSERT_LEX_ERROR("x\n  'y'", "IDENT(x)@1:1/0-1 IDENT(y)@2:4/5-6",
                   "REG0002@2:3 a quote ' cannot start a word or symbol here "
                   "(text goes between \")\n"
                   "REG0002@2:5 a quote ' cannot start a word or symbol here "
                   "(text goes between \")");
  ASSERT_LEX_ERROR("a ! b $ c ` d ; e % f & g | h ? i ~", "IDENT(a)@1:1/0-1 IDENT(b)@1:5/4-5 "
                   "IDENT(c)@1:9/8-9 IDENT(d)@1:13/12-13 IDENT(e)@1:17/16-17 "
                   "IDENT(f)@1:21/20-21 IDENT(g)@1:25/24-25 IDENT(h)@1:29/28-29 "
                   "IDENT(i)@1:33/32-33",
                   "REG0002@1:3 '!' cannot start a word or symbol here\n"
                   "REG0002@1:7 '$' cannot start a word or symbol here\n"
                   "REG0002@1:11 '`' cannot start a word or symbol here\n"
                   "REG0002@1:15 ';' cannot start a word or symbol here\n"
                   "REG0002@1:19 '%' cannot start a word or symbol here\n"
                   "REG0002@1:23 '&' cannot start a word or symbol here\n"
                   "REG0002@1:27 '|' cannot start a word or symbol here\n"
                   "REG0002@1:31 '?' cannot start a word or symbol here\n"
                   "REG0002@1:35 '~' cannot start a word or symbol here");
  ASSERT_LEX_ERROR("a \x01 b\x7f", "IDENT(a)@1:1/0-1 IDENT(b)@1:5/4-5",
                   "REG0002@1:3 byte 0x01 cannot appear here\n"
                   "REG0002@1:6 byte 0x7f cannot appear here");
}
END_TEST

START_TEST(nul_bytes)
{
  /* outside text: a stray byte; the text goes on after it */
  ASSERT_LEX_ERROR_N("a\0b", 3, "IDENT(a)@1:1/0-1 IDENT(b)@1:3/2-3",
                     "REG0002@1:2 byte 0x00 cannot appear here");
  /* inside text: refused, as a malformed text (the message speaks of an escape) */
  ASSERT_LEX_ERROR_N("\"a\0b\" c", 7, "STRING(\"a\")@1:1/0-5 IDENT(c)@1:7/6-7",
                     "REG0003@1:1 unknown escape in text (use \\\" \\\\ \\n or \\t)");
  /* in a comment: ignored */
  ASSERT_LEX_ERROR_N("# \0\nx", 5, "IDENT(x)@2:1/4-5", "");
}
END_TEST

START_TEST(invalid_utf8)
{
  ASSERT_LEX_ERROR("caf\xc3 x", "IDENT(?)@1:1/0-4 IDENT(x)@1:6/5-6",
                   "REG0009@1:1 name is not valid UTF-8");
  ASSERT_LEX_ERROR("\xff", "IDENT(?)@1:1/0-1", "REG0009@1:1 name is not valid UTF-8");
  /* an overlong encoding of '/' */
  ASSERT_LEX_ERROR("a\xc0\xaf", "IDENT(?)@1:1/0-3", "REG0009@1:1 name is not valid UTF-8");
  ASSERT_LEX_ERROR("x \"\xc3(\"", "IDENT(x)@1:1/0-1 STRING(\"\xc3(\")@1:3/2-6",
                   "REG0009@1:3 text is not valid UTF-8");
  ASSERT_LEX_ERROR("\"\xed\xa0\x80\"", "STRING(\"\xed\xa0\x80\")@1:1/0-5",
                   "REG0009@1:1 text is not valid UTF-8"); /* a surrogate */
}
END_TEST

START_TEST(bad_numbers)
{
  /* one beyond the largest integer, and far beyond */
  ASSERT_LEX_ERROR("9223372036855", "INTLIT(0)@1:1/0-13",
                   "REG0005@1:1 number '9223372036855' is too large");
  ASSERT_LEX_ERROR("x 99999999999999999999999", "IDENT(x)@1:1/0-1 INTLIT(0)@1:3/2-25",
                   "REG0005@1:3 number '99999999999999999999999' is too large");
  ASSERT_LEX_ERROR("9223372036854.775808", "DECLIT(0)@1:1/0-20",
                   "REG0005@1:1 number '9223372036854.775808' is too large");
  ASSERT_LEX_ERROR("99999999999999999999.5", "DECLIT(0)@1:1/0-22",
                   "REG0005@1:1 number '99999999999999999999.5' is too large");
  ASSERT_LEX_ERROR("0.0000001 0.000001", "DECLIT(0)@1:1/0-9 DECLIT(1)@1:11/10-18",
                   "REG0005@1:1 number '0.0000001' has more than 6 decimals");
  ASSERT_LEX_ERROR("1.2345678", "DECLIT(0)@1:1/0-9",
                   "REG0005@1:1 number '1.2345678' has more than 6 decimals");
  /* digits glued to a name */
  ASSERT_LEX_ERROR("2abc 4jaar 1_000", "INTLIT(0)@1:1/0-4 INTLIT(0)@1:6/5-10 INTLIT(0)@1:12/11-16",
                   "REG0005@1:1 '2abc' is neither a number nor a name\n"
                   "REG0005@1:6 '4jaar' is neither a number nor a name\n"
                   "REG0005@1:12 '1_000' is neither a number nor a name");
}
END_TEST

/* Errors on several lines, each at its place, and the tokens in between unharmed. */
START_TEST(several_lexical_errors)
{
  ASSERT_LEX_ERROR("regel a = 1 @\n"
                   "regel b = 2023-02-29\n"
                   "regel c = \"open\n"
                   "regel d = 0.12345678 # \xff\n",
                   "KW_RULE@1:1/0-5 IDENT(a)@1:7/6-7 '='@1:9/8-9 INTLIT(1)@1:11/10-11 "
                   "KW_RULE@2:1/14-19 IDENT(b)@2:7/20-21 '='@2:9/22-23 DATELIT(0)@2:11/24-34 "
                   "KW_RULE@3:1/35-40 IDENT(c)@3:7/41-42 '='@3:9/43-44 STRING(\"\")@3:11/45-50 "
                   "KW_RULE@4:1/51-56 IDENT(d)@4:7/57-58 '='@4:9/59-60 DECLIT(0)@4:11/61-71",
                   "REG0002@1:13 '@' cannot start a word or symbol here\n"
                   "REG0004@2:11 '2023-02-29' is not a calendar date\n"
                   "REG0003@3:11 text not closed by \" on this line\n"
                   "REG0005@4:11 number '0.12345678' has more than 6 decimals");
}
END_TEST

/* ---- parser: expressions ------------------------------------------------------- */

typedef struct {
  const char *expr;
  const char *tree;
} ExprCase;

/* Precedence and associativity, weakest first: als; of; en; niet; comparisons, in, is (not
 * chained); + -; * /; unary -; units; op; .field, calls, brackets. */
static const ExprCase precedence_cases[] = {
  /* en binds more strongly than of; both left to right */
  { "a of b en c", "(of a (en b c))" },
  { "a en b of c", "(of (en a b) c)" },
  { "a of b of c", "(of (of a b) c)" },
  { "a en b en c", "(en (en a b) c)" },
  { "a or b and c", "(of a (en b c))" },
  { "(a of b) en c", "(en (of a b) c)" },
  /* niet applies to the whole comparison after it, not beyond en/of */
  { "niet a en b", "(en (niet a) b)" },
  { "niet a of b", "(of (niet a) b)" },
  { "niet a = b", "(niet (= a b))" },
  { "niet a.date < peildatum", "(niet (< (. a date) peildatum))" },
  { "niet niet a", "(niet (niet a))" },
  { "niet x in L", "(niet (in x L))" },
  { "not a", "(niet a)" },
  /* comparisons under en/of, above + - */
  { "a = b en c < d", "(en (= a b) (< c d))" },
  { "a \xe2\x89\xa0 b of c \xe2\x89\xa4 d", "(of (!= a b) (<= c d))" },
  { "a <> b", "(!= a b)" },
  { "a >= b + 1", "(>= a (+ b 1))" },
  { "a \xe2\x89\xa5 b", "(>= a b)" },
  { "a > b", "(> a b)" },
  { "a + 1 < b * 2", "(< (+ a 1) (* b 2))" },
  /* + - and * / left to right, * / stronger */
  { "a + b * c", "(+ a (* b c))" },
  { "a * b + c", "(+ (* a b) c)" },
  { "a - b - c", "(- (- a b) c)" },
  { "a - b + c", "(+ (- a b) c)" },
  { "a / b / c", "(/ (/ a b) c)" },
  { "a / b * c", "(* (/ a b) c)" },
  { "a + b * c - d / e", "(- (+ a (* b c)) (/ d e))" },
  { "(a + b) * c", "(* (+ a b) c)" },
  /* unary minus: stronger than * and binary -, weaker than units, op and fields */
  { "-a * b", "(* (- a) b)" },
  { "a * -b", "(* a (- b))" },
  { "a - -b", "(- a (- b))" },
  { "- -a", "(- (- a))" },
  { "-1", "(- 1)" },
  { "-a jaar", "(- (jaar a))" },
  { "-x.y", "(- (. x y))" },
  { "u1 + -u2", "(+ u1 (- u2))" },
  /* units: stronger than * and + */
  { "2 * 3 jaar", "(* 2 (jaar 3))" },
  { "k + 1 jaar", "(+ k (jaar 1))" },
  { "(k + 1) jaar", "(jaar (+ k 1))" },
  { "huidige_index jaar", "(jaar huidige_index)" },
  { "d + 1 maand + 1 dag", "(+ (+ d (maanden 1)) (dagen 1))" },
  { "2 weken", "(weken 2)" },
  { "(k + 1) * termijnduur", "(* (+ k 1) termijnduur)" },
  /* op: stronger than units and arithmetic; its date is a postfix expression */
  { "x op d - 1 jaar", "(- (op x d) (jaar 1))" },
  { "x op (d - 1 jaar)", "(op x (- d (jaar 1)))" },
  { "f(x) op (d + 1 dag)", "(op (call f x) (+ d (dagen 1)))" },
  { "gevolg_van_aantekening op vorige_termijn.end",
    "(op gevolg_van_aantekening (. vorige_termijn end))" },
  { "x op 2020-01-01", "(op x 2020-01-01)" },
  { "x at peildatum", "(op x peildatum)" },
  { "a op b op c", "(op (op a b) c)" },
  /* fields and calls */
  { "a.b.c", "(. (. a b) c)" },
  { "f(x).y", "(. (call f x) y)" },
  { "(a).b", "(. a b)" },
  { "R{a: 1}.a", "(. (rec R (a 1)) a)" },
  { "f()", "(call f)" },
  { "f(1, g(2), [3])", "(call f 1 (call g 2) (list 3))" },
  { "perioden(registration.start, peildatum, termijnduur)",
    "(call perioden (. registration start) peildatum termijnduur)" },
  { "afgerond(a.x + a.y, 1)", "(call afgerond (+ (. a x) (. a y)) 1)" },
  /* in, niet in, is leeg, is onbekend: comparisons */
  { "x in L en y niet in M", "(en (in x L) (niet-in y M))" },
  { "x not in [1, 2]", "(niet-in x (list 1 2))" },
  { "a + b in L", "(in (+ a b) L)" },
  { "d in [vakinhoud, vakdidactiek]", "(in d (list vakinhoud vakdidactiek))" },
  { "L is leeg of M is niet leeg", "(of (is-leeg L) (is-niet-leeg M))" },
  { "L is empty and M is not empty", "(en (is-leeg L) (is-niet-leeg M))" },
  { "o is onbekend en o is niet onbekend", "(en (is-onbekend o) (is-niet-onbekend o))" },
  { "a.bevoegdheden is leeg of b.code in a.bevoegdheden",
    "(of (is-leeg (. a bevoegdheden)) (in (. b code) (. a bevoegdheden)))" },
  /* 'is leeg' is reduced at once: it can be compared again (the table says "not chained") */
  { "xs is leeg = waar", "(= (is-leeg xs) waar)" },
  /* als ... dan ... anders takes everything up to the end */
  { "als a dan b anders c", "(als a b c)" },
  { "als a dan b anders als c dan d anders e", "(als a b (als c d e))" },
  { "als a dan b anders c + 1", "(als a b (+ c 1))" },
  { "als a dan b anders c of d", "(als a b (of c d))" },
  { "als a of b dan c en d anders e", "(als (of a b) (en c d) e)" },
  { "als als a dan b anders c dan d anders e", "(als (als a b c) d e)" },
  { "als a dan als b dan c anders d anders e", "(als a (als b c d) e)" },
  { "1 + als a dan 2 anders 3 + 4", "(+ 1 (als a 2 (+ 3 4)))" },
  { "(als a dan 1 anders 2) + 3", "(+ (als a 1 2) 3)" },
  { "a.date >= (als h dan v anders s)", "(>= (. a date) (als h v s))" },
  { "if a then b else c", "(als a b c)" },
  /* literals */
  { "160", "160" },
  { "0.2", "0.2" },
  { "12.50", "12.5" },
  { "2.0", "2.0" },
  { "0.000001", "0.000001" },
  { "\"vo-wiskunde\"", "\"vo-wiskunde\"" },
  { "\"a\\\"b\\n\"", "\"a\\\"b\\n\"" },
  { "2027-08-01", "2027-08-01" },
  { "waar en onwaar", "(en waar onwaar)" },
  { "true of false", "(of waar onwaar)" },
  { "peildatum", "peildatum" },
  { "reference_date", "peildatum" },
};

START_TEST(precedence)
{
  ASSERT_EXPR(precedence_cases[_i].expr, precedence_cases[_i].tree);
}
END_TEST

static const ExprCase aggregation_cases[] = {
  { "som(a.contact_hours voor a in activities waarvoor telt(a))",
    "(som (voor a activities) (. a contact_hours) (waarvoor (call telt a)))" },
  { "som(v voor v in xs)", "(som (voor v xs) v)" },
  { "aantal(a in activities)", "(aantal (voor a activities))" },
  { "aantal(a in xs waarvoor a.domain = vakinhoud)",
    "(aantal (voor a xs) (waarvoor (= (. a domain) vakinhoud)))" },
  { "minimum(v voor v in xs, anders 0)", "(minimum (voor v xs) v (anders 0))" },
  { "maximum(a.date voor a in activities waarvoor a.ok, anders registration.start)",
    "(maximum (voor a activities) (. a date) (waarvoor (. a ok)) (anders (. registration "
    "start)))" },
  { "eerste(a.title voor a in activities waarvoor a.evidence, anders \"\")",
    "(eerste (voor a activities) (. a title) (waarvoor (. a evidence)) (anders \"\"))" },
  { "alle(a in activities: a.validated)", "(alle (voor a activities) (. a validated))" },
  { "enige(a in xs: a = 0 of a > 1)", "(enige (voor a xs) (of (= a 0) (> a 1)))" },
  { "[b.code voor b in bevoegdheden waarvoor b.herregistratie]",
    "(lijst (voor b bevoegdheden) (. b code) (waarvoor (. b herregistratie)))" },
  { "[v * 2 voor v in xs]", "(lijst (voor v xs) (* v 2))" },
  /* min/max of two values */
  { "minimum(a, b)", "(min2 a b)" },
  { "maximum(160 - uren, 0)", "(max2 (- 160 uren) 0)" },
  { "min(a, b)", "(min2 a b)" },
  { "max(a, b)", "(max2 a b)" },
  /* the short forms aggregate too */
  { "min(a.x voor a in L, anders 0)", "(minimum (voor a L) (. a x) (anders 0))" },
  /* English */
  { "sum(x for a in L where c)", "(som (voor a L) x (waarvoor c))" },
  { "count(a in L where c)", "(aantal (voor a L) (waarvoor c))" },
  { "minimum(x for a in L, else 0)", "(minimum (voor a L) x (anders 0))" },
  { "maximum(x for a in L where c, else 0)", "(maximum (voor a L) x (waarvoor c) (anders 0))" },
  { "first(x for a in L, else 0)", "(eerste (voor a L) x (anders 0))" },
  { "all(a in L: c)", "(alle (voor a L) c)" },
  { "any(a in L: c)", "(enige (voor a L) c)" },
  { "[x for a in L where c]", "(lijst (voor a L) x (waarvoor c))" },
  /* nested; the filter and the source are whole expressions */
  { "som(aantal(t in i.tags) voor i in items)",
    "(som (voor i items) (aantal (voor t (. i tags))))" },
  { "som(som(w.hours voor w in b.work) voor b in bevoegdheden)",
    "(som (voor b bevoegdheden) (som (voor w (. b work)) (. w hours)))" },
  { "[aantal(a in activities waarvoor a.domain = d) voor d in Domein]",
    "(lijst (voor d Domein) (aantal (voor a activities) (waarvoor (= (. a domain) d))))" },
  { "aantal(a in xs waarvoor a in ys en niet a.x)",
    "(aantal (voor a xs) (waarvoor (en (in a ys) (niet (. a x)))))" },
  { "som(v voor v in xs + ys waarvoor als b dan v > 1 anders v < 1)",
    "(som (voor v (+ xs ys)) v (waarvoor (als b (> v 1) (< v 1))))" },
  { "[c voor c in Criterium waarvoor niet voldaan(c)]",
    "(lijst (voor c Criterium) c (waarvoor (niet (call voldaan c))))" },
};

START_TEST(aggregation)
{
  ASSERT_EXPR(aggregation_cases[_i].expr, aggregation_cases[_i].tree);
}
END_TEST

static const ExprCase value_cases[] = {
  /* records */
  { "Termijn{start: s, end: e}", "(rec Termijn (start s) (end e))" },
  { "{start: s, end: e}", "(rec _ (start s) (end e))" },
  { "Vorige{start: registration.start, outcome: u, consequence: g als u = aantekening}",
    "(rec Vorige (start (. registration start)) (outcome u) (consequence g (als (= u "
    "aantekening))))" },
  { "Q{c: \"y\" if b}", "(rec Q (c \"y\" (als b)))" },
  { "R{a: als x dan 1 anders 2 als c}", "(rec R (a (als x 1 2) (als c)))" },
  { "R{a: als x dan 1 anders 2}", "(rec R (a (als x 1 2)))" },
  { "Outer{p: P{a: 1}, ps: [P{a: v} voor v in ns]}",
    "(rec Outer (p (rec P (a 1))) (ps (lijst (voor v ns) (rec P (a v)))))" },
  { "Termijn{start: registration.start + k * termijnduur, "
    "end: registration.start + (k + 1) * termijnduur}",
    "(rec Termijn (start (+ (. registration start) (* k termijnduur))) (end (+ (. "
    "registration start) (* (+ k 1) termijnduur))))" },
  /* lists */
  { "[]", "(list)" },
  { "[1]", "(list 1)" },
  { "[1, 2.5, 3]", "(list 1 2.5 3)" },
  { "[[1], []]", "(list (list 1) (list))" },
  { "[leraar, schoolbestuur]", "(list leraar schoolbestuur)" },
  { "[a, b] + c", "(+ (list a b) c)" },
  { "[a.contact_hours voor a in activities] + uren_per_bevoegdheid",
    "(+ (lijst (voor a activities) (. a contact_hours)) uren_per_bevoegdheid)" },
  { "[als a dan 1 anders 2, 3]", "(list (als a 1 2) 3)" },
};

START_TEST(values)
{
  ASSERT_EXPR(value_cases[_i].expr, value_cases[_i].tree);
}
END_TEST

/* Words that are keywords elsewhere name fields, members, record fields and (parameterless)
 * rules; 'peildatum' names a field but in an expression is the peildatum. */
START_TEST(soft_keywords_as_names)
{
  static const char *const soft[] = {
    "waarheid", "bool", "boolean", "geheel", "int", "integer", "getal", "number", "decimal",
    "tekst", "text", "datum", "date", "duur", "duration", "lijst", "list", "som", "sum",
    "aantal", "count", "minimum", "min", "maximum", "max", "alle", "all", "enige", "any",
    "eerste", "first", "sleutel", "key", "standaard", "default", "verplicht", "required",
    "optioneel", "optional", "decimalen", "decimaal", "decimals", "versie", "version",
    "leeg", "empty", "onbekend", "unknown", "geldt", "effective", "vanaf", "from", "bron",
    "basis", "uitleg", "explanation", "van",
  };
  for (guint i = 0; i < G_N_ELEMENTS(soft); i++) {
    const char *w = soft[i];
    /* a field of a record, of the invoer and of an uitvoer; a member; a record field */
    g_autofree char *decls = g_strdup_printf(
      "record R:\n  %s: tekst\ninvoer I:\n  %s: geheel, verplicht\nkeuzelijst K: a, %s \"l\"\n"
      "uitvoer o:\n  %s: geheel = x.%s\nregel r = R{%s: K.%s}\nregel %s = 1\n"
      "regel q = %s + 1",
      w, w, w, w, w, w, w, w, w);
    g_autofree char *want = g_strdup_printf(
      "(file (record R (%s tekst)) (invoer I (%s geheel verplicht)) (keuzelijst K a (%s "
      "\"l\")) (uitvoer o (%s geheel (. x %s))) (regel r () _ (rec R (%s (. K %s)))) (regel "
      "%s () _ 1) (regel q () _ (+ %s 1)))",
      w, w, w, w, w, w, w, w, w);
    ASSERT_TREE(decls, want);
  }
  /* 'peildatum' and 'reference_date' name fields, but alone are the peildatum */
  ASSERT_TREE("record R:\n  peildatum: datum\n  reference_date: datum\n"
              "regel r = a.peildatum + a.reference_date + peildatum",
              "(file (record R (peildatum datum) (reference_date datum)) (regel r () _ (+ (+ "
              "(. a peildatum) (. a reference_date)) peildatum)))");
  /* a member that is a keyword: Keuzelijst.lid */
  ASSERT_EXPR("Vulling.leeg", "(. Vulling leeg)");
  ASSERT_EXPR("a.date <= peildatum", "(<= (. a date) peildatum)");
  /* a rule named by a soft keyword and with parameters cannot be called: its name followed
   * by '(' is not a call */
  ASSERT_SYNTAX_ERRORS("regel datum(x: geheel) = x\nregel b = datum(1)", 1,
                       "REG0001@2:16 syntax error, unexpected '('",
                       "(file (regel datum ((x geheel)) _ x) (regel b () _ datum))");
  /* nor can it be the variable of an aggregation */
  ASSERT_SYNTAX_ERRORS("regel r = som(x voor date in xs)", 1,
                       "REG0001@1:22 syntax error, unexpected datum, expecting name", "(file)");
}
END_TEST

/* Keywords that are not soft, and units, cannot name anything. */
START_TEST(hard_keywords_are_not_names)
{
  ASSERT_SYNTAX_ERRORS("record R:\n  jaar: geheel", 1,
                       "REG0001@2:3 syntax error, unexpected unit (dagen, maanden, jaar)",
                       "(file)");
  ASSERT_SYNTAX_ERRORS("invoer I:\n  als: geheel", 1,
                       "REG0001@2:3 syntax error, unexpected als", "(file)");
  ASSERT_SYNTAX_ERRORS("regel als = 1", 1, "REG0001@1:7 syntax error, unexpected als", "(file)");
  ASSERT_SYNTAX_ERRORS("keuzelijst K: a, open", 1,
                       "REG0001@1:18 syntax error, unexpected open", "(file)");
  /* an uitvoer field named 'criteria' starts a new declaration */
  ASSERT_SYNTAX_ERRORS("uitvoer o:\n  a: geheel = 1\n  criteria: tekst = \"\"", 1,
                       "REG0001@3:11 syntax error, unexpected ':', expecting text",
                       "(file (uitvoer o (a geheel 1)))");
}
END_TEST

/* ---- parser: declarations ------------------------------------------------------ */

START_TEST(declarations)
{
  ASSERT_TREE("criteria \"lerarenregister\" versie \"2023.1\"",
              "(file (criteria \"lerarenregister\" \"2023.1\"))");
  ASSERT_TREE("criteria \"n\" version \"v\"", "(file (criteria \"n\" \"v\"))");
  /* keuzelijsten, open ones, labels */
  ASSERT_TREE("keuzelijst Domein: vakinhoud, vakdidactiek, pedagogiek, algemeen",
              "(file (keuzelijst Domein vakinhoud vakdidactiek pedagogiek algemeen))");
  ASSERT_TREE("open keuzelijst Werkvorm: individueel \"individueel leren\", groep,\n"
              "  online \"online \\\"live\\\"\"",
              "(file (open-keuzelijst Werkvorm (individueel \"individueel leren\") groep "
              "(online \"online \\\"live\\\"\")))");
  ASSERT_TREE("enum K: a\nopen enum L: b", "(file (keuzelijst K a) (open-keuzelijst L b))");
  /* records and their field options, in any order */
  ASSERT_TREE("record R:\n"
              "  a: tekst, verplicht, sleutel\n"
              "  b: getal, >= 0, 2 decimalen\n"
              "  c: K, standaard x\n"
              "  d: datum, is peildatum\n"
              "  e: lijst van R\n"
              "  f: tekst, optioneel\n"
              "  g: getal, 1 decimaal, standaard -1.5, >= -3\n"
              "  h: waarheid, standaard waar\n"
              "  i: datum, standaard 2000-01-01\n"
              "  j: tekst, standaard \"x\"\n"
              "  k: lijst van lijst van geheel\n"
              "  l: getal, standaard 0.25, \xe2\x89\xa5 0.5",
              "(file (record R (a tekst verplicht sleutel) (b getal (>= 0) (decimalen 2)) (c K "
              "(standaard x)) (d datum is-peildatum) (e (lijst-van R)) (f tekst optioneel) (g "
              "getal (decimalen 1) (standaard -1.5) (>= -3)) (h waarheid (standaard waar)) (i "
              "datum (standaard 2000-01-01)) (j tekst (standaard \"x\")) (k (lijst-van "
              "(lijst-van geheel))) (l getal (standaard 0.25) (>= 0.5))))");
  ASSERT_TREE("input I:\n"
              "  a: text, required, key\n"
              "  b: number, >= 0.5, 2 decimals\n"
              "  c: date, is reference_date, default 2020-01-01\n"
              "  d: list of bool, optional\n"
              "  e: int\n  f: integer\n  g: decimal\n  h: boolean\n  i: duration\n"
              "  j: lijst of tekst\n  k: list van tekst\n  l: geheel, standaard -2, default onwaar",
              "(file (invoer I (a tekst verplicht sleutel) (b getal (>= 0.5) (decimalen 2)) (c "
              "datum is-peildatum (standaard 2020-01-01)) (d (lijst-van waarheid) optioneel) (e "
              "geheel) (f geheel) (g getal) (h waarheid) (i duur) (j (lijst-van tekst)) (k "
              "(lijst-van tekst)) (l geheel (standaard -2) (standaard onwaar))))");
  /* uitvoer: fields with a value, some with a condition */
  ASSERT_TREE("uitvoer openbaar:\n"
              "  teacher: tekst = teacher.id\n"
              "  activiteiten: lijst van tekst = [a.title voor a in activities]\n"
              "    als teacher.consent_public_activities\n"
              "  n: geheel = 1 als b en c",
              "(file (uitvoer openbaar (teacher tekst (. teacher id)) (activiteiten (lijst-van "
              "tekst) (lijst (voor a activities) (. a title)) (als (. teacher "
              "consent_public_activities))) (n geheel 1 (als (en b c)))))");
  ASSERT_TREE("output o:\n  a: int = 1 if b", "(file (uitvoer o (a geheel 1 (als b))))");
}
END_TEST

START_TEST(rules_and_parameters)
{
  ASSERT_TREE("parameter minimum_totaal: getal = 160\n  bron \"registerleraar.nl\"",
              "(file (parameter minimum_totaal getal 160 (bron \"registerleraar.nl\")))");
  /* without a type */
  ASSERT_TREE("parameter voorportaal_termijn = 2 jaar\nregel n = 3",
              "(file (parameter voorportaal_termijn _ (jaar 2)) (regel n () _ 3))");
  /* meta in any order, each kept in order */
  ASSERT_TREE("parameter import_erkend: waarheid = onwaar\n"
              "  geldt vanaf 2018-08-01\n"
              "  bron \"registerleraar.nl\"",
              "(file (parameter import_erkend waarheid onwaar (geldt-vanaf 2018-08-01) (bron "
              "\"registerleraar.nl\")))");
  ASSERT_TREE("regel registeruren(a: Activiteit, b: lijst van Domein): getal = a.x + a.y\n"
              "  bron \"RU\"\n"
              "  uitleg \"Voor {a.id}: {waarde}\"\n"
              "  geldt vanaf 2020-01-01",
              "(file (regel registeruren ((a Activiteit) (b (lijst-van Domein))) getal (+ (. a "
              "x) (. a y)) (bron \"RU\") (uitleg \"Voor {a.id}: {waarde}\") (geldt-vanaf "
              "2020-01-01)))");
  ASSERT_TREE("rule e(x: int): bool = x > 1 effective from 2021-01-01 basis \"b\" "
              "explanation \"e\"",
              "(file (regel e ((x geheel)) waarheid (> x 1) (geldt-vanaf 2021-01-01) (bron "
              "\"b\") (uitleg \"e\")))");
  /* the parser keeps repeated meta; the resolver refuses it (REG0011, REG0019) */
  ASSERT_TREE("regel a = 1 bron \"x\" bron \"y\"",
              "(file (regel a () _ 1 (bron \"x\") (bron \"y\")))");
  /* a rule with als: the meta after the last 'anders' belongs to the rule */
  ASSERT_TREE("regel vereist(c: Criterium): getal =\n"
              "  als c = totaal dan minimum_totaal\n"
              "  anders als c = primair dan minimum_primair\n"
              "  anders minimum_werkervaring\n"
              "  bron \"x\"",
              "(file (regel vereist ((c Criterium)) getal (als (= c totaal) minimum_totaal (als "
              "(= c primair) minimum_primair minimum_werkervaring)) (bron \"x\")))");
  /* op in a rule body */
  ASSERT_TREE("regel gevolg_na(einde: datum): Gevolg = gevolg_van_aantekening op einde",
              "(file (regel gevolg_na ((einde datum)) Gevolg (op gevolg_van_aantekening "
              "einde)))");
}
END_TEST

START_TEST(requirements)
{
  ASSERT_TREE("eis peildatum >= registration.start anders \"as_of: before registration.start\"\n"
              "  bron \"domain.md\" geldt vanaf 2020-01-01",
              "(file (eis (>= peildatum (. registration start)) \"as_of: before "
              "registration.start\" (bron \"domain.md\") (geldt-vanaf 2020-01-01)))");
  ASSERT_TREE("require all(b in bs: b.c != \"\") else \"bevoegdheden: code is empty\"",
              "(file (eis (alle (voor b bs) (!= (. b c) \"\")) \"bevoegdheden: code is "
              "empty\"))");
  /* the first 'anders' that cannot belong to an als ends the condition */
  ASSERT_TREE("eis als a dan b anders c anders \"m\"", "(file (eis (als a b c) \"m\"))");
}
END_TEST

/* Line breaks and indentation do not matter: a declaration ends where the next keyword of a
 * declaration starts (or where its grammar ends). */
START_TEST(layout_does_not_matter)
{
  static const char *const same_rule[] = {
    "regel in_termijn(d: datum, start: datum, eind: datum): waarheid = d >= start en d < eind "
    "en d <= peildatum bron \"x\"",
    "regel in_termijn(d: datum, start: datum, eind: datum): waarheid =\n"
    "  d >= start en d < eind en d <= peildatum\n  bron \"x\"",
    "regel\nin_termijn\n(\nd\n:\ndatum\n,\nstart: datum,\n\neind: datum)\n:\nwaarheid\n=\n"
    "d >=\n start en\n\t\td < eind # commentaar\n en d <= peildatum\n\n\n bron\n \"x\"\n",
    "   regel in_termijn(d: datum,start: datum,eind: datum):waarheid=d>=start en d<eind en "
    "d<=peildatum bron\"x\"",
    "regel in_termijn(d: datum, start: datum, eind: datum): waarheid =\r\n"
    "\td >= start en d < eind en d <= peildatum\r\n\tbron \"x\"\r\n",
  };
  for (guint i = 0; i < G_N_ELEMENTS(same_rule); i++)
    ASSERT_TREE(same_rule[i], "(file (regel in_termijn ((d datum) (start datum) (eind datum)) "
                              "waarheid (en (en (>= d start) (< d eind)) (<= d peildatum)) (bron "
                              "\"x\")))");
  /* record fields need no line of their own, nor indentation */
  ASSERT_TREE("record Termijn: start: datum end: datum, verplicht",
              "(file (record Termijn (start datum) (end datum verplicht)))");
  ASSERT_TREE("record Termijn:\nstart: datum\nend: datum",
              "(file (record Termijn (start datum) (end datum)))");
  /* several declarations on one line */
  ASSERT_TREE("keuzelijst K: a, b regel r = a parameter p = 1 eis waar anders \"m\"",
              "(file (keuzelijst K a b) (regel r () _ a) (parameter p _ 1) (eis waar \"m\"))");
  /* an expression goes on over lines until something cannot continue it */
  ASSERT_TREE("uitvoer o:\n  a: geheel = x\n    - 1\n  b: geheel = y",
              "(file (uitvoer o (a geheel (- x 1)) (b geheel y)))");
}
END_TEST

/* ---- parser: locations --------------------------------------------------------- */

START_TEST(spans)
{
  const char *text = "regel r(a: getal): getal =\n  a.x + f(a, 2) * 3\n  bron \"b\"";
  g_autoptr(RegCompiler) comp = compiler_for(text, strlen(text));
  AstNode *root = parse_root(comp, text, strlen(text), NULL);
  ck_assert_uint_eq(reg_compiler_get_n_diagnostics(comp), 0);
  ck_assert_uint_eq(root->nkids, 1);
  const AstNode *rule = root->kids[0];
  ck_assert_int_eq(rule->kind, AST_RULE);
  /* a rule is placed at its name */
  ck_assert_uint_eq(rule->span.start, 6);
  ck_assert_uint_eq(rule->span.end, 7);
  const AstNode *param = rule->kids[0]->kids[0];
  ck_assert_int_eq(param->kind, AST_PARAMDECL);
  ck_assert_uint_eq(param->span.start, 8);
  ck_assert_uint_eq(param->span.end, 9);
  /* an expression covers its operands: 'a.x + f(a, 2) * 3' is bytes 29 to 46 */
  const AstNode *sum = rule->kids[2];
  ck_assert_int_eq(sum->kind, AST_BINARY);
  ck_assert_int_eq(sum->op, OP_ADD);
  ck_assert_uint_eq(sum->span.start, 29);
  ck_assert_uint_eq(sum->span.end, 46);
  const AstNode *field = sum->kids[0];
  ck_assert_int_eq(field->kind, AST_FIELD);
  ck_assert_uint_eq(field->span.start, 29);
  ck_assert_uint_eq(field->span.end, 32);
  const AstNode *call = sum->kids[1]->kids[0];
  ck_assert_int_eq(call->kind, AST_CALL);
  ck_assert_str_eq(call->str, "f");
  ck_assert_uint_eq(call->span.start, 35);
  ck_assert_uint_eq(call->span.end, 42);
  ck_assert_uint_eq(call->kids[1]->span.start, 40); /* the 2 */
  ck_assert_int_eq(call->kids[1]->num, 2);
  /* meta: from the keyword to the text */
  const AstNode *meta = rule->kids[3]->kids[0];
  ck_assert_int_eq(meta->kind, AST_META);
  ck_assert_uint_eq(meta->span.start, 49);
  ck_assert_uint_eq(meta->span.end, 57);
  /* trees are no deeper than they must be: 'a.x + f(a, 2) * 3' has height 4 */
  ck_assert_uint_eq(sum->depth, 4);
  ast_free(root);
}
END_TEST

/* Expressions nested more than 200 levels: one REG0006, at the first node too deep. */
START_TEST(nesting_limit)
{
  for (int n = 199; n <= 201; n++) {
    /* 1 + 1 + ... with n plus signs is n + 1 levels high */
    GString *t = g_string_new("regel r = 1");
    for (int i = 0; i < n; i++)
      g_string_append(t, " + 1");
    g_autofree char *d = NULL;
    guint nd = 0;
    g_autofree char *tree = parse_n(t->str, t->len, &d, &nd, NULL);
    if (n + 1 <= AST_MAX_DEPTH) {
      ck_assert_msg(nd == 0, "depth %d: %s", n + 1, d);
    } else {
      ck_assert_uint_eq(nd, 1);
      ck_assert_str_eq(d, "REG0006@1:11 expression nested more than 200 levels deep");
    }
    g_string_free(t, TRUE);
  }
  /* 300 times '-(': brackets add no level. The 200th minus from the inside (the 101st from
   * the left, at byte 210) is the first too deep; it becomes a leaf, so the 100 around it
   * are within the limit again: one diagnostic. */
  GString *t = g_string_new("regel r = ");
  for (int i = 0; i < 300; i++)
    g_string_append(t, "-(");
  g_string_append(t, "1");
  for (int i = 0; i < 300; i++)
    g_string_append_c(t, ')');
  g_autofree char *d = NULL;
  guint nd = 0;
  g_autofree char *tree = parse_n(t->str, t->len, &d, &nd, NULL);
  ck_assert_uint_eq(nd, 1);
  ck_assert_str_eq(d, "REG0006@1:211 expression nested more than 200 levels deep");
  g_string_free(t, TRUE);
}
END_TEST

/* ---- parser: syntax errors and recovery ---------------------------------------- */

typedef struct {
  const char *text;
  const char *diags;
  const char *tree; /* what is kept */
} ErrorCase;

static const ErrorCase syntax_error_cases[] = {
  /* at the end of the text: the location is the last thing in the file */
  { "regel a =", "REG0001@1:9 syntax error, unexpected end of file", "(file)" },
  { "regel a = 1 +", "REG0001@1:13 syntax error, unexpected end of file", "(file)" },
  { "regel a = 1 +\n", "REG0001@1:14 syntax error, unexpected end of file", "(file)" },
  { "regel a = (1 + 2", "REG0001@1:16 syntax error, unexpected end of file", "(file)" },
  { "regel a = als b dan c", "REG0001@1:21 syntax error, unexpected end of file", "(file)" },
  { "record R:", "REG0001@1:9 syntax error, unexpected end of file", "(file)" },
  { "criteria \"a\"", "REG0001@1:10 syntax error, unexpected end of file, expecting versie",
    "(file)" },
  /* a missing name, a keyword for a name */
  { "regel = 1", "REG0001@1:7 syntax error, unexpected '='", "(file)" },
  { "regel a(): geheel = 1", "REG0001@1:9 syntax error, unexpected ')'", "(file)" },
  /* a comma is no decimal point; the rule keeps its first part */
  { "regel a = 0,2", "REG0001@1:12 syntax error, unexpected ','", "(file (regel a () _ 0))" },
  { "regel a = 1 2", "REG0001@1:13 syntax error, unexpected integer", "(file (regel a () _ 1))" },
  /* comparisons are not chained */
  { "regel r = a = b = c", "REG0001@1:17 syntax error, unexpected '='", "(file)" },
  { "regel r = a < b < c", "REG0001@1:17 syntax error, unexpected '<'", "(file)" },
  { "regel r = a = b in L", "REG0001@1:17 syntax error, unexpected in", "(file)" },
  { "regel r = x in L in M", "REG0001@1:18 syntax error, unexpected in", "(file)" },
  /* what the language does not have */
  { "regel a = L[0]", "REG0001@1:12 syntax error, unexpected '['", "(file (regel a () _ L))" },
  { "regel a = [x voor a in L voor b in M]",
    "REG0001@1:26 syntax error, unexpected voor, expecting ']'", "(file)" },
  { "regel a = [1, 2,]", "REG0001@1:17 syntax error, unexpected ']'", "(file)" },
  { "regel a = f(1,)", "REG0001@1:15 syntax error, unexpected ')'", "(file)" },
  { "regel a = R{}", "REG0001@1:13 syntax error, unexpected '}'", "(file)" },
  { "regel a = x.1", "REG0001@1:13 syntax error, unexpected integer", "(file)" },
  { "regel a = minimum(v voor v in xs)",
    "REG0001@1:33 syntax error, unexpected ')', expecting ','", "(file)" },
  { "regel a = alle(a in xs waarvoor a)",
    "REG0001@1:24 syntax error, unexpected waarvoor", "(file)" },
  { "regel a = 1 geldt vanaf \"2020\"",
    "REG0001@1:25 syntax error, unexpected text, expecting date", "(file)" },
  { "keuzelijst K: ", "REG0001@1:14 syntax error, unexpected end of file", "(file)" },
  { "x", "REG0001@1:1 syntax error, unexpected name", "(file)" },
  /* a comment between 'niet' and 'in' */
  { "regel r = x niet # c\n in L", "REG0001@1:13 syntax error, unexpected niet",
    "(file (regel r () _ x))" },
  /* a lexical error and a syntax error for one mistake: the stray byte is skipped */
  { "regel a = 1 @ 2",
    "REG0002@1:13 '@' cannot start a word or symbol here\n"
    "REG0001@1:15 syntax error, unexpected integer",
    "(file (regel a () _ 1))" },
};

START_TEST(syntax_error)
{
  const ErrorCase *c = &syntax_error_cases[_i];
  guint n = 1;
  for (const char *p = c->diags; *p; p++)
    n += *p == '\n';
  ASSERT_SYNTAX_ERRORS(c->text, n, c->diags, c->tree);
}
END_TEST

/* After an error the parser skips to the next declaration keyword and goes on: one
 * diagnostic per broken declaration, the good declarations kept. */
START_TEST(recovery)
{
  ASSERT_SYNTAX_ERRORS("regel a = 1 +\n"
                       "regel b = (2\n"
                       "regel c = 3 3\n"
                       "regel d = 4\n"
                       "parameter e = ]\n"
                       "eis waar anders \"ok\"\n",
                       4,
                       "REG0001@2:1 syntax error, unexpected regel\n"
                       "REG0001@3:1 syntax error, unexpected regel\n"
                       "REG0001@3:13 syntax error, unexpected integer\n"
                       "REG0001@5:15 syntax error, unexpected ']'",
                       "(file (regel c () _ 3) (regel d () _ 4) (eis waar \"ok\"))");
  /* errors in records, outputs and keuzelijsten drop that declaration only */
  ASSERT_SYNTAX_ERRORS("record R:\n"
                       "  a: tekst\n"
                       "  b tekst\n"
                       "  c: geheel\n"
                       "regel x = 1\n"
                       "uitvoer o:\n"
                       "  a: geheel = = 1\n"
                       "  b: geheel = 2\n"
                       "keuzelijst K: a b\n"
                       "regel y = 2\n",
                       3,
                       "REG0001@3:5 syntax error, unexpected tekst, expecting ':'\n"
                       "REG0001@7:15 syntax error, unexpected '='\n"
                       "REG0001@9:17 syntax error, unexpected name",
                       "(file (regel x () _ 1) (keuzelijst K a) (regel y () _ 2))");
  /* three errors close together (bison needs three good tokens between two reports) */
  ASSERT_SYNTAX_ERRORS("regel a = ) regel b = ) regel c = )", 3,
                       "REG0001@1:11 syntax error, unexpected ')'\n"
                       "REG0001@1:23 syntax error, unexpected ')'\n"
                       "REG0001@1:35 syntax error, unexpected ')'",
                       "(file)");
  ASSERT_SYNTAX_ERRORS("regel a = ) ) ) regel b = 1", 1,
                       "REG0001@1:11 syntax error, unexpected ')'", "(file (regel b () _ 1))");
}
END_TEST

/* Through the public API: every diagnostic as file:line:col with the line and a caret; the
 * compiler stops after the syntax errors (no name or type errors follow them). */
START_TEST(diagnostics_through_the_compiler)
{
  const char *text = "criteria \"t\" versie \"1\"\n"
                     "invoer I:\n"
                     "  x: getal\n"
                     "regel a = x +\n"
                     "regel b = onbekend_naam\n"
                     "uitvoer o:\n"
                     "  r: getal = 0,5\n"
                     "  s: tekst = \"open\n";
  g_autoptr(RegCompiler) comp = reg_compiler_new();
  reg_compiler_add_source(comp, "t.regel", text, -1);
  g_autoptr(GError) err = NULL;
  g_autoptr(RegProgram) p = reg_compiler_compile(comp, &err);
  ck_assert_ptr_null(p);
  ck_assert_ptr_nonnull(err);
  ck_assert_str_eq(err->message, "the criteria have 3 errors");
  ck_assert_uint_eq(reg_compiler_get_n_diagnostics(comp), 3);
  guint code = 0, line = 0, col = 0;
  const char *file = NULL;
  const char *msg = reg_compiler_get_diagnostic(comp, 0, &code, &file, &line, &col);
  ck_assert_str_eq(file, "t.regel");
  ck_assert_uint_eq(code, 1);
  ck_assert_uint_eq(line, 5);
  ck_assert_uint_eq(col, 1);
  ck_assert_str_eq(msg, "syntax error, unexpected regel");
  g_autofree char *all = reg_compiler_format_diagnostics(comp);
  ck_assert_str_eq(all, "t.regel:5:1: error: syntax error, unexpected regel [REG0001]\n"
                        "  regel b = onbekend_naam\n"
                        "  ^~~~~\n"
                        "t.regel:7:15: error: syntax error, unexpected ',' [REG0001]\n"
                        "    r: getal = 0,5\n"
                        "                ^\n"
                        "t.regel:8:14: error: text not closed by \" on this line [REG0003]\n"
                        "    s: tekst = \"open\n"
                        "               ^~~~~\n");
}
END_TEST

/* ---- bugs found by these tests, fixed since ----------------------------------- */

/* BUG: a character that is valid UTF-8 and starts with the byte 0xe2 (U+2000 to U+2FFF:
 * typographic quotes, dashes, '…', '€') is reported as a stray byte 0xe2 followed by a "name
 * is not valid UTF-8" for its other two bytes, and the parser then sees a name. IDSTART and
 * IDCHAR in lexer.l leave out 0xe2 (for ≠ ≤ ≥) but let 0x80-0xbf start a name. Quotes copied
 * from a word processor:
 *   regel a = “x”
 * regel check -> REG0002 byte 0xe2 at 1:11, REG0009 name is not valid UTF-8 at 1:12, again at
 * 1:15 and 1:16, then a syntax error. Want one diagnostic per character. */
/* FIXED: characters of U+2000..U+2FFF (curly quotes) were a byte error and swallowed the
 * name after them into a bogus UTF-8 name. */
START_TEST(bug_e2_characters)
{
  g_autofree char *d = NULL;
  g_autofree char *toks = lex_n("\xe2\x80\x9cx\xe2\x80\x9d", 7, FALSE, &d);
  ck_assert_str_eq(toks, "IDENT(x)");
  ck_assert_msg(strstr(d, "REG0009") == NULL, "%s", d);
  ck_assert_msg(strchr(d, '\n') != NULL && strchr(strchr(d, '\n') + 1, '\n') == NULL,
                "want two diagnostics:\n%s", d);
}
END_TEST

/* FIXED. BUG was: parse-private.h says reg_parse_file() "Returns the number of syntax errors"; it returns
 * bison's yyparse() result, 0 whenever the parser recovered, so 0 for any file with syntax
 * errors (compiler.c ignores it and counts diagnostics instead). */
START_TEST(bug_parse_file_result)
{
  const char *text = "regel a = ) regel b = ) regel c = )";
  g_autoptr(RegCompiler) comp = compiler_for(text, strlen(text));
  int rc = -1;
  AstNode *root = parse_root(comp, text, strlen(text), &rc);
  ast_free(root);
  ck_assert_uint_eq(reg_compiler_get_n_diagnostics(comp), 3);
  ck_assert_int_eq(rc, 3);
}
END_TEST

static Suite *
suite(void)
{
  Suite *s = suite_create("syntax");

  TCase *lx = tcase_create("lexer");
  tcase_add_loop_test(lx, keyword, 0, G_N_ELEMENTS(keyword_cases));
  tcase_add_test(lx, keyword_table_complete_and_sorted);
  tcase_add_test(lx, keywords_are_whole_lower_case_words);
  tcase_add_test(lx, multi_word_keywords);
  tcase_add_test(lx, operators);
  tcase_add_test(lx, integers);
  tcase_add_test(lx, decimals);
  tcase_add_test(lx, dates);
  tcase_add_test(lx, durations);
  tcase_add_test(lx, strings);
  tcase_add_test(lx, comments_and_whitespace);
  tcase_add_test(lx, names);
  suite_add_tcase(s, lx);

  TCase *le = tcase_create("lexer-errors");
  tcase_add_test(le, invalid_dates);
  tcase_add_test(le, unterminated_strings);
  tcase_add_test(le, bad_escapes);
  tcase_add_test(le, stray_bytes);
  tcase_add_test(le, nul_bytes);
  tcase_add_test(le, invalid_utf8);
  tcase_add_test(le, bad_numbers);
  tcase_add_test(le, several_lexical_errors);
  suite_add_tcase(s, le);

  TCase *px = tcase_create("parser");
  tcase_add_loop_test(px, precedence, 0, G_N_ELEMENTS(precedence_cases));
  tcase_add_loop_test(px, aggregation, 0, G_N_ELEMENTS(aggregation_cases));
  tcase_add_loop_test(px, values, 0, G_N_ELEMENTS(value_cases));
  tcase_add_test(px, soft_keywords_as_names);
  tcase_add_test(px, hard_keywords_are_not_names);
  tcase_add_test(px, declarations);
  tcase_add_test(px, rules_and_parameters);
  tcase_add_test(px, requirements);
  tcase_add_test(px, layout_does_not_matter);
  tcase_add_test(px, spans);
  tcase_add_test(px, nesting_limit);
  suite_add_tcase(s, px);

  TCase *pe = tcase_create("syntax-errors");
  tcase_add_loop_test(pe, syntax_error, 0, G_N_ELEMENTS(syntax_error_cases));
  tcase_add_test(pe, recovery);
  tcase_add_test(pe, diagnostics_through_the_compiler);
  suite_add_tcase(s, pe);

  /* Bugs these tests found, fixed since: kept as regression tests. */
  TCase *fixed = tcase_create("fixed-bugs");
  tcase_add_test(fixed, bug_e2_characters);
  tcase_add_test(fixed, bug_parse_file_result);
  suite_add_tcase(s, fixed);
  return s;
}


int
main(int argc, char **argv)
{
  if (argc == 3 && (strcmp(argv[1], "--tokens") == 0 || strcmp(argv[1], "--tree") == 0))
    return probe(argv[1], argv[2]);
  SRunner *sr = srunner_create(suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
