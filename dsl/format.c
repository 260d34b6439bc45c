/* format.c: `regel fmt`: prints criteria files in their canonical layout.
 *
 * The file is parsed first (a file with syntax errors is refused). Then its tokens are read
 * again with the comments and blank lines between them, and a small recursive-descent
 * reading of the grammar turns them into a document of text, possible line breaks, groups
 * (broken all or nothing) and fills (broken where needed), printed in the manner of Wadler's
 * and Lindig's pretty printers within REG_FORMAT_WIDTH columns. The grammar does not care
 * about line breaks, so only the tokens matter: the result is lexed again and must have
 * exactly the tokens and comments of the input. */
#include "format.h"

#include <string.h>

#include "compiler-private.h"
#include "parse-private.h"
#include "parser.h"
#include "lexer.h"

G_DEFINE_QUARK(reg-format-error-quark, reg_format_error)

/* ---------------------------------------------------------------- tokens and comments */

typedef struct {
  char *text; /* "# ...", trailing blanks removed */
  bool blank_before;
} Comment;

typedef struct {
  int kind; /* the parser's token number; 0 at the end of the file */
  char *text;
  GPtrArray *lead; /* Comment*: comments on lines of their own before the token */
  char *trail;     /* a comment after the token on its line */
  bool blank_before; /* a blank line before the token (after its comments) */
  bool lead_done;    /* its comments are printed already (before its declaration) */
} Tok;

static void
comment_free(Comment *c)
{
  g_free(c->text);
  g_free(c);
}

static void
tok_clear(Tok *t)
{
  g_free(t->text);
  if (t->lead)
    g_ptr_array_unref(t->lead);
  g_free(t->trail);
}

/* The token's text, with the whitespace inside 'niet  in' made one space. */
static char *
token_text(int kind, const char *s, size_t n)
{
  if (kind != KW_NOTIN)
    return g_strndup(s, n);
  GString *out = g_string_new(NULL);
  bool space = false;
  for (size_t i = 0; i < n; i++) {
    if (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n') {
      space = true;
      continue;
    }
    if (space && out->len)
      g_string_append_c(out, ' ');
    space = false;
    g_string_append_c(out, s[i]);
  }
  return g_string_free(out, FALSE);
}

/* Lexes @text (which parses) into tokens with their comments; the last one has kind 0.
 * Returns NULL when the lexer reports an error. */
static GArray *
lex_all(RegCompiler *comp, const char *text, size_t len)
{
  RegParseCtx ctx = { 0 };
  ctx.comp = comp;
  ctx.text = text;
  yyscan_t scanner;
  if (reg_yylex_init_extra(&ctx, &scanner) != 0)
    return NULL;
  YY_BUFFER_STATE buf = reg_yy_scan_bytes(text, (int) len, scanner);
  GArray *toks = g_array_new(FALSE, TRUE, sizeof(Tok));
  g_array_set_clear_func(toks, (GDestroyNotify) tok_clear);
  uint32_t prev_end = 0;
  bool first = true;
  for (;;) {
    REG_YYSTYPE lval;
    REG_YYLTYPE lloc = { 0, 0 };
    memset(&lval, 0, sizeof lval);
    int kind = reg_yylex(&lval, &lloc, scanner);
    if (kind == IDENT || kind == STRING)
      g_free(lval.str);
    uint32_t start = kind == 0 ? (uint32_t) len : lloc.start;
    Tok t = { 0 };
    t.kind = kind;
    t.text = kind == 0 ? g_strdup("") : token_text(kind, text + start, lloc.end - lloc.start);

    /* The gap before the token holds only blanks and comments. */
    int newlines = 0;
    for (uint32_t i = prev_end; i < start; i++) {
      if (text[i] == '\n') {
        newlines++;
        continue;
      }
      if (text[i] != '#')
        continue;
      uint32_t e = i;
      while (e < start && text[e] != '\n')
        e++;
      uint32_t te = e;
      while (te > i && (text[te - 1] == ' ' || text[te - 1] == '\t' || text[te - 1] == '\r' ||
                        text[te - 1] == '\f' || text[te - 1] == '\v'))
        te--;
      char *c = g_strndup(text + i, te - i);
      if (newlines == 0 && !first && toks->len > 0 &&
          !g_array_index(toks, Tok, toks->len - 1).trail) {
        g_array_index(toks, Tok, toks->len - 1).trail = c;
      } else {
        Comment *cm = g_new0(Comment, 1);
        cm->text = c;
        cm->blank_before = !first && newlines >= 2;
        if (!t.lead)
          t.lead = g_ptr_array_new_with_free_func((GDestroyNotify) comment_free);
        g_ptr_array_add(t.lead, cm);
      }
      first = false;
      newlines = 0;
      i = e - 1;
    }
    t.blank_before = !first && newlines >= 2;
    first = false;
    g_array_append_val(toks, t);
    prev_end = kind == 0 ? start : lloc.end;
    if (kind == 0)
      break;
  }
  reg_yy_delete_buffer(buf, scanner);
  reg_yylex_destroy(scanner);
  if (ctx.lex_errors) {
    g_array_unref(toks);
    return NULL;
  }
  return toks;
}

/* ---------------------------------------------------------------- documents */

typedef enum {
  D_TEXT,   /* text on one line */
  D_LINE,   /* a space, or a line break */
  D_HARD,   /* always a line break (none when already at the start of a line) */
  D_BLANK,  /* an empty line here (at most one) */
  D_LEAD,   /* a comment on a line of its own */
  D_SUFFIX, /* a comment at the end of the current line */
  D_CAT,
  D_NEST,  /* kid indented n more */
  D_ALIGN, /* kid indented to the current column */
  D_GROUP, /* kid on one line if it fits, else all its lines broken */
  D_FILL,  /* kids: item, separator, item, ...: each separator broken only if needed */
} DocKind;

typedef struct Doc Doc;
struct Doc {
  DocKind kind;
  bool hard; /* contains a forced line break: cannot be flat */
  int n;     /* D_NEST: the indentation */
  int width; /* D_TEXT: in characters */
  const char *s;
  Doc **kids;
  guint nkids;
};

typedef struct Cmd Cmd;
struct Cmd {
  int indent;
  bool flat;
  Doc *d;
  int step; /* >= 0: a D_FILL at item (even) or separator (odd) number step */
  guint64 texts; /* at a separator: the number of texts printed before its item */
  Cmd *next;
};

typedef struct {
  GPtrArray *pool; /* every Doc and Cmd, and the strings they own */
  GArray *toks;
  guint pos;
  bool failed;
  bool too_deep;
  guint depth;
} Fmt;

/* Deeper expressions are refused (the parser allows a few thousand brackets). */
#define MAX_FORMAT_DEPTH 1000

static gpointer
fmt_alloc(Fmt *f, gsize size)
{
  gpointer p = g_malloc0(size);
  g_ptr_array_add(f->pool, p);
  return p;
}

static int
text_width(const char *s)
{
  int w = 0;
  for (; *s; s++)
    if (((unsigned char) *s & 0xc0) != 0x80)
      w++;
  return w;
}

static Doc *
d_text(Fmt *f, const char *s)
{
  Doc *d = fmt_alloc(f, sizeof(Doc));
  d->kind = D_TEXT;
  d->s = s;
  d->width = text_width(s);
  return d;
}

static Doc *
d_simple(Fmt *f, DocKind kind, const char *s)
{
  Doc *d = fmt_alloc(f, sizeof(Doc));
  d->kind = kind;
  d->s = s;
  d->hard = kind == D_HARD || kind == D_BLANK || kind == D_LEAD;
  return d;
}

#define LINE(f) d_simple(f, D_LINE, NULL)
#define HARD(f) d_simple(f, D_HARD, NULL)
#define BLANK(f) d_simple(f, D_BLANK, NULL)
#define SP(f) d_text(f, " ")

static Doc *
d_kids(Fmt *f, DocKind kind, GPtrArray *kids)
{
  Doc *d = fmt_alloc(f, sizeof(Doc));
  d->kind = kind;
  d->nkids = kids->len;
  d->kids = fmt_alloc(f, sizeof(Doc *) * (kids->len + 1));
  for (guint i = 0; i < kids->len; i++) {
    d->kids[i] = g_ptr_array_index(kids, i);
    d->hard |= d->kids[i]->hard;
  }
  g_ptr_array_unref(kids);
  return d;
}

/* A concatenation of the arguments (NULLs are skipped) up to END. */
static Doc END_DOC;
#define END (&END_DOC)

static Doc *
d_cat(Fmt *f, ...)
{
  GPtrArray *kids = g_ptr_array_new();
  va_list ap;
  va_start(ap, f);
  for (Doc *d; (d = va_arg(ap, Doc *)) != END;)
    if (d)
      g_ptr_array_add(kids, d);
  va_end(ap);
  if (kids->len == 1) {
    Doc *only = g_ptr_array_index(kids, 0);
    g_ptr_array_unref(kids);
    return only;
  }
  return d_kids(f, D_CAT, kids);
}

static Doc *
d_wrap(Fmt *f, DocKind kind, int n, Doc *kid)
{
  Doc *d = fmt_alloc(f, sizeof(Doc));
  d->kind = kind;
  d->n = n;
  d->kids = fmt_alloc(f, sizeof(Doc *));
  d->kids[0] = kid;
  d->nkids = 1;
  d->hard = kid->hard;
  return d;
}

#define NEST(f, n, d) d_wrap(f, D_NEST, n, d)
#define ALIGN(f, d) d_wrap(f, D_ALIGN, 0, d)
#define GROUP(f, d) d_wrap(f, D_GROUP, 0, d)

/* A fill of @items, separated by line breaks. */
static Doc *
d_fill(Fmt *f, GPtrArray *items)
{
  if (items->len == 1) {
    Doc *only = g_ptr_array_index(items, 0);
    g_ptr_array_unref(items);
    return only;
  }
  GPtrArray *kids = g_ptr_array_new();
  for (guint i = 0; i < items->len; i++) {
    if (i)
      g_ptr_array_add(kids, LINE(f));
    g_ptr_array_add(kids, g_ptr_array_index(items, i));
  }
  g_ptr_array_unref(items);
  return d_kids(f, D_FILL, kids);
}

/* ---------------------------------------------------------------- printing */

typedef struct {
  GString *out;
  int col;
  bool bol;     /* nothing printed on this line yet */
  int indent;   /* of the current line, written before its first text */
  GString *suffix; /* trailing comments for the end of this line */
  GPtrArray *cmds; /* Cmd* to free */
  guint64 texts;       /* texts of tokens printed so far */
  guint64 texts_at_nl; /* ... when the last line was ended */
} Printer;

static void
pr_text(Printer *p, const char *s, int width)
{
  if (p->bol) {
    for (int i = 0; i < p->indent; i++)
      g_string_append_c(p->out, ' ');
    p->bol = false;
  }
  g_string_append(p->out, s);
  p->col += width;
}

static void
pr_newline(Printer *p, int indent)
{
  if (p->suffix->len) {
    if (p->bol) { /* the comment has the line to itself */
      for (int i = 0; i < p->indent; i++)
        g_string_append_c(p->out, ' ');
      g_string_append(p->out, p->suffix->str);
    } else {
      g_string_append(p->out, "  ");
      g_string_append(p->out, p->suffix->str);
    }
    g_string_truncate(p->suffix, 0);
    p->bol = false;
  }
  if (!p->bol)
    g_string_append_c(p->out, '\n');
  p->texts_at_nl = p->texts;
  p->bol = true;
  p->indent = indent;
  p->col = indent;
}

static void
pr_blank(Printer *p, int indent)
{
  pr_newline(p, indent);
  gsize n = p->out->len;
  if (n > 0 && !(n >= 2 && p->out->str[n - 2] == '\n'))
    g_string_append_c(p->out, '\n');
}

static Cmd *
pr_cmd(Printer *p, int indent, bool flat, Doc *d, int step, Cmd *next)
{
  Cmd *c = g_new0(Cmd, 1);
  g_ptr_array_add(p->cmds, c);
  c->indent = indent;
  c->flat = flat;
  c->d = d;
  c->step = step;
  c->next = next;
  return c;
}

static Doc BREAK_DOC; /* in fits(): a line break may follow here */

typedef struct {
  bool flat;
  Doc *d;
} Fit;

/* Whether @d printed flat, followed by @rest up to its first line break, fits in @avail. */
static bool
fits(int avail, Doc *d, Doc *d2, Cmd *rest)
{
  GArray *stack = g_array_new(FALSE, FALSE, sizeof(Fit));
  if (d2) {
    Fit x = { true, d2 };
    g_array_append_val(stack, x);
  }
  Fit x = { true, d };
  g_array_append_val(stack, x);
  bool result = true;
  while (avail >= 0) {
    Fit cur;
    if (stack->len) {
      cur = g_array_index(stack, Fit, stack->len - 1);
      g_array_set_size(stack, stack->len - 1);
    } else if (rest) {
      cur.flat = rest->flat;
      cur.d = rest->d;
      if (rest->step >= 0) { /* the rest of a fill: its next item, then a possible break */
        if (rest->step % 2 == 1) {
          result = true;
          goto out;
        }
        Fit br = { false, &BREAK_DOC };
        if ((guint) rest->step + 1 < rest->d->nkids)
          g_array_append_val(stack, br);
        cur.flat = true;
        cur.d = rest->d->kids[rest->step];
      }
      rest = rest->next;
    } else {
      result = true;
      goto out;
    }
    if (cur.d == &BREAK_DOC) {
      result = true;
      goto out;
    }
    switch (cur.d->kind) {
    case D_TEXT:
      avail -= cur.d->width;
      break;
    case D_LINE:
      if (!cur.flat) {
        result = true;
        goto out;
      }
      avail -= 1;
      break;
    case D_HARD:
    case D_BLANK:
    case D_LEAD:
      result = !cur.flat;
      goto out;
    case D_SUFFIX:
      break;
    case D_CAT:
    case D_FILL:
      if (cur.d->kind == D_FILL && !cur.flat) {
        /* the first item; then its separator may break */
        Fit br = { false, &BREAK_DOC };
        g_array_append_val(stack, br);
        Fit it = { true, cur.d->kids[0] };
        g_array_append_val(stack, it);
        break;
      }
      for (guint i = cur.d->nkids; i-- > 0;) {
        Fit k = { cur.flat, cur.d->kids[i] };
        g_array_append_val(stack, k);
      }
      break;
    case D_NEST:
    case D_ALIGN:
    case D_GROUP: {
      Fit k = { cur.flat || cur.d->kind == D_GROUP, cur.d->kids[0] };
      g_array_append_val(stack, k);
      break;
    }
    }
  }
  result = false;
out:
  g_array_unref(stack);
  return result;
}

static char *
render(Doc *root)
{
  Printer p = { 0 };
  p.out = g_string_new(NULL);
  p.suffix = g_string_new(NULL);
  p.bol = true;
  p.cmds = g_ptr_array_new_with_free_func(g_free);
  Cmd *stack = pr_cmd(&p, 0, false, root, -1, NULL);
  while (stack) {
    Cmd *c = stack;
    stack = c->next;
    Doc *d = c->d;
    int i = c->indent;
    if (c->step >= 0) {
      /* a fill: decide the item or separator number step */
      guint k = (guint) c->step;
      bool last = k + 1 >= d->nkids;
      if (k % 2 == 0) {
        Doc *item = d->kids[k];
        bool flat = !item->hard && fits(REG_FORMAT_WIDTH - p.col, item, NULL, last ? stack : NULL);
        if (!last) {
          stack = pr_cmd(&p, i, false, d, (int) k + 1, stack);
          stack->texts = p.texts;
        }
        stack = pr_cmd(&p, i, flat, item, -1, stack);
      } else {
        Doc *sep = d->kids[k], *next = d->kids[k + 1];
        bool next_last = k + 2 >= d->nkids;
        /* after an item that took several lines (not counting comments before it), the
         * next starts on a line of its own */
        bool prev_broken = p.texts_at_nl > c->texts;
        bool flat = !prev_broken && !next->hard &&
                    fits(REG_FORMAT_WIDTH - p.col, sep, next, next_last ? stack : NULL);
        stack = pr_cmd(&p, i, false, d, (int) k + 1, stack);
        stack = pr_cmd(&p, i, flat, sep, -1, stack);
      }
      continue;
    }
    switch (d->kind) {
    case D_TEXT:
      pr_text(&p, d->s, d->width);
      p.texts++;
      break;
    case D_LINE:
      if (c->flat)
        pr_text(&p, " ", 1);
      else
        pr_newline(&p, i);
      break;
    case D_HARD:
      pr_newline(&p, i);
      break;
    case D_BLANK:
      pr_blank(&p, i);
      break;
    case D_LEAD:
      pr_newline(&p, i);
      pr_text(&p, d->s, text_width(d->s));
      pr_newline(&p, i);
      break;
    case D_SUFFIX:
      if (p.suffix->len)
        g_string_append(p.suffix, "  ");
      g_string_append(p.suffix, d->s);
      break;
    case D_CAT:
      for (guint k = d->nkids; k-- > 0;)
        stack = pr_cmd(&p, i, c->flat, d->kids[k], -1, stack);
      break;
    case D_NEST:
      stack = pr_cmd(&p, i + d->n, c->flat, d->kids[0], -1, stack);
      break;
    case D_ALIGN:
      stack = pr_cmd(&p, p.col, c->flat, d->kids[0], -1, stack);
      break;
    case D_GROUP: {
      bool flat = c->flat || (!d->hard && fits(REG_FORMAT_WIDTH - p.col, d->kids[0], NULL, stack));
      stack = pr_cmd(&p, i, flat, d->kids[0], -1, stack);
      break;
    }
    case D_FILL:
      if (c->flat) {
        for (guint k = d->nkids; k-- > 0;)
          stack = pr_cmd(&p, i, true, d->kids[k], -1, stack);
      } else {
        stack = pr_cmd(&p, i, false, d, 0, stack);
      }
      break;
    }
  }
  pr_newline(&p, 0);
  g_ptr_array_unref(p.cmds);
  g_string_free(p.suffix, TRUE);
  /* one newline at the end, none at the start */
  while (p.out->len && p.out->str[p.out->len - 1] == '\n')
    g_string_truncate(p.out, p.out->len - 1);
  if (p.out->len)
    g_string_append_c(p.out, '\n');
  return g_string_free(p.out, FALSE);
}

/* ---------------------------------------------------------------- the layout of the grammar */

static Tok *
cur(Fmt *f)
{
  return &g_array_index(f->toks, Tok, f->pos);
}

static int
kind_at(Fmt *f, guint ahead)
{
  guint i = f->pos + ahead;
  if (i >= f->toks->len)
    return 0;
  return g_array_index(f->toks, Tok, i).kind;
}

#define K(f) kind_at(f, 0)

/* The document of token @t with its comments. */
static Doc *
tok_doc(Fmt *f, Tok *t)
{
  GPtrArray *parts = g_ptr_array_new();
  if (t->lead && !t->lead_done) {
    for (guint i = 0; i < t->lead->len; i++) {
      Comment *c = g_ptr_array_index(t->lead, i);
      if (c->blank_before)
        g_ptr_array_add(parts, BLANK(f));
      g_ptr_array_add(parts, d_simple(f, D_LEAD, c->text));
    }
    if (t->blank_before)
      g_ptr_array_add(parts, BLANK(f));
  }
  g_ptr_array_add(parts, d_text(f, t->text));
  if (t->trail)
    g_ptr_array_add(parts, d_simple(f, D_SUFFIX, t->trail));
  return d_kids(f, D_CAT, parts);
}

/* Takes the current token, which must be of @kind (-1: any). */
static Doc *
take(Fmt *f, int kind)
{
  if (f->failed)
    return d_text(f, "");
  Tok *t = cur(f);
  if ((kind >= 0 && t->kind != kind) || t->kind == 0) {
    f->failed = true;
    return d_text(f, "");
  }
  f->pos++;
  return tok_doc(f, t);
}

/* Before a declaration or a field: the comments of its first token on lines of their own,
 * and the blank lines before and after them (at most one each). */
static Doc *
statement_start(Fmt *f)
{
  Tok *t = cur(f);
  GPtrArray *parts = g_ptr_array_new();
  if (t->lead) {
    for (guint i = 0; i < t->lead->len; i++) {
      Comment *c = g_ptr_array_index(t->lead, i);
      if (c->blank_before)
        g_ptr_array_add(parts, BLANK(f));
      g_ptr_array_add(parts, d_simple(f, D_LEAD, c->text));
    }
    t->lead_done = true;
  }
  if (t->blank_before)
    g_ptr_array_add(parts, BLANK(f));
  return d_kids(f, D_CAT, parts);
}

static bool
is_softkw(int k)
{
  switch (k) {
  case T_BOOL:
  case T_INT:
  case T_DEC:
  case T_TEXT:
  case T_DATE:
  case T_DUR:
  case KW_LIST:
  case KW_SUM:
  case KW_COUNT:
  case KW_MIN:
  case KW_MAX:
  case KW_ALL:
  case KW_ANY:
  case KW_FIRST:
  case KW_KEY:
  case KW_DEFAULT:
  case KW_REQUIRED:
  case KW_OPTIONAL:
  case KW_DECIMALS:
  case KW_VERSION:
  case KW_EMPTY:
  case KW_UNKNOWN:
  case KW_GELDT:
  case KW_VANAF:
  case KW_BASIS:
  case KW_EXPLAIN:
  case KW_VAN:
    return true;
  default:
    return false;
  }
}

static bool
is_name(int k)
{
  return k == IDENT || k == KW_ASOF || is_softkw(k);
}

static Doc *
name(Fmt *f)
{
  if (!is_name(K(f)))
    f->failed = true;
  return take(f, -1);
}

static Doc *
type(Fmt *f)
{
  switch (K(f)) {
  case T_BOOL:
  case T_INT:
  case T_DEC:
  case T_TEXT:
  case T_DATE:
  case T_DUR:
  case IDENT:
    return take(f, -1);
  case KW_LIST: {
    Doc *l = take(f, KW_LIST);
    Doc *of = K(f) == KW_VAN ? take(f, KW_VAN) : take(f, KW_OF);
    if (++f->depth > MAX_FORMAT_DEPTH)
      f->failed = f->too_deep = true;
    Doc *t = f->failed ? d_text(f, "") : type(f);
    f->depth--;
    return d_cat(f, l, SP(f), of, SP(f), t, END);
  }
  default:
    f->failed = true;
    return d_text(f, "");
  }
}

enum { P_OR = 1, P_AND, P_NOT, P_CMP, P_ADD, P_MUL, P_NEG, P_UNIT, P_AT };

static int
binprec(int k)
{
  switch (k) {
  case KW_OR:
  case KW_OF:
    return P_OR;
  case KW_AND:
    return P_AND;
  case '=':
  case NE:
  case '<':
  case LE:
  case '>':
  case GE:
  case KW_IN:
  case KW_NOTIN:
  case KW_IS:
    return P_CMP;
  case '+':
  case '-':
    return P_ADD;
  case '*':
  case '/':
    return P_MUL;
  case KW_UNIT:
    return P_UNIT;
  case KW_AT:
    return P_AT;
  default:
    return -1;
  }
}

/* An expression being read: a chain of operands of one level (kept open so that
 * 'a en b en c' becomes one fill), or a finished document. */
typedef struct {
  int level;
  GPtrArray *items;
  Doc *doc;
} Expr;

static Doc *
finish(Fmt *f, Expr e)
{
  if (!e.items)
    return e.doc;
  return ALIGN(f, d_fill(f, e.items));
}

static Expr expr_at(Fmt *f, int minprec);

static Doc *
expr(Fmt *f)
{
  return finish(f, expr_at(f, 0));
}

static Doc *postfix(Fmt *f);

/* Items separated by commas: the comma goes with the item before it. */
static GPtrArray *
comma_items(Fmt *f, Doc *(*item)(Fmt *))
{
  GPtrArray *items = g_ptr_array_new();
  while (!f->failed) {
    Doc *it = item(f);
    if (K(f) == ',') {
      g_ptr_array_add(items, d_cat(f, it, take(f, ','), END));
      continue;
    }
    g_ptr_array_add(items, it);
    break;
  }
  return items;
}

static Doc *
recfield(Fmt *f)
{
  Doc *n = name(f);
  Doc *colon = take(f, ':');
  Doc *v = expr(f);
  if (K(f) == KW_IF) {
    Doc *als = take(f, KW_IF);
    Doc *c = expr(f);
    return GROUP(f, d_cat(f, n, colon, SP(f), v, NEST(f, 2, d_cat(f, LINE(f), als, SP(f), c, END)),
                          END));
  }
  return d_cat(f, n, colon, SP(f), v, END);
}

static Doc *
bracketed(Fmt *f, Doc *open, GPtrArray *items, int close)
{
  Doc *body = items->len ? ALIGN(f, d_fill(f, items)) : NULL;
  if (!body)
    g_ptr_array_unref(items);
  return d_cat(f, open, body, take(f, close), END);
}

/* 'voor x in src [waarvoor cond]' as one item of a fill (a group of its own, broken before
 * 'waarvoor' when needed); a comma can be appended to it. */
static void
for_in(Fmt *f, GPtrArray *items)
{
  Doc *voor = take(f, KW_FOR);
  Doc *x = take(f, IDENT);
  Doc *in = take(f, KW_IN);
  Doc *src = expr(f);
  Doc *d = d_cat(f, voor, SP(f), x, SP(f), in, SP(f), src, END);
  if (K(f) == KW_WHERE) {
    Doc *w = take(f, KW_WHERE);
    d = GROUP(f, d_cat(f, d, LINE(f), w, SP(f), expr(f), END));
  }
  g_ptr_array_add(items, d);
}

/* 'x in src [waarvoor cond]' (aantal) */
static void
var_in(Fmt *f, GPtrArray *items, bool where)
{
  Doc *x = take(f, IDENT);
  Doc *in = take(f, KW_IN);
  Doc *src = expr(f);
  g_ptr_array_add(items, d_cat(f, x, SP(f), in, SP(f), src, END));
  if (where && K(f) == KW_WHERE) {
    Doc *w = take(f, KW_WHERE);
    g_ptr_array_add(items, d_cat(f, w, SP(f), expr(f), END));
  }
}

static void
append_to_last(Fmt *f, GPtrArray *items, Doc *d)
{
  Doc *last = g_ptr_array_index(items, items->len - 1);
  items->pdata[items->len - 1] = d_cat(f, last, d, END);
}

/* som(...), aantal(...), minimum(...), ... */
static Doc *
aggregate(Fmt *f)
{
  int k = K(f);
  Doc *word = take(f, -1);
  Doc *open = take(f, '(');
  GPtrArray *items = g_ptr_array_new();
  switch (k) {
  case KW_COUNT:
    var_in(f, items, true);
    break;
  case KW_ALL:
  case KW_ANY:
    var_in(f, items, false);
    append_to_last(f, items, take(f, ':'));
    g_ptr_array_add(items, expr(f));
    break;
  default: {
    Doc *e = expr(f);
    if ((k == KW_MIN || k == KW_MAX) && K(f) == ',') {
      g_ptr_array_add(items, d_cat(f, e, take(f, ','), END));
      g_ptr_array_add(items, expr(f));
      break;
    }
    g_ptr_array_add(items, e);
    for_in(f, items);
    if (k != KW_SUM) {
      append_to_last(f, items, take(f, ','));
      Doc *anders = take(f, KW_ELSE);
      g_ptr_array_add(items, d_cat(f, anders, SP(f), expr(f), END));
    }
    break;
  }
  }
  return bracketed(f, d_cat(f, word, open, END), items, ')');
}

static Doc *
primary(Fmt *f)
{
  int k = K(f);
  switch (k) {
  case INTLIT:
  case DECLIT:
  case STRING:
  case DATELIT:
  case KW_TRUE:
  case KW_FALSE:
  case KW_ASOF:
    return take(f, -1);
  case IDENT:
    if (kind_at(f, 1) == '(') {
      Doc *n = take(f, IDENT);
      Doc *open = take(f, '(');
      if (K(f) == ')')
        return d_cat(f, n, open, take(f, ')'), END);
      return bracketed(f, d_cat(f, n, open, END), comma_items(f, expr), ')');
    }
    if (kind_at(f, 1) == '{') {
      Doc *n = take(f, IDENT);
      Doc *open = take(f, '{');
      return bracketed(f, d_cat(f, n, open, END), comma_items(f, recfield), '}');
    }
    return take(f, IDENT);
  case '{': {
    Doc *open = take(f, '{');
    return bracketed(f, open, comma_items(f, recfield), '}');
  }
  case '(': {
    Doc *open = take(f, '(');
    Doc *e = expr(f);
    return d_cat(f, open, e, take(f, ')'), END);
  }
  case '[': {
    Doc *open = take(f, '[');
    if (K(f) == ']')
      return d_cat(f, open, take(f, ']'), END);
    Doc *e = expr(f);
    GPtrArray *items = g_ptr_array_new();
    if (K(f) == KW_FOR) {
      g_ptr_array_add(items, e);
      for_in(f, items);
    } else if (K(f) == ',') {
      g_ptr_array_add(items, d_cat(f, e, take(f, ','), END));
      GPtrArray *rest = comma_items(f, expr);
      for (guint i = 0; i < rest->len; i++)
        g_ptr_array_add(items, g_ptr_array_index(rest, i));
      g_ptr_array_unref(rest);
    } else {
      g_ptr_array_add(items, e);
    }
    return bracketed(f, open, items, ']');
  }
  case KW_SUM:
  case KW_COUNT:
  case KW_MIN:
  case KW_MAX:
  case KW_FIRST:
  case KW_ALL:
  case KW_ANY:
    if (kind_at(f, 1) == '(')
      return aggregate(f);
    return take(f, -1);
  default:
    if (is_softkw(k))
      return take(f, -1);
    f->failed = true;
    return d_text(f, "");
  }
}

static Doc *
postfix(Fmt *f)
{
  Doc *d = primary(f);
  while (!f->failed && K(f) == '.') {
    Doc *dot = take(f, '.');
    d = d_cat(f, d, dot, name(f), END);
  }
  return d;
}

/* als c dan x anders als c2 dan y anders z: one clause per line when it does not fit. */
static Doc *
if_chain(Fmt *f)
{
  GPtrArray *parts = g_ptr_array_new();
  Doc *prefix = NULL; /* 'anders ' before an 'als' of the chain */
  for (;;) {
    Doc *als = take(f, KW_IF);
    Doc *c = expr(f);
    Doc *dan = take(f, KW_THEN);
    Doc *t = expr(f);
    Doc *clause = GROUP(f, d_cat(f, prefix, als, SP(f), c,
                                 NEST(f, 2, d_cat(f, LINE(f), dan, SP(f), t, END)), END));
    if (parts->len)
      g_ptr_array_add(parts, LINE(f));
    g_ptr_array_add(parts, clause);
    Doc *anders = take(f, KW_ELSE);
    if (f->failed)
      break;
    if (K(f) == KW_IF) {
      prefix = d_cat(f, anders, SP(f), END);
      continue;
    }
    g_ptr_array_add(parts, LINE(f));
    g_ptr_array_add(parts, d_cat(f, anders, SP(f), expr(f), END));
    break;
  }
  return ALIGN(f, GROUP(f, d_kids(f, D_CAT, parts)));
}

static Doc *
unary(Fmt *f)
{
  switch (K(f)) {
  case KW_IF:
    return if_chain(f);
  case KW_NOT: {
    Doc *niet = take(f, KW_NOT);
    return d_cat(f, niet, SP(f), finish(f, expr_at(f, P_NOT + 1)), END);
  }
  case '-': {
    Doc *minus = take(f, '-');
    return d_cat(f, minus, finish(f, expr_at(f, P_NEG + 1)), END);
  }
  default:
    return postfix(f);
  }
}

static Expr
expr_at(Fmt *f, int minprec)
{
  Expr e = { -1, NULL, NULL };
  if (++f->depth > MAX_FORMAT_DEPTH)
    f->failed = f->too_deep = true;
  if (f->failed) {
    e.doc = d_text(f, "");
    f->depth--;
    return e;
  }
  e.doc = unary(f);
  while (!f->failed) {
    int k = K(f);
    int p = binprec(k);
    if (p < 0 || p < minprec)
      break;
    Doc *op = take(f, k);
    if (k == KW_UNIT) {
      e.doc = d_cat(f, finish(f, e), SP(f), op, END);
      e.items = NULL;
      continue;
    }
    if (k == KW_AT) {
      e.doc = d_cat(f, finish(f, e), SP(f), op, SP(f), postfix(f), END);
      e.items = NULL;
      continue;
    }
    Doc *rhs;
    if (k == KW_IS) {
      Doc *niet = K(f) == KW_NOT ? take(f, KW_NOT) : NULL;
      Doc *what = take(f, -1);
      rhs = niet ? d_cat(f, niet, SP(f), what, END) : what;
    } else {
      rhs = finish(f, expr_at(f, p + 1));
    }
    Doc *item = d_cat(f, op, SP(f), rhs, END);
    if (e.items && e.level == p) {
      g_ptr_array_add(e.items, item);
    } else {
      GPtrArray *items = g_ptr_array_new();
      g_ptr_array_add(items, finish(f, e));
      g_ptr_array_add(items, item);
      e.items = items;
      e.level = p;
    }
  }
  f->depth--;
  return e;
}

/* 'geldt vanaf DATUM', 'bron "..."' and 'uitleg "..."' lines after a definition. */
static Doc *
meta(Fmt *f)
{
  GPtrArray *parts = g_ptr_array_new();
  while (!f->failed) {
    Doc *line;
    if (K(f) == KW_GELDT && kind_at(f, 1) == KW_VANAF) {
      Doc *g = take(f, KW_GELDT);
      Doc *v = take(f, KW_VANAF);
      line = d_cat(f, g, SP(f), v, SP(f), take(f, DATELIT), END);
    } else if ((K(f) == KW_BASIS || K(f) == KW_EXPLAIN) && kind_at(f, 1) == STRING) {
      Doc *b = take(f, -1);
      line = d_cat(f, b, SP(f), take(f, STRING), END);
    } else {
      break;
    }
    g_ptr_array_add(parts, NEST(f, 2, d_cat(f, HARD(f), line, END)));
  }
  return d_kids(f, D_CAT, parts);
}

static Doc *
literal(Fmt *f)
{
  if (K(f) == '-') {
    Doc *m = take(f, '-');
    return d_cat(f, m, take(f, -1), END);
  }
  return take(f, -1);
}

static Doc *
fieldopt(Fmt *f)
{
  switch (K(f)) {
  case KW_DEFAULT:
  case GE: {
    Doc *w = take(f, -1);
    return d_cat(f, w, SP(f), literal(f), END);
  }
  case KW_IS:
  case INTLIT: {
    Doc *a = take(f, -1);
    return d_cat(f, a, SP(f), take(f, -1), END);
  }
  default:
    return take(f, -1);
  }
}

/* The fields of a record, invoer or uitvoer, each on a line of its own. */
static Doc *
fields(Fmt *f, bool output)
{
  GPtrArray *parts = g_ptr_array_new();
  while (!f->failed && is_name(K(f)) && kind_at(f, 1) == ':') {
    Doc *blank = statement_start(f);
    Doc *n = name(f);
    Doc *colon = take(f, ':');
    Doc *t = type(f);
    Doc *field;
    if (output) {
      Doc *eq = take(f, '=');
      Doc *v = expr(f);
      Doc *body = v;
      if (K(f) == KW_IF) {
        Doc *als = take(f, KW_IF);
        body = GROUP(f, d_cat(f, v, LINE(f), als, SP(f), expr(f), END));
      }
      field = GROUP(f, d_cat(f, n, colon, SP(f), t, SP(f), eq,
                             NEST(f, 2, d_cat(f, LINE(f), body, END)), END));
    } else {
      GPtrArray *opts = g_ptr_array_new();
      g_ptr_array_add(opts, d_cat(f, n, colon, SP(f), t, END));
      while (!f->failed && K(f) == ',') {
        Doc *comma = take(f, ',');
        opts->pdata[opts->len - 1] = d_cat(f, g_ptr_array_index(opts, opts->len - 1), comma, END);
        g_ptr_array_add(opts, fieldopt(f));
      }
      field = NEST(f, 4, d_fill(f, opts));
    }
    g_ptr_array_add(parts, NEST(f, 2, d_cat(f, HARD(f), blank, field, END)));
  }
  if (parts->len == 0)
    f->failed = true;
  return d_kids(f, D_CAT, parts);
}

/* head ' =' then the body, on the same line if it fits, else indented on the next. */
static Doc *
definition(Fmt *f, Doc *head)
{
  Doc *eq = take(f, '=');
  Doc *body = expr(f);
  return d_cat(f, GROUP(f, d_cat(f, head, SP(f), eq, NEST(f, 2, d_cat(f, LINE(f), body, END)),
                                 END)),
               meta(f), END);
}

/* A member of a keuzelijst, with its label. */
static Doc *
member(Fmt *f)
{
  Doc *n = name(f);
  if (K(f) != STRING)
    return n;
  return d_cat(f, n, SP(f), take(f, STRING), END);
}

static Doc *
param(Fmt *f)
{
  Doc *n = name(f);
  Doc *colon = take(f, ':');
  return d_cat(f, n, colon, SP(f), type(f), END);
}

static Doc *
decl(Fmt *f)
{
  int k = K(f);
  Doc *kw = take(f, -1);
  switch (k) {
  case KW_CRITERIA: {
    Doc *s = take(f, STRING);
    Doc *v = take(f, KW_VERSION);
    return d_cat(f, kw, SP(f), s, SP(f), v, SP(f), take(f, STRING), END);
  }
  case KW_OPEN:
  case KW_ENUM: {
    Doc *e = k == KW_OPEN ? take(f, KW_ENUM) : NULL;
    Doc *n = name(f);
    Doc *colon = take(f, ':');
    GPtrArray *members = comma_items(f, member);
    return d_cat(f, kw, e ? SP(f) : NULL, e, SP(f), n, colon,
                 GROUP(f, NEST(f, 2, d_cat(f, LINE(f), d_fill(f, members), END))), END);
  }
  case KW_RECORD:
  case KW_INPUT:
  case KW_OUTPUT: {
    Doc *n = name(f);
    Doc *colon = take(f, ':');
    return d_cat(f, kw, SP(f), n, colon, fields(f, k == KW_OUTPUT), END);
  }
  case KW_PARAMETER:
  case KW_RULE: {
    Doc *head = d_cat(f, kw, SP(f), name(f), END);
    if (k == KW_RULE && K(f) == '(') {
      Doc *open = take(f, '(');
      head = d_cat(f, head, bracketed(f, open, comma_items(f, param), ')'), END);
    }
    if (K(f) == ':') {
      Doc *colon = take(f, ':');
      head = d_cat(f, head, colon, SP(f), type(f), END);
    }
    return definition(f, head);
  }
  case KW_CHECK: {
    Doc *e = expr(f);
    Doc *anders = take(f, KW_ELSE);
    Doc *msg = take(f, STRING);
    return d_cat(f, kw, SP(f),
                 ALIGN(f, GROUP(f, d_cat(f, e, LINE(f), anders, SP(f), msg, END))), meta(f), END);
  }
  default:
    f->failed = true;
    return d_text(f, "");
  }
}

static Doc *
file_doc(Fmt *f)
{
  GPtrArray *parts = g_ptr_array_new();
  bool first = true;
  while (!f->failed && K(f) != 0) {
    if (!first)
      g_ptr_array_add(parts, HARD(f));
    g_ptr_array_add(parts, statement_start(f));
    g_ptr_array_add(parts, decl(f));
    first = false;
  }
  /* comments at the end of the file */
  if (!f->failed && cur(f)->lead) {
    if (!first)
      g_ptr_array_add(parts, HARD(f));
    g_ptr_array_add(parts, tok_doc(f, cur(f)));
  }
  return d_kids(f, D_CAT, parts);
}

/* ---------------------------------------------------------------- checks and entry point */

/* The tokens (kind and text) and the comments (without blanks) in one string. */
static char *
fingerprint(GArray *toks)
{
  GString *s = g_string_new(NULL);
  GString *comments = g_string_new(NULL);
  for (guint i = 0; i < toks->len; i++) {
    Tok *t = &g_array_index(toks, Tok, i);
    if (t->lead)
      for (guint j = 0; j < t->lead->len; j++)
        g_string_append(comments, ((Comment *) g_ptr_array_index(t->lead, j))->text);
    if (t->trail)
      g_string_append(comments, t->trail);
    g_string_append_printf(s, "%d:%zu:%s\n", t->kind, strlen(t->text), t->text);
  }
  g_string_append_c(s, '\n');
  for (gsize i = 0; i < comments->len; i++)
    if (!g_ascii_isspace(comments->str[i]))
      g_string_append_c(s, comments->str[i]);
  g_string_free(comments, TRUE);
  return g_string_free(s, FALSE);
}

/* Parses @text; NULL when it has errors (then *diags holds them), else the compiler. */
static RegCompiler *
parse_only(const char *path, const char *text, gsize len, char **diags)
{
  RegCompiler *c = reg_compiler_new();
  reg_compiler_add_source(c, path, text, (gssize) len);
  if (c->nerrors == 0 && c->sources->len == 1) {
    RegSource *src = g_ptr_array_index(c->sources, 0);
    RegParseCtx ctx = { 0 };
    ctx.comp = c;
    ctx.file = 0;
    reg_parse_file(&ctx, src->text, src->len);
    ast_free(ctx.root);
  }
  if (c->nerrors == 0)
    return c;
  *diags = reg_compiler_format_diagnostics(c);
  reg_compiler_free(c);
  return NULL;
}

char *
reg_format_source(const char *path, const char *text, gsize len, GError **error)
{
  g_return_val_if_fail(path != NULL && text != NULL, NULL);
  char *diags = NULL;
  RegCompiler *c = parse_only(path, text, len, &diags);
  if (!c) {
    g_set_error_literal(error, REG_FORMAT_ERROR, REG_FORMAT_ERROR_SYNTAX, diags);
    g_free(diags);
    return NULL;
  }
  RegSource *src = g_ptr_array_index(c->sources, 0);
  GArray *toks = lex_all(c, src->text, src->len);
  char *result = NULL;
  bool too_deep = false;
  if (toks) {
    Fmt f = { 0 };
    f.pool = g_ptr_array_new_with_free_func(g_free);
    f.toks = toks;
    Doc *root = file_doc(&f);
    if (!f.failed && K(&f) == 0)
      result = render(root);
    too_deep = f.too_deep;
    g_ptr_array_unref(f.pool);
  }
  reg_compiler_free(c);

  /* The same tokens and comments, and still free of syntax errors? */
  bool same = false;
  if (result) {
    RegCompiler *c2 = parse_only(path, result, strlen(result), &diags);
    if (c2) {
      GArray *toks2 = lex_all(c2, result, strlen(result));
      if (toks2) {
        char *a = fingerprint(toks), *b = fingerprint(toks2);
        same = strcmp(a, b) == 0;
        g_free(a);
        g_free(b);
        g_array_unref(toks2);
      }
      reg_compiler_free(c2);
    } else {
      g_free(diags);
    }
  }
  if (toks)
    g_array_unref(toks);
  if (!same && too_deep) {
    g_free(result);
    g_set_error(error, REG_FORMAT_ERROR, REG_FORMAT_ERROR_INTERNAL,
                "%s: expressions nested more than %d levels deep are not formatted", path,
                MAX_FORMAT_DEPTH);
    return NULL;
  }
  if (!same) {
    g_free(result);
    g_set_error(error, REG_FORMAT_ERROR, REG_FORMAT_ERROR_INTERNAL,
                "%s: internal error: the formatter cannot lay out this file without changing it",
                path);
    return NULL;
  }
  return result;
}
