/* mutate.c: small changes to criteria source (mutants) that a good test suite notices. */
#include <string.h>

#include "compiler-private.h"
#include "date-private.h"
#include "decimal-private.h"

/*
 * Operators, each applied at every place it fits:
 *   number   a whole number +1 and -1, a decimal +0.01 and -0.01 (thresholds, durations)
 *   date     a date literal, also of 'geldt vanaf', one day earlier and later
 *   compare  < <= > >= flipped and made (non-)strict; = and ≠ swapped
 *   negate   a condition (a leaf of en/of/niet, an 'als' or 'waarvoor') negated
 *   member   an enumeration member replaced by the next member of its enumeration
 */

static void
add(GPtrArray *out, RegCompiler *c, uint32_t file, uint32_t start, uint32_t end, char *text,
    const char *kind, char *what)
{
  RegMutation *m = g_new0(RegMutation, 1);
  m->file = file;
  m->start = start;
  m->end = end;
  m->replacement = text;
  m->kind = kind;
  m->description = what;
  RegSource *src = g_ptr_array_index(c->sources, file);
  reg_source_position(src, start, &m->line, &m->col);
  g_ptr_array_add(out, m);
}

static char *
slice(RegCompiler *c, uint32_t file, uint32_t start, uint32_t end)
{
  RegSource *src = g_ptr_array_index(c->sources, file);
  if (end > src->len)
    end = (uint32_t) src->len;
  return g_strndup(src->text + start, end > start ? end - start : 0);
}

/* The operator of a binary expression: the first non-blank text between its operands. */
static bool
operator_span(RegCompiler *c, const AstNode *n, uint32_t *s, uint32_t *e)
{
  RegSource *src = g_ptr_array_index(c->sources, n->file);
  uint32_t i = n->kids[0]->span.end, stop = n->kids[1]->span.start;
  while (i < stop && (src->text[i] == ' ' || src->text[i] == '\t' || src->text[i] == '\n' ||
                      src->text[i] == '\r' || src->text[i] == ')'))
    i++;
  uint32_t j = i;
  while (j < stop && src->text[j] != ' ' && src->text[j] != '\t' && src->text[j] != '\n' &&
         src->text[j] != '(')
    j++;
  if (j == i)
    return false;
  *s = i;
  *e = j;
  return true;
}

static void walk(GPtrArray *out, RegCompiler *c, AstNode *n, bool condition);

static void
mutate_condition(GPtrArray *out, RegCompiler *c, AstNode *n)
{
  if (!n || n->kind == AST_BOOL)
    return;
  if (n->kind == AST_BINARY && (n->op == OP_AND || n->op == OP_OR)) {
    mutate_condition(out, c, n->kids[0]);
    mutate_condition(out, c, n->kids[1]);
    return;
  }
  if (n->kind == AST_UNARY && n->op == OP_NOT) {
    mutate_condition(out, c, n->kids[0]);
    return;
  }
  char *text = slice(c, n->file, n->span.start, n->span.end);
  add(out, c, n->file, n->span.start, n->span.end, g_strdup_printf("niet (%s)", text), "negate",
      g_strdup_printf("negate '%s'", text));
  g_free(text);
}

static void
walk(GPtrArray *out, RegCompiler *c, AstNode *n, bool condition)
{
  if (!n)
    return;
  char buf[64];
  switch (n->kind) {
  case AST_INT: {
    for (int d = -1; d <= 1; d += 2) {
      g_snprintf(buf, sizeof buf, "%lld", (long long) (n->num + d));
      if (n->num + d < 0)
        continue;
      add(out, c, n->file, n->span.start, n->span.end, g_strdup(buf), "number",
          g_strdup_printf("%lld -> %s", (long long) n->num, buf));
    }
    break;
  }
  case AST_DEC: {
    for (int d = -1; d <= 1; d += 2) {
      int64_t v = n->num + d * 10000; /* 0.01 */
      if (v < 0)
        continue;
      reg_dec_format(v, buf);
      char old[REG_DEC_FORMAT_MAX + 1];
      reg_dec_format(n->num, old);
      add(out, c, n->file, n->span.start, n->span.end, g_strdup(buf), "number",
          g_strdup_printf("%s -> %s", old, buf));
    }
    break;
  }
  case AST_DATE: {
    for (int d = -1; d <= 1; d += 2) {
      if (!reg_date_valid(n->num + d))
        continue;
      char old[11];
      reg_date_format(n->num, old);
      reg_date_format(n->num + d, buf);
      add(out, c, n->file, n->span.start, n->span.end, g_strdup(buf), "date",
          g_strdup_printf("%s -> %s", old, buf));
    }
    break;
  }
  case AST_NAME:
  case AST_FIELD:
    if (n->sym_kind == SYM_MEMBER) {
      EnumSym *e = g_ptr_array_index(c->enums, n->sym);
      uint32_t nm = e->decl->nkids;
      if (nm > 1) {
        const char *next = e->decl->kids[(n->sym2 + 1) % nm]->str;
        const char *cur = e->decl->kids[n->sym2]->str;
        /* write it qualified so that it means the same member of the same enumeration */
        add(out, c, n->file, n->span.start, n->span.end,
            g_strdup_printf("%s.%s", e->decl->str, next), "member",
            g_strdup_printf("%s -> %s", cur, next));
      }
    }
    break;
  case AST_BINARY: {
    static const struct {
      int op;
      const char *alts[2];
    } flips[] = {
      { OP_LT, { "<=", ">=" } }, { OP_LE, { "<", ">" } }, { OP_GT, { ">=", "<=" } },
      { OP_GE, { ">", "<" } },   { OP_EQ, { "≠", NULL } }, { OP_NE, { "=", NULL } },
    };
    uint32_t s, e;
    for (size_t i = 0; i < G_N_ELEMENTS(flips); i++) {
      if (flips[i].op != n->op || !operator_span(c, n, &s, &e))
        continue;
      char *old = slice(c, n->file, s, e);
      for (int k = 0; k < 2 && flips[i].alts[k]; k++)
        add(out, c, n->file, s, e, g_strdup(flips[i].alts[k]), "compare",
            g_strdup_printf("'%s' -> '%s'", old, flips[i].alts[k]));
      g_free(old);
    }
    if (n->op == OP_AND || n->op == OP_OR) {
      if (!condition) /* conditions in value position: their leaves */
        mutate_condition(out, c, n);
      walk(out, c, n->kids[0], true);
      walk(out, c, n->kids[1], true);
      return;
    }
    break;
  }
  case AST_IF:
    mutate_condition(out, c, n->kids[0]);
    walk(out, c, n->kids[0], true);
    walk(out, c, n->kids[1], false);
    walk(out, c, n->kids[2], false);
    return;
  case AST_COMPR:
    if (n->kids[2])
      mutate_condition(out, c, n->kids[2]);
    for (uint32_t i = 0; i < n->nkids; i++)
      walk(out, c, n->kids[i], i == 2);
    return;
  case AST_RECFIELD:
  case AST_OUTFIELD:
    if (n->kind == AST_OUTFIELD ? n->kids[2] != NULL : n->kids[1] != NULL)
      mutate_condition(out, c, n->kind == AST_OUTFIELD ? n->kids[2] : n->kids[1]);
    break;
  case AST_META:
    if (n->op == AST_META_FROM) {
      /* the date is the last ten bytes of "geldt vanaf YYYY-MM-DD" */
      AstNode d = *n;
      d.kind = AST_DATE;
      d.span.start = n->span.end - REG_DATE_TEXT_LEN;
      d.nkids = 0;
      d.kids = NULL;
      walk(out, c, &d, false);
    }
    return;
  case AST_TYPE_PRIM:
  case AST_TYPE_NAME:
  case AST_TYPE_LIST:
  case AST_MEMBER:
    return;
  default:
    break;
  }
  for (uint32_t i = 0; i < n->nkids; i++)
    walk(out, c, n->kids[i], false);
}

GPtrArray *
reg_compiler_mutations(RegCompiler *c)
{
  GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify) reg_mutation_free);
  if (!c->files)
    return out;
  for (guint i = 0; i < c->files->len; i++) {
    AstNode *file = g_ptr_array_index(c->files, i);
    for (uint32_t k = 0; k < file->nkids; k++) {
      AstNode *d = file->kids[k];
      if (d->kind == AST_CRITERIA || d->kind == AST_ENUM)
        continue;
      if (d->kind == AST_CHECK) {
        mutate_condition(out, c, d->kids[0]);
        walk(out, c, d->kids[0], true);
        walk(out, c, d->kids[1], false);
        continue;
      }
      if (d->kind == AST_RULE && d->kids[2] && d->kids[2]->type == REG_TYPE_BOOL)
        mutate_condition(out, c, d->kids[2]);
      walk(out, c, d, false);
    }
  }
  return out;
}

void
reg_mutation_free(RegMutation *m)
{
  if (!m)
    return;
  g_free(m->replacement);
  g_free(m->description);
  g_free(m);
}

const char *
reg_compiler_get_source(RegCompiler *c, guint file, const char **path, gsize *len)
{
  if (file >= c->sources->len)
    return NULL;
  RegSource *src = g_ptr_array_index(c->sources, file);
  if (path)
    *path = src->path;
  if (len)
    *len = src->len;
  return src->text;
}
