/* ast.c: construction and destruction of syntax tree nodes, and their dump as S-expressions. */
#include "ast.h"

#include <inttypes.h>

#include "date-private.h"
#include "program-private.h"

AstNode *
ast_new(AstKind kind, uint32_t file, RegSpan span)
{
  AstNode *n = g_new0(AstNode, 1);
  n->kind = kind;
  n->file = file;
  n->span = span;
  n->depth = 1;
  n->type = REG_NONE;
  return n;
}

AstNode *
ast_new_str(AstKind kind, uint32_t file, RegSpan span, char *str)
{
  AstNode *n = ast_new(kind, file, span);
  n->str = str;
  return n;
}

AstNode *
ast_add(AstNode *n, AstNode *kid)
{
  if (n->nkids == n->cap) {
    n->cap = n->cap ? n->cap * 2 : 4;
    n->kids = g_renew(AstNode *, n->kids, n->cap);
  }
  n->kids[n->nkids++] = kid;
  if (kid) {
    if (kid->depth + 1 > n->depth)
      n->depth = kid->depth + 1;
    if (kid->span.start < n->span.start)
      n->span.start = kid->span.start;
    if (kid->span.end > n->span.end)
      n->span.end = kid->span.end;
  }
  return n;
}

AstNode *
ast_with(AstKind kind, uint32_t file, RegSpan span, int op, AstNode *a, AstNode *b, AstNode *c)
{
  AstNode *n = ast_new(kind, file, span);
  n->op = op;
  if (a || b || c)
    ast_add(n, a);
  if (b || c)
    ast_add(n, b);
  if (c)
    ast_add(n, c);
  return n;
}

void
ast_free(AstNode *n)
{
  if (!n)
    return;
  /* Sequences can be long (a file's declarations): free them without deep recursion. */
  for (uint32_t i = 0; i < n->nkids; i++)
    ast_free(n->kids[i]);
  g_free(n->kids);
  g_free(n->str);
  g_free(n->str2);
  g_free(n);
}

const char *
ast_kind_name(AstKind k)
{
  static const char *names[AST__COUNT] = {
    "int", "decimal", "text", "date", "bool", "peildatum", "name", "field", "call", "at",
    "unary", "binary", "is", "unit", "if", "list", "record", "recfield", "comprehension",
    "minmax", "type", "type", "type", "file", "criteria", "enum", "member", "record",
    "field", "option", "output", "outfield", "rule", "param", "check", "meta", "seq",
  };
  return k < AST__COUNT ? names[k] : "?";
}

/* ---- ast_dump: the tree as S-expressions ------------------------------------------ */

static void dump(GString *s, const AstNode *n);

static void
dump_quoted(GString *s, const char *t)
{
  g_string_append_c(s, '"');
  for (const unsigned char *p = (const unsigned char *) (t ? t : ""); *p; p++) {
    switch (*p) {
    case '"':
      g_string_append(s, "\\\"");
      break;
    case '\\':
      g_string_append(s, "\\\\");
      break;
    case '\n':
      g_string_append(s, "\\n");
      break;
    case '\t':
      g_string_append(s, "\\t");
      break;
    default:
      if (*p < 0x20 || *p == 0x7f)
        g_string_append_printf(s, "\\x%02x", *p);
      else
        g_string_append_c(s, (char) *p);
      break;
    }
  }
  g_string_append_c(s, '"');
}

/* Millionths as a decimal with at least one digit after the point. */
static void
dump_decimal(GString *s, int64_t v)
{
  uint64_t m = v < 0 ? (uint64_t) 0 - (uint64_t) v : (uint64_t) v;
  char frac[8];
  g_snprintf(frac, sizeof frac, "%06" PRIu64, m % 1000000u);
  size_t len = 6;
  while (len > 1 && frac[len - 1] == '0')
    len--;
  frac[len] = '\0';
  g_string_append_printf(s, "%s%" PRIu64 ".%s", v < 0 ? "-" : "", m / 1000000u, frac);
}

static void
dump_date(GString *s, int64_t d)
{
  if (reg_date_valid(d)) {
    char buf[REG_DATE_TEXT_LEN + 1];
    reg_date_format(d, buf);
    g_string_append(s, buf);
  } else {
    g_string_append_printf(s, "(date %" PRId64 ")", d);
  }
}

static const char *
op_text(int op)
{
  switch (op) {
  case OP_ADD:
    return "+";
  case OP_SUB:
  case OP_NEG:
    return "-";
  case OP_MUL:
    return "*";
  case OP_DIV:
    return "/";
  case OP_AND:
    return "en";
  case OP_OR:
    return "of";
  case OP_EQ:
    return "=";
  case OP_NE:
    return "!=";
  case OP_LT:
    return "<";
  case OP_LE:
    return "<=";
  case OP_GT:
    return ">";
  case OP_GE:
    return ">=";
  case OP_IN:
    return "in";
  case OP_NOTIN:
    return "niet-in";
  case OP_NOT:
    return "niet";
  default:
    return "?op";
  }
}

static const char *
prim_text(int t)
{
  static const char *const names[] = { "waarheid", "geheel", "getal", "tekst", "datum", "duur" };
  return t >= 0 && (size_t) t < G_N_ELEMENTS(names) ? names[t] : "?type";
}

static const char *
compr_text(int k)
{
  static const char *const names[] = { "lijst",   "som",  "aantal", "minimum",
                                       "maximum", "alle", "enige",  "eerste" };
  return k >= 0 && (size_t) k < G_N_ELEMENTS(names) ? names[k] : "?compr";
}

static const AstNode *
kid(const AstNode *n, uint32_t i)
{
  return i < n->nkids ? n->kids[i] : NULL;
}

/* " kid" for every kid from @from on. */
static void
dump_kids(GString *s, const AstNode *n, uint32_t from)
{
  for (uint32_t i = from; i < n->nkids; i++) {
    g_string_append_c(s, ' ');
    dump(s, n->kids[i]);
  }
}

static void
dump_name(GString *s, const char *name)
{
  g_string_append(s, name ? name : "_");
}

static void
dump(GString *s, const AstNode *n)
{
  if (!n) {
    g_string_append_c(s, '_');
    return;
  }
  switch (n->kind) {
  case AST_INT:
    g_string_append_printf(s, "%" PRId64, n->num);
    break;
  case AST_DEC:
    dump_decimal(s, n->num);
    break;
  case AST_TEXT:
    dump_quoted(s, n->str);
    break;
  case AST_DATE:
    dump_date(s, n->num);
    break;
  case AST_BOOL:
    g_string_append(s, n->num ? "waar" : "onwaar");
    break;
  case AST_ASOF:
    g_string_append(s, "peildatum");
    break;
  case AST_NAME:
  case AST_TYPE_NAME:
    dump_name(s, n->str);
    break;
  case AST_FIELD:
    g_string_append(s, "(. ");
    dump(s, kid(n, 0));
    g_string_append_c(s, ' ');
    dump_name(s, n->str);
    g_string_append_c(s, ')');
    break;
  case AST_CALL:
    g_string_append(s, "(call ");
    dump_name(s, n->str);
    dump_kids(s, n, 0);
    g_string_append_c(s, ')');
    break;
  case AST_AT:
    g_string_append(s, "(op");
    dump_kids(s, n, 0);
    g_string_append_c(s, ')');
    break;
  case AST_UNARY:
  case AST_BINARY:
    g_string_append_printf(s, "(%s", op_text(n->op));
    dump_kids(s, n, 0);
    g_string_append_c(s, ')');
    break;
  case AST_IS:
    g_string_append_printf(s, "(is-%s%s", n->flag ? "niet-" : "",
                           n->op == AST_IS_EMPTY ? "leeg" : "onbekend");
    dump_kids(s, n, 0);
    g_string_append_c(s, ')');
    break;
  case AST_UNIT: {
    static const char *const units[] = { "dagen", "weken", "maanden", "jaar" };
    g_string_append_printf(s, "(%s",
                           n->op >= 0 && n->op < 4 ? units[n->op] : "?unit");
    dump_kids(s, n, 0);
    g_string_append_c(s, ')');
    break;
  }
  case AST_IF:
    g_string_append(s, "(als");
    dump_kids(s, n, 0);
    g_string_append_c(s, ')');
    break;
  case AST_LIST:
    g_string_append(s, "(list");
    dump_kids(s, n, 0);
    g_string_append_c(s, ')');
    break;
  case AST_RECLIT:
    g_string_append(s, "(rec ");
    dump_name(s, n->str);
    dump_kids(s, n, 0);
    g_string_append_c(s, ')');
    break;
  case AST_RECFIELD:
  case AST_OUTFIELD:
    /* (name [type] value [(als condition)]) */
    g_string_append_c(s, '(');
    dump_name(s, n->str);
    for (uint32_t i = 0; i < n->nkids; i++) {
      const AstNode *k = n->kids[i];
      bool cond = i == n->nkids - 1 && i > (n->kind == AST_OUTFIELD ? 1u : 0u);
      if (cond && !k)
        continue;
      g_string_append(s, cond ? " (als " : " ");
      dump(s, k);
      if (cond)
        g_string_append_c(s, ')');
    }
    g_string_append_c(s, ')');
    break;
  case AST_COMPR:
    /* (som (voor v source) body (waarvoor filter) (anders default)) */
    g_string_append_printf(s, "(%s (voor ", compr_text(n->op));
    dump_name(s, n->str);
    g_string_append_c(s, ' ');
    dump(s, kid(n, 1));
    g_string_append_c(s, ')');
    if (kid(n, 0)) {
      g_string_append_c(s, ' ');
      dump(s, kid(n, 0));
    }
    if (kid(n, 2)) {
      g_string_append(s, " (waarvoor ");
      dump(s, kid(n, 2));
      g_string_append_c(s, ')');
    }
    if (kid(n, 3)) {
      g_string_append(s, " (anders ");
      dump(s, kid(n, 3));
      g_string_append_c(s, ')');
    }
    g_string_append_c(s, ')');
    break;
  case AST_MINMAX2:
    g_string_append(s, n->op == '<' ? "(min2" : "(max2");
    dump_kids(s, n, 0);
    g_string_append_c(s, ')');
    break;
  case AST_TYPE_PRIM:
    g_string_append(s, prim_text(n->op));
    break;
  case AST_TYPE_LIST:
    g_string_append(s, "(lijst-van ");
    dump(s, kid(n, 0));
    g_string_append_c(s, ')');
    break;
  case AST_FILE:
    g_string_append(s, "(file");
    dump_kids(s, n, 0);
    g_string_append_c(s, ')');
    break;
  case AST_CRITERIA:
    g_string_append(s, "(criteria ");
    dump_quoted(s, n->str);
    g_string_append_c(s, ' ');
    dump_quoted(s, n->str2);
    g_string_append_c(s, ')');
    break;
  case AST_ENUM:
    g_string_append(s, n->flag ? "(open-keuzelijst " : "(keuzelijst ");
    dump_name(s, n->str);
    dump_kids(s, n, 0);
    g_string_append_c(s, ')');
    break;
  case AST_MEMBER:
    if (n->str2) {
      g_string_append_c(s, '(');
      dump_name(s, n->str);
      g_string_append_c(s, ' ');
      dump_quoted(s, n->str2);
      g_string_append_c(s, ')');
    } else {
      dump_name(s, n->str);
    }
    break;
  case AST_RECORD:
    g_string_append(s, n->flag ? "(invoer " : "(record ");
    dump_name(s, n->str);
    dump_kids(s, n, 0);
    g_string_append_c(s, ')');
    break;
  case AST_FIELDDECL:
  case AST_PARAMDECL:
    g_string_append_c(s, '(');
    dump_name(s, n->str);
    dump_kids(s, n, 0);
    g_string_append_c(s, ')');
    break;
  case AST_OPTION:
    switch (n->op) {
    case AST_OPT_REQUIRED:
      g_string_append(s, "verplicht");
      break;
    case AST_OPT_KEY:
      g_string_append(s, "sleutel");
      break;
    case AST_OPT_ASOF:
      g_string_append(s, "is-peildatum");
      break;
    case AST_OPT_OPTIONAL:
      g_string_append(s, "optioneel");
      break;
    case AST_OPT_DECIMALS:
      g_string_append_printf(s, "(decimalen %" PRId64 ")", n->num);
      break;
    case AST_OPT_DEFAULT:
    case AST_OPT_MIN:
      g_string_append(s, n->op == AST_OPT_DEFAULT ? "(standaard " : "(>= ");
      dump(s, kid(n, 0));
      g_string_append_c(s, ')');
      break;
    default:
      g_string_append(s, "?option");
      break;
    }
    break;
  case AST_OUTPUT:
    g_string_append(s, "(uitvoer ");
    dump_name(s, n->str);
    dump_kids(s, n, 0);
    g_string_append_c(s, ')');
    break;
  case AST_RULE: {
    /* (regel name (params) type body meta...) / (parameter name type body meta...) */
    g_string_append(s, n->flag ? "(parameter " : "(regel ");
    dump_name(s, n->str);
    const AstNode *params = kid(n, 0), *meta = kid(n, 3);
    if (!n->flag) {
      g_string_append(s, " (");
      for (uint32_t i = 0; params && i < params->nkids; i++) {
        if (i)
          g_string_append_c(s, ' ');
        dump(s, params->kids[i]);
      }
      g_string_append_c(s, ')');
    }
    g_string_append_c(s, ' ');
    dump(s, kid(n, 1));
    g_string_append_c(s, ' ');
    dump(s, kid(n, 2));
    if (meta)
      dump_kids(s, meta, 0);
    g_string_append_c(s, ')');
    break;
  }
  case AST_CHECK:
    g_string_append(s, "(eis ");
    dump(s, kid(n, 0));
    g_string_append_c(s, ' ');
    dump_quoted(s, n->str);
    if (kid(n, 1))
      dump_kids(s, kid(n, 1), 0);
    g_string_append_c(s, ')');
    break;
  case AST_META:
    if (n->op == AST_META_FROM) {
      g_string_append(s, "(geldt-vanaf ");
      dump_date(s, n->num);
    } else {
      g_string_append(s, n->op == AST_META_BASIS ? "(bron " : "(uitleg ");
      dump_quoted(s, n->str);
    }
    g_string_append_c(s, ')');
    break;
  case AST_SEQ:
    g_string_append(s, "(seq");
    dump_kids(s, n, 0);
    g_string_append_c(s, ')');
    break;
  default:
    g_string_append_printf(s, "(?%d)", (int) n->kind);
    break;
  }
}

char *
ast_dump(const AstNode *n)
{
  GString *s = g_string_new(NULL);
  dump(s, n);
  return g_string_free(s, FALSE);
}
