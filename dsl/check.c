/* check.c: the type checker: resolves every name in expressions and gives every node its type. */
#include <string.h>

#include "compiler-private.h"
#include "i18n.h"

uint32_t comp_resolve_type(RegCompiler *c, AstNode *t);

#define NONE REG_NONE

static uint32_t check_expr(RegCompiler *c, AstNode *n, uint32_t expected);

/* Rules may call each other this deep (the VM allows a few frames more). */
#define MAX_RULE_DEPTH 200

static void
note_callee(RegCompiler *c, RuleGroup *callee)
{
  RuleGroup *g = c->current_rule;
  if (!g)
    return;
  if (!g->callees)
    g->callees = g_ptr_array_new();
  for (guint i = 0; i < g->callees->len; i++)
    if (g_ptr_array_index(g->callees, i) == callee)
      return;
  g_ptr_array_add(g->callees, callee);
}
static gboolean check_group(RegCompiler *c, RuleGroup *g, AstNode *use);

/* Builtin functions callable like rules. */
typedef struct {
  const char *nl, *en;
  RegBuiltin bi;
  uint32_t n, ret, arg[3];
} BuiltinSig;

static const BuiltinSig builtins[] = {
  { "perioden", "periods", REG_BI_PERIODS, 3, REG_TYPE_INT,
    { REG_TYPE_DATE, REG_TYPE_DATE, REG_TYPE_DUR } },
  { "afgerond", "round", REG_BI_ROUND, 2, REG_TYPE_DEC, { REG_TYPE_DEC, REG_TYPE_INT, 0 } },
  { "absoluut", "abs", REG_BI_ABS, 1, REG_TYPE_DEC, { REG_TYPE_DEC, 0, 0 } },
  { "lengte", "length", REG_BI_TEXTLEN, 1, REG_TYPE_INT, { REG_TYPE_TEXT, 0, 0 } },
};

static const BuiltinSig *
find_builtin(const char *name)
{
  for (size_t i = 0; i < G_N_ELEMENTS(builtins); i++)
    if (strcmp(name, builtins[i].nl) == 0 || strcmp(name, builtins[i].en) == 0)
      return &builtins[i];
  return NULL;
}

uint32_t
comp_builtin_arg_type(uint32_t bi, uint32_t i)
{
  for (size_t k = 0; k < G_N_ELEMENTS(builtins); k++)
    if ((uint32_t) builtins[k].bi == bi)
      return i < 3 ? builtins[k].arg[i] : REG_NONE;
  return REG_NONE;
}

static bool
is_numeric(RegCompiler *c, uint32_t t)
{
  return t != NONE && (comp_kind(c, t) == REG_TK_INT || comp_kind(c, t) == REG_TK_DEC);
}

/* The type both int/dec operands are computed in, or NONE. */
static uint32_t
unify(RegCompiler *c, uint32_t a, uint32_t b)
{
  if (a == NONE || b == NONE)
    return NONE;
  if (a == b)
    return a;
  if (is_numeric(c, a) && is_numeric(c, b))
    return REG_TYPE_DEC;
  return NONE;
}

static bool
assignable(uint32_t from, uint32_t to)
{
  return from == to || (from == REG_TYPE_INT && to == REG_TYPE_DEC);
}

/* @what: an untranslated description (N_) or one translated already. */
static void
type_error(RegCompiler *c, AstNode *at, const char *what, uint32_t got, uint32_t want)
{
  char *g = comp_type_name(c, got), *w = comp_type_name(c, want);
  comp_error(c, REG_E_TYPE, at, _("%s is %s, but %s is needed here"), _(what), g, w);
  g_free(g);
  g_free(w);
}

static const Local *
find_local(RegCompiler *c, const char *name)
{
  for (guint i = c->scope->len; i-- > 0;) {
    const Local *l = &g_array_index(c->scope, Local, i);
    if (strcmp(l->name, name) == 0)
      return l;
  }
  return NULL;
}

static uint32_t
bind_local(RegCompiler *c, const char *name, uint32_t type)
{
  Local l = { name, type, c->next_binding++ };
  g_array_append_val(c->scope, l);
  return l.id;
}

/* Names visible at a point, for suggestions. */
static GPtrArray *
visible_names(RegCompiler *c, bool with_members)
{
  GPtrArray *a = g_ptr_array_new();
  for (guint i = 0; i < c->scope->len; i++)
    g_ptr_array_add(a, (gpointer) g_array_index(c->scope, Local, i).name);
  GHashTableIter it;
  gpointer k, v;
  g_hash_table_iter_init(&it, c->globals);
  while (g_hash_table_iter_next(&it, &k, &v))
    g_ptr_array_add(a, k);
  if (with_members) {
    g_hash_table_iter_init(&it, c->member_owner);
    while (g_hash_table_iter_next(&it, &k, &v))
      g_ptr_array_add(a, k);
  }
  return a;
}

static void
unknown_name(RegCompiler *c, AstNode *n, const char *name, GPtrArray *cands)
{
  const char *s = comp_suggest(name, cands);
  if (s)
    comp_error(c, REG_E_UNKNOWN_NAME, n, _("unknown name '%s'; did you mean '%s'?"), name, s);
  else
    comp_error(c, REG_E_UNKNOWN_NAME, n, _("unknown name '%s'"), name);
}

/* A bare name that can only be an enumeration member (its type comes from context). */
static bool
member_candidate(RegCompiler *c, const AstNode *n)
{
  return n->kind == AST_NAME && !find_local(c, n->str) && !g_hash_table_contains(c->globals, n->str) &&
         g_hash_table_contains(c->member_owner, n->str);
}

static bool
list_of_candidates(RegCompiler *c, const AstNode *n)
{
  if (n->kind != AST_LIST || n->nkids == 0)
    return false;
  for (uint32_t i = 0; i < n->nkids; i++)
    if (!member_candidate(c, n->kids[i]))
      return false;
  return true;
}

static RecordSym *
record_by_index(RegCompiler *c, uint32_t index)
{
  for (guint i = 0; i < c->records->len; i++) {
    RecordSym *r = g_ptr_array_index(c->records, i);
    if (r->index == index)
      return r;
  }
  return NULL;
}

static uint32_t
resolve_member(RegCompiler *c, AstNode *n, EnumSym *e)
{
  gpointer m = g_hash_table_lookup(e->members, n->str);
  if (!m)
    return NONE;
  n->sym_kind = SYM_MEMBER;
  n->sym = e->index;
  n->sym2 = GPOINTER_TO_UINT(m) - 1;
  return n->type = e->type;
}

static uint32_t
check_name(RegCompiler *c, AstNode *n, uint32_t expected)
{
  const Local *l = find_local(c, n->str);
  if (l) {
    n->sym_kind = SYM_LOCAL;
    n->sym = l->id;
    return n->type = l->type;
  }
  if (expected != NONE && comp_kind(c, expected) == REG_TK_ENUM) {
    EnumSym *e = g_ptr_array_index(c->enums, comp_arg(c, expected));
    if (resolve_member(c, n, e) != NONE)
      return n->type;
  }
  GlobalSym *g = g_hash_table_lookup(c->globals, n->str);
  if (g) {
    switch (g->kind) {
    case GSYM_RULE: {
      RuleGroup *rg = g_ptr_array_index(c->rules, g->index);
      if (!check_group(c, rg, n))
        return NONE;
      if (rg->nparams > 0) {
        comp_error(c, REG_E_NOT_CALLABLE, n,
                   reg_ngettext("'%s' takes %u argument: write %s(...)",
                                "'%s' takes %u arguments: write %s(...)", rg->nparams),
                   n->str, rg->nparams, n->str);
        return NONE;
      }
      n->sym_kind = SYM_RULE;
      n->sym = g->index;
      note_callee(c, rg);
      return n->type = rg->ret_type;
    }
    case GSYM_INPUT_FIELD: {
      FieldSym *f = g_ptr_array_index(c->input->fields, g->index);
      n->sym_kind = SYM_INPUT;
      n->sym = g->index;
      return n->type = f->type;
    }
    case GSYM_ENUM: {
      EnumSym *e = g_ptr_array_index(c->enums, g->index);
      n->sym_kind = SYM_ENUM_TYPE;
      n->sym = e->index;
      return n->type = comp_list_of(c, e->type);
    }
    default:
      comp_error(c, REG_E_TYPE, n, _("'%s' is a type, not a value"), n->str);
      return NONE;
    }
  }
  GPtrArray *owners = g_hash_table_lookup(c->member_owner, n->str);
  if (owners) {
    if (owners->len == 1)
      return resolve_member(c, n, g_ptr_array_index(owners, 0));
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < owners->len; i++)
      g_string_append_printf(s, "%s%s.%s", i ? ", " : "",
                             ((EnumSym *) g_ptr_array_index(owners, i))->decl->str, n->str);
    comp_error(c, REG_E_AMBIGUOUS, n,
               _("'%s' is a member of several enumerations; write one of %s"), n->str, s->str);
    g_string_free(s, TRUE);
    return NONE;
  }
  GPtrArray *cands = visible_names(c, true);
  unknown_name(c, n, n->str, cands);
  g_ptr_array_unref(cands);
  return NONE;
}

static uint32_t
check_field(RegCompiler *c, AstNode *n)
{
  AstNode *base = n->kids[0];
  /* Enumeration.member */
  if (base->kind == AST_NAME && !find_local(c, base->str)) {
    GlobalSym *g = g_hash_table_lookup(c->globals, base->str);
    if (g && g->kind == GSYM_ENUM) {
      EnumSym *e = g_ptr_array_index(c->enums, g->index);
      if (resolve_member(c, n, e) != NONE)
        return n->type;
      GPtrArray *cands = g_ptr_array_new();
      GHashTableIter it;
      gpointer k, v;
      g_hash_table_iter_init(&it, e->members);
      while (g_hash_table_iter_next(&it, &k, &v))
        g_ptr_array_add(cands, k);
      const char *s = comp_suggest(n->str, cands);
      if (s)
        comp_error(c, REG_E_UNKNOWN_MEMBER, n, _("'%s' has no member '%s'; did you mean '%s'?"),
                   base->str, n->str, s);
      else
        comp_error(c, REG_E_UNKNOWN_MEMBER, n, _("'%s' has no member '%s'"), base->str, n->str);
      g_ptr_array_unref(cands);
      return NONE;
    }
  }
  uint32_t bt = check_expr(c, base, NONE);
  if (bt == NONE)
    return NONE;
  if (comp_kind(c, bt) != REG_TK_RECORD) {
    char *tn = comp_type_name(c, bt);
    comp_error(c, REG_E_TYPE, n, _("'.%s' needs a record, but this is %s"), n->str, tn);
    g_free(tn);
    return NONE;
  }
  RecordSym *r = record_by_index(c, comp_arg(c, bt));
  gpointer idx = g_hash_table_lookup(r->by_name, n->str);
  if (!idx) {
    GPtrArray *cands = g_ptr_array_new();
    for (guint i = 0; i < r->fields->len; i++)
      g_ptr_array_add(cands, ((FieldSym *) g_ptr_array_index(r->fields, i))->name);
    const char *s = comp_suggest(n->str, cands);
    if (s)
      comp_error(c, REG_E_UNKNOWN_FIELD, n, _("'%s' has no field '%s'; did you mean '%s'?"),
                 r->name, n->str, s);
    else
      comp_error(c, REG_E_UNKNOWN_FIELD, n, _("'%s' has no field '%s'"), r->name, n->str);
    g_ptr_array_unref(cands);
    return NONE;
  }
  FieldSym *f = g_ptr_array_index(r->fields, GPOINTER_TO_UINT(idx) - 1);
  if (f->flags & REG_FIELD_OPTIONAL) {
    comp_error(c, REG_E_OPTIONAL_READ, n,
               _("'%s' may be absent from '%s', so rules cannot read it; compute it with a rule"),
               n->str, r->name);
    return NONE;
  }
  n->sym = GPOINTER_TO_UINT(idx) - 1;
  return n->type = f->type;
}

static uint32_t
check_call(RegCompiler *c, AstNode *n)
{
  GlobalSym *g = g_hash_table_lookup(c->globals, n->str);
  if (g && g->kind == GSYM_RULE && !find_local(c, n->str)) {
    RuleGroup *rg = g_ptr_array_index(c->rules, g->index);
    if (!check_group(c, rg, n))
      return NONE;
    if (n->nkids != rg->nparams) {
      comp_error(c, REG_E_ARGS, n,
                 reg_ngettext("'%s' takes %u argument, not %u", "'%s' takes %u arguments, not %u",
                              rg->nparams),
                 n->str, rg->nparams, n->nkids);
      return NONE;
    }
    bool ok = true;
    for (uint32_t i = 0; i < n->nkids; i++) {
      uint32_t t = check_expr(c, n->kids[i], rg->param_types[i]);
      if (t == NONE)
        ok = false;
      else if (!assignable(t, rg->param_types[i])) {
        char what[64];
        g_snprintf(what, sizeof what, _("argument %u of '%s'"), i + 1, n->str);
        type_error(c, n->kids[i], what, t, rg->param_types[i]);
        ok = false;
      }
    }
    if (!ok)
      return NONE;
    n->sym_kind = SYM_RULE;
    n->sym = g->index;
    note_callee(c, rg);
    return n->type = rg->ret_type;
  }
  const BuiltinSig *bi = find_builtin(n->str);
  if (bi) {
    if (n->nkids != bi->n) {
      comp_error(c, REG_E_ARGS, n,
                 reg_ngettext("'%s' takes %u argument, not %u", "'%s' takes %u arguments, not %u",
                              bi->n),
                 n->str, bi->n, n->nkids);
      return NONE;
    }
    bool ok = true;
    for (uint32_t i = 0; i < n->nkids; i++) {
      uint32_t t = check_expr(c, n->kids[i], bi->arg[i]);
      if (t != NONE && !assignable(t, bi->arg[i])) {
        char what[64];
        g_snprintf(what, sizeof what, _("argument %u of '%s'"), i + 1, n->str);
        type_error(c, n->kids[i], what, t, bi->arg[i]);
        ok = false;
      } else if (t == NONE)
        ok = false;
    }
    if (!ok)
      return NONE;
    n->sym_kind = SYM_NONE;
    n->sym = (uint32_t) bi->bi;
    n->op = 1; /* builtin */
    return n->type = bi->ret;
  }
  GPtrArray *cands = g_ptr_array_new();
  for (guint i = 0; i < c->rules->len; i++)
    g_ptr_array_add(cands, ((RuleGroup *) g_ptr_array_index(c->rules, i))->name);
  for (size_t i = 0; i < G_N_ELEMENTS(builtins); i++) {
    g_ptr_array_add(cands, (gpointer) builtins[i].nl);
    g_ptr_array_add(cands, (gpointer) builtins[i].en);
  }
  if (find_local(c, n->str) || (g && g->kind != GSYM_RULE))
    comp_error(c, REG_E_NOT_CALLABLE, n, _("'%s' is not a rule that takes arguments"), n->str);
  else
    unknown_name(c, n, n->str, cands);
  g_ptr_array_unref(cands);
  return NONE;
}

static uint32_t
check_compare(RegCompiler *c, AstNode *n)
{
  AstNode *l = n->kids[0], *r = n->kids[1];
  uint32_t lt, rt;
  if (member_candidate(c, l) && !member_candidate(c, r)) {
    rt = check_expr(c, r, NONE);
    lt = check_expr(c, l, rt);
  } else {
    lt = check_expr(c, l, NONE);
    rt = check_expr(c, r, lt);
  }
  if (lt == NONE || rt == NONE)
    return NONE;
  uint32_t u = unify(c, lt, rt);
  if (u == NONE) {
    char *a = comp_type_name(c, lt), *b = comp_type_name(c, rt);
    comp_error(c, REG_E_TYPE, n, _("cannot compare %s with %s"), a, b);
    g_free(a);
    g_free(b);
    return NONE;
  }
  RegTypeKind k = comp_kind(c, u);
  bool eq = n->op == OP_EQ || n->op == OP_NE;
  bool ok = eq ? (k != REG_TK_LIST && k != REG_TK_RECORD)
               : (k == REG_TK_INT || k == REG_TK_DEC || k == REG_TK_DATE || k == REG_TK_TEXT);
  if (!ok) {
    char *a = comp_type_name(c, u);
    if (eq)
      comp_error(c, REG_E_TYPE, n, _("values of type %s cannot be compared for equality"), a);
    else
      comp_error(c, REG_E_TYPE, n, _("values of type %s cannot be compared for order"), a);
    g_free(a);
    return NONE;
  }
  n->sym = u; /* the type the comparison is made in */
  return n->type = REG_TYPE_BOOL;
}

static uint32_t
check_in(RegCompiler *c, AstNode *n)
{
  AstNode *l = n->kids[0], *r = n->kids[1];
  uint32_t lt, rt;
  if (member_candidate(c, l) && !list_of_candidates(c, r)) {
    rt = check_expr(c, r, NONE);
    lt = (rt != NONE && comp_kind(c, rt) == REG_TK_LIST) ? check_expr(c, l, comp_arg(c, rt))
                                                         : check_expr(c, l, NONE);
  } else {
    lt = check_expr(c, l, NONE);
    rt = check_expr(c, r, lt == NONE ? NONE : comp_list_of(c, lt));
  }
  if (lt == NONE || rt == NONE)
    return NONE;
  if (comp_kind(c, rt) != REG_TK_LIST) {
    char *a = comp_type_name(c, rt);
    comp_error(c, REG_E_TYPE, r, _("'in' needs a list on its right, not %s"), a);
    g_free(a);
    return NONE;
  }
  uint32_t et = comp_arg(c, rt);
  RegTypeKind k = comp_kind(c, et);
  if (!assignable(lt, et) || k == REG_TK_LIST || k == REG_TK_RECORD) {
    char *a = comp_type_name(c, lt), *b = comp_type_name(c, rt);
    comp_error(c, REG_E_TYPE, n, _("cannot look for %s in %s"), a, b);
    g_free(a);
    g_free(b);
    return NONE;
  }
  return n->type = REG_TYPE_BOOL;
}

static uint32_t
check_arith(RegCompiler *c, AstNode *n)
{
  uint32_t lt, rt;
  if (n->kids[0]->kind == AST_LIST && n->kids[0]->nkids == 0) {
    /* [] + list: the empty list takes the other side's type */
    rt = check_expr(c, n->kids[1], NONE);
    lt = check_expr(c, n->kids[0], rt);
  } else {
    lt = check_expr(c, n->kids[0], NONE);
    rt = check_expr(c, n->kids[1], lt != NONE && comp_kind(c, lt) == REG_TK_LIST ? lt : NONE);
  }
  if (lt == NONE || rt == NONE)
    return NONE;
  RegTypeKind lk = comp_kind(c, lt), rk = comp_kind(c, rt);
  switch (n->op) {
  case OP_ADD:
    if (is_numeric(c, lt) && is_numeric(c, rt))
      return n->type = unify(c, lt, rt);
    if (lk == REG_TK_DATE && rk == REG_TK_DUR)
      return n->type = REG_TYPE_DATE;
    if (lk == REG_TK_DUR && rk == REG_TK_DUR)
      return n->type = REG_TYPE_DUR;
    if (lk == REG_TK_LIST && lt == rt)
      return n->type = lt;
    break;
  case OP_SUB:
    if (is_numeric(c, lt) && is_numeric(c, rt))
      return n->type = unify(c, lt, rt);
    if (lk == REG_TK_DATE && rk == REG_TK_DUR)
      return n->type = REG_TYPE_DATE;
    if (lk == REG_TK_DATE && rk == REG_TK_DATE)
      return n->type = REG_TYPE_INT;
    if (lk == REG_TK_DUR && rk == REG_TK_DUR)
      return n->type = REG_TYPE_DUR;
    break;
  case OP_MUL:
    if (is_numeric(c, lt) && is_numeric(c, rt))
      return n->type = unify(c, lt, rt);
    if ((lk == REG_TK_DUR && rk == REG_TK_INT) || (lk == REG_TK_INT && rk == REG_TK_DUR))
      return n->type = REG_TYPE_DUR;
    break;
  case OP_DIV:
    if (is_numeric(c, lt) && is_numeric(c, rt))
      return n->type = REG_TYPE_DEC;
    break;
  default:
    break;
  }
  static const char *const opname[] = { "", "+", "-", "*", "/" };
  char *a = comp_type_name(c, lt), *b = comp_type_name(c, rt);
  comp_error(c, REG_E_TYPE, n, _("cannot compute %s %s %s"), a, opname[n->op], b);
  g_free(a);
  g_free(b);
  return NONE;
}

static uint32_t
check_bool(RegCompiler *c, AstNode *n, const char *what)
{
  uint32_t t = check_expr(c, n, REG_TYPE_BOOL);
  if (t != NONE && t != REG_TYPE_BOOL) {
    type_error(c, n, what, t, REG_TYPE_BOOL);
    return NONE;
  }
  return t;
}

static uint32_t
check_reclit(RegCompiler *c, AstNode *n, uint32_t expected)
{
  uint32_t rt = NONE;
  if (n->str) {
    GlobalSym *g = g_hash_table_lookup(c->globals, n->str);
    if (!g || (g->kind != GSYM_RECORD && g->kind != GSYM_OUTPUT)) {
      comp_error(c, REG_E_UNKNOWN_TYPE, n, _("'%s' is not a record type"), n->str);
      return NONE;
    }
    rt = record_by_index(c, g->index)->type;
  } else if (expected != NONE && comp_kind(c, expected) == REG_TK_RECORD) {
    rt = expected;
  } else {
    comp_error(c, REG_E_RECORD_LITERAL, n,
               _("which record is this? write its type before the brace: Naam{...}"));
    return NONE;
  }
  RecordSym *r = record_by_index(c, comp_arg(c, rt));
  bool ok = true;
  guint8 *given = g_new0(guint8, r->fields->len + 1);
  for (uint32_t i = 0; i < n->nkids; i++) {
    AstNode *rf = n->kids[i];
    gpointer idx = g_hash_table_lookup(r->by_name, rf->str);
    if (!idx) {
      GPtrArray *cands = g_ptr_array_new();
      for (guint k = 0; k < r->fields->len; k++)
        g_ptr_array_add(cands, ((FieldSym *) g_ptr_array_index(r->fields, k))->name);
      const char *s = comp_suggest(rf->str, cands);
      if (s)
        comp_error(c, REG_E_UNKNOWN_FIELD, rf, _("'%s' has no field '%s'; did you mean '%s'?"),
                   r->name, rf->str, s);
      else
        comp_error(c, REG_E_UNKNOWN_FIELD, rf, _("'%s' has no field '%s'"), r->name, rf->str);
      g_ptr_array_unref(cands);
      ok = false;
      continue;
    }
    uint32_t fi = GPOINTER_TO_UINT(idx) - 1;
    FieldSym *f = g_ptr_array_index(r->fields, fi);
    rf->sym = fi;
    if (given[fi]) {
      comp_error(c, REG_E_RECORD_LITERAL, rf, _("field '%s' given twice"), rf->str);
      ok = false;
    }
    given[fi] = 1;
    uint32_t t = check_expr(c, rf->kids[0], f->type);
    if (t != NONE && f->type != NONE && !assignable(t, f->type)) {
      char what[128];
      g_snprintf(what, sizeof what, _("field '%s'"), rf->str);
      type_error(c, rf->kids[0], what, t, f->type);
      ok = false;
    }
    if (rf->kids[1]) {
      if (!(f->flags & REG_FIELD_OPTIONAL)) {
        comp_error(c, REG_E_RECORD_LITERAL, rf->kids[1],
                   _("field '%s' is always present; only 'optioneel' fields can have 'als'"),
                   rf->str);
        ok = false;
      }
      if (check_bool(c, rf->kids[1], N_("the condition")) == NONE)
        ok = false;
    }
  }
  GString *missing = g_string_new(NULL);
  for (guint k = 0; k < r->fields->len; k++) {
    FieldSym *f = g_ptr_array_index(r->fields, k);
    if (!given[k] && !(f->flags & REG_FIELD_OPTIONAL))
      g_string_append_printf(missing, "%s'%s'", missing->len ? ", " : "", f->name);
  }
  if (missing->len) {
    comp_error(c, REG_E_RECORD_LITERAL, n, _("'%s' needs a value for %s"), r->name, missing->str);
    ok = false;
  }
  g_string_free(missing, TRUE);
  g_free(given);
  return ok ? (n->type = rt) : NONE;
}

static uint32_t
check_list(RegCompiler *c, AstNode *n, uint32_t expected)
{
  uint32_t et = NONE;
  if (expected != NONE && comp_kind(c, expected) == REG_TK_LIST)
    et = comp_arg(c, expected);
  if (n->nkids == 0) {
    if (et == NONE) {
      comp_error(c, REG_E_TYPE, n,
                 _("the type of this empty list is unknown; use it where a list type is expected"));
      return NONE;
    }
    return n->type = expected;
  }
  bool ok = true;
  if (et == NONE) {
    /* the first element that is not a bare member gives the type */
    for (uint32_t i = 0; i < n->nkids && et == NONE; i++)
      if (!member_candidate(c, n->kids[i]))
        et = check_expr(c, n->kids[i], NONE);
    if (et == NONE) {
      et = check_expr(c, n->kids[0], NONE);
      if (et == NONE)
        return NONE;
    }
  }
  for (uint32_t i = 0; i < n->nkids; i++) {
    uint32_t t = n->kids[i]->type != NONE ? n->kids[i]->type : check_expr(c, n->kids[i], et);
    if (t == NONE) {
      ok = false;
      continue;
    }
    uint32_t u = unify(c, t, et);
    if (u == NONE) {
      type_error(c, n->kids[i], N_("this element"), t, et);
      ok = false;
    } else {
      et = u;
    }
  }
  return ok ? (n->type = comp_list_of(c, et)) : NONE;
}

static uint32_t
check_compr(RegCompiler *c, AstNode *n, uint32_t expected)
{
  AstNode *body = n->kids[0], *src = n->kids[1], *filter = n->kids[2], *dflt = n->kids[3];
  uint32_t st = check_expr(c, src, NONE);
  if (st == NONE)
    return NONE;
  if (comp_kind(c, st) != REG_TK_LIST) {
    char *a = comp_type_name(c, st);
    comp_error(c, REG_E_TYPE, src, _("'%s in ...' needs a list or a keuzelijst, not %s"), n->str,
               a);
    g_free(a);
    return NONE;
  }
  guint mark = c->scope->len;
  n->sym = bind_local(c, n->str, comp_arg(c, st));
  bool ok = true;
  if (filter && check_bool(c, filter, N_("the 'waarvoor' condition")) == NONE)
    ok = false;
  uint32_t bt = NONE, result = NONE;
  switch ((AstCompr) n->op) {
  case AST_COMPR_LIST: {
    uint32_t et = expected != NONE && comp_kind(c, expected) == REG_TK_LIST ? comp_arg(c, expected) : NONE;
    bt = check_expr(c, body, et);
    if (bt != NONE)
      result = comp_list_of(c, et != NONE && assignable(bt, et) ? et : bt);
    break;
  }
  case AST_COMPR_SUM:
    bt = check_expr(c, body, expected);
    if (bt != NONE && !is_numeric(c, bt)) {
      type_error(c, body, N_("what 'som' adds up"), bt, REG_TYPE_DEC);
      bt = NONE;
    }
    result = bt;
    break;
  case AST_COMPR_COUNT:
    result = REG_TYPE_INT;
    bt = REG_TYPE_INT;
    break;
  case AST_COMPR_MIN:
  case AST_COMPR_MAX:
  case AST_COMPR_FIRST: {
    bt = check_expr(c, body, expected);
    if (bt == NONE)
      break;
    if (n->op != AST_COMPR_FIRST && !is_numeric(c, bt) && bt != REG_TYPE_DATE) {
      type_error(c, body, N_("what 'minimum'/'maximum' compares"), bt, REG_TYPE_DEC);
      bt = NONE;
      break;
    }
    result = bt;
    break;
  }
  case AST_COMPR_ALL:
  case AST_COMPR_ANY:
    bt = check_bool(c, body, N_("the condition"));
    result = REG_TYPE_BOOL;
    break;
  }
  g_array_set_size(c->scope, mark);
  if (dflt) {
    /* the default is outside the variable's scope */
    uint32_t dt = check_expr(c, dflt, result != NONE ? result : expected);
    if (dt == NONE || result == NONE) {
      ok = false;
    } else {
      uint32_t u = unify(c, dt, result);
      if (u == NONE) {
        type_error(c, dflt, N_("the 'anders' value"), dt, result);
        ok = false;
      } else {
        result = u;
      }
    }
  }
  if (!ok || bt == NONE || result == NONE)
    return NONE;
  return n->type = result;
}

static uint32_t
check_expr(RegCompiler *c, AstNode *n, uint32_t expected)
{
  switch (n->kind) {
  case AST_INT:
    return n->type = REG_TYPE_INT;
  case AST_DEC:
    return n->type = REG_TYPE_DEC;
  case AST_TEXT:
    return n->type = REG_TYPE_TEXT;
  case AST_DATE:
  case AST_ASOF:
    return n->type = REG_TYPE_DATE;
  case AST_BOOL:
    return n->type = REG_TYPE_BOOL;
  case AST_NAME:
    return check_name(c, n, expected);
  case AST_FIELD:
    return check_field(c, n);
  case AST_CALL:
    return check_call(c, n);
  case AST_AT: {
    AstNode *what = n->kids[0];
    uint32_t dt = check_expr(c, n->kids[1], REG_TYPE_DATE);
    if (what->kind != AST_NAME && what->kind != AST_CALL) {
      comp_error(c, REG_E_NOT_AT, what, _("'op' chooses the version of a rule or parameter in "
                                        "effect on a date; put a rule's name before it"));
      return NONE;
    }
    uint32_t t = check_expr(c, what, expected);
    if (t == NONE || dt == NONE)
      return NONE;
    if (what->sym_kind != SYM_RULE) {
      comp_error(c, REG_E_NOT_AT, what, _("'%s' is not a rule or parameter, so it has no versions"),
                 what->str);
      return NONE;
    }
    if (dt != REG_TYPE_DATE) {
      type_error(c, n->kids[1], N_("what follows 'op'"), dt, REG_TYPE_DATE);
      return NONE;
    }
    return n->type = t;
  }
  case AST_UNARY: {
    if (n->op == OP_NOT)
      return check_bool(c, n->kids[0], N_("what 'niet' negates")) == NONE ? NONE
                                                                       : (n->type = REG_TYPE_BOOL);
    uint32_t t = check_expr(c, n->kids[0], expected);
    if (t == NONE)
      return NONE;
    if (!is_numeric(c, t) && t != REG_TYPE_DUR) {
      type_error(c, n->kids[0], N_("what '-' negates"), t, REG_TYPE_DEC);
      return NONE;
    }
    return n->type = t;
  }
  case AST_BINARY:
    switch ((AstOp) n->op) {
    case OP_AND:
    case OP_OR: {
      uint32_t a = check_bool(c, n->kids[0], N_("this side of 'en'/'of'"));
      uint32_t b = check_bool(c, n->kids[1], N_("this side of 'en'/'of'"));
      return a == NONE || b == NONE ? NONE : (n->type = REG_TYPE_BOOL);
    }
    case OP_EQ:
    case OP_NE:
    case OP_LT:
    case OP_LE:
    case OP_GT:
    case OP_GE:
      return check_compare(c, n);
    case OP_IN:
    case OP_NOTIN:
      return check_in(c, n);
    default:
      return check_arith(c, n);
    }
  case AST_IS: {
    uint32_t t = check_expr(c, n->kids[0], NONE);
    if (t == NONE)
      return NONE;
    if (n->op == AST_IS_EMPTY) {
      if (comp_kind(c, t) != REG_TK_LIST) {
        char *a = comp_type_name(c, t);
        comp_error(c, REG_E_TYPE, n, _("'is leeg' needs a list, not %s"), a);
        g_free(a);
        return NONE;
      }
    } else {
      if (comp_kind(c, t) != REG_TK_ENUM ||
          !((EnumSym *) g_ptr_array_index(c->enums, comp_arg(c, t)))->decl->flag) {
        char *a = comp_type_name(c, t);
        comp_error(c, REG_E_TYPE, n,
                   _("'is onbekend' needs a value of an 'open keuzelijst', not %s"), a);
        g_free(a);
        return NONE;
      }
    }
    return n->type = REG_TYPE_BOOL;
  }
  case AST_UNIT: {
    uint32_t t = check_expr(c, n->kids[0], REG_TYPE_INT);
    if (t == NONE)
      return NONE;
    if (t != REG_TYPE_INT) {
      type_error(c, n->kids[0], N_("a number of days, months or years"), t, REG_TYPE_INT);
      return NONE;
    }
    return n->type = REG_TYPE_DUR;
  }
  case AST_IF: {
    uint32_t ct = check_bool(c, n->kids[0], N_("the condition of 'als'"));
    uint32_t a, b;
    if (expected == NONE && n->kids[1]->kind == AST_LIST && n->kids[1]->nkids == 0) {
      b = check_expr(c, n->kids[2], expected);
      a = check_expr(c, n->kids[1], b);
    } else {
      a = check_expr(c, n->kids[1], expected);
      b = check_expr(c, n->kids[2], a != NONE ? a : expected);
    }
    if (ct == NONE || a == NONE || b == NONE)
      return NONE;
    uint32_t u = unify(c, a, b);
    if (u == NONE) {
      char *x = comp_type_name(c, a), *y = comp_type_name(c, b);
      comp_error(c, REG_E_TYPE, n, _("'dan' gives %s but 'anders' gives %s"), x, y);
      g_free(x);
      g_free(y);
      return NONE;
    }
    return n->type = u;
  }
  case AST_LIST:
    return check_list(c, n, expected);
  case AST_RECLIT:
    return check_reclit(c, n, expected);
  case AST_COMPR:
    return check_compr(c, n, expected);
  case AST_MINMAX2: {
    uint32_t a = check_expr(c, n->kids[0], expected);
    uint32_t b = check_expr(c, n->kids[1], a != NONE ? a : expected);
    if (a == NONE || b == NONE)
      return NONE;
    uint32_t u = unify(c, a, b);
    if (u == NONE || (!is_numeric(c, u) && u != REG_TYPE_DATE)) {
      char *x = comp_type_name(c, a), *y = comp_type_name(c, b);
      comp_error(c, REG_E_TYPE, n, _("cannot take the %s of %s and %s"),
                 n->op == '<' ? "minimum" : "maximum", x, y);
      g_free(x);
      g_free(y);
      return NONE;
    }
    return n->type = u;
  }
  default:
    comp_error(c, REG_E_SYNTAX, n, _("unexpected %s here"), ast_kind_name(n->kind));
    return NONE;
  }
}

/* ---- rules ---------------------------------------------------------------- */

static gboolean
check_group(RegCompiler *c, RuleGroup *g, AstNode *use)
{
  if (g->state == 2)
    return g->ok;
  if (g->state == 1) {
    if (use)
      comp_error(c, REG_E_CYCLE, use, _("'%s' depends on itself (rules may not be recursive)"),
                 g->name);
    return FALSE;
  }
  if (c->check_depth >= 1000) {
    comp_error(c, REG_E_LIMIT, use, _("rules depend on each other more than 1000 levels deep"));
    return FALSE;
  }
  c->check_depth++;
  g->state = 1;
  g->ok = TRUE;

  /* a fresh scope: a rule sees its parameters only */
  GArray *saved_scope = c->scope;
  uint32_t saved_next = c->next_binding;
  RuleGroup *saved_rule = c->current_rule;
  c->scope = g_array_new(FALSE, FALSE, sizeof(Local));
  c->current_rule = g;

  for (guint vi = 0; vi < g->versions->len; vi++) {
    AstNode *v = g_ptr_array_index(g->versions, vi);
    AstNode *params = v->kids[0], *rtype = v->kids[1], *body = v->kids[2];
    g_array_set_size(c->scope, 0);
    c->next_binding = 0;
    uint32_t np = params->nkids;
    uint32_t *pt = g_new0(uint32_t, np + 1);
    for (uint32_t i = 0; i < np; i++) {
      pt[i] = comp_resolve_type(c, params->kids[i]->kids[0]);
      if (pt[i] == NONE)
        g->ok = FALSE;
      for (uint32_t k = 0; k < i; k++)
        if (strcmp(params->kids[k]->str, params->kids[i]->str) == 0) {
          comp_error(c, REG_E_DUPLICATE, params->kids[i], _("parameter '%s' named twice"),
                     params->kids[i]->str);
          g->ok = FALSE;
        }
      bind_local(c, params->kids[i]->str, pt[i]);
    }
    if (vi == 0) {
      g->nparams = np;
      g->param_types = pt;
    } else {
      bool same = np == g->nparams;
      for (uint32_t i = 0; same && i < np; i++)
        same = pt[i] == g->param_types[i];
      g_free(pt);
      if (!same) {
        comp_error(c, REG_E_VERSIONS, v,
                   _("this version of '%s' takes other parameters than the first one"), g->name);
        g->ok = FALSE;
        continue;
      }
    }
    uint32_t declared = rtype ? comp_resolve_type(c, rtype) : NONE;
    if (rtype && declared == NONE)
      g->ok = FALSE;
    uint32_t bt = check_expr(c, body, declared);
    v->sym2 = c->next_binding; /* bindings in this version, for the code generator */
    if (bt == NONE) {
      g->ok = FALSE;
      continue;
    }
    uint32_t result = bt;
    if (declared != NONE) {
      if (!assignable(bt, declared)) {
        char what[128];
        g_snprintf(what, sizeof what, _("the value of '%s'"), g->name);
        type_error(c, body, what, bt, declared);
        g->ok = FALSE;
        continue;
      }
      result = declared;
    }
    if (vi == 0 || g->ret_type == NONE) {
      g->ret_type = result;
    } else if (g->ret_type != result) {
      uint32_t u = unify(c, g->ret_type, result);
      if (u == NONE) {
        char *x = comp_type_name(c, g->ret_type), *y = comp_type_name(c, result);
        comp_error(c, REG_E_VERSIONS, v, _("this version of '%s' gives %s, an earlier one %s"),
                   g->name, y, x);
        g_free(x);
        g_free(y);
        g->ok = FALSE;
      } else {
        g->ret_type = u;
      }
    }
  }
  if (g->ret_type == NONE)
    g->ok = FALSE;

  g_array_unref(c->scope);
  c->scope = saved_scope;
  c->next_binding = saved_next;
  c->current_rule = saved_rule;
  g->state = 2;
  c->check_depth--;
  g_ptr_array_add(c->rule_order, g);
  return g->ok;
}

/* Key and evaluation-date fields must be reachable from the input through records, not lists. */
static void
check_input_flags(RegCompiler *c)
{
  GHashTable *direct = g_hash_table_new(NULL, NULL);
  GPtrArray *todo = g_ptr_array_new();
  g_ptr_array_add(todo, c->input);
  g_hash_table_add(direct, c->input);
  while (todo->len) {
    RecordSym *r = g_ptr_array_steal_index(todo, todo->len - 1);
    for (guint k = 0; k < r->fields->len; k++) {
      FieldSym *f = g_ptr_array_index(r->fields, k);
      if (f->type != NONE && comp_kind(c, f->type) == REG_TK_RECORD) {
        RecordSym *sub = record_by_index(c, comp_arg(c, f->type));
        if (!g_hash_table_contains(direct, sub)) {
          g_hash_table_add(direct, sub);
          g_ptr_array_add(todo, sub);
        }
      }
    }
  }
  int nkey = 0, nasof = 0;
  for (guint i = 0; i < c->records->len; i++) {
    RecordSym *r = g_ptr_array_index(c->records, i);
    for (guint k = 0; k < r->fields->len; k++) {
      FieldSym *f = g_ptr_array_index(r->fields, k);
      if (!(f->flags & (REG_FIELD_KEY | REG_FIELD_ASOF)))
        continue;
      if (!g_hash_table_contains(direct, r)) {
        comp_error(c, REG_E_FIELD_OPTION, f->decl,
                   _("'sleutel' and 'is peildatum' belong on fields of the input record or of "
                   "records directly inside it (not inside a list)"));
        continue;
      }
      if ((f->flags & REG_FIELD_KEY) && ++nkey > 1)
        comp_error(c, REG_E_FIELD_OPTION, f->decl, _("only one field can be the 'sleutel'"));
      if ((f->flags & REG_FIELD_ASOF) && ++nasof > 1)
        comp_error(c, REG_E_FIELD_OPTION, f->decl, _("only one field can be the 'peildatum'"));
    }
  }
  g_ptr_array_unref(todo);
  g_hash_table_unref(direct);
}

gboolean
reg_check(RegCompiler *c)
{
  guint before = c->nerrors;
  if (c->input)
    check_input_flags(c);
  for (guint i = 0; i < c->rules->len; i++)
    check_group(c, g_ptr_array_index(c->rules, i), NULL);

  /* The longest chain of calls, callees first (rule_order is bottom-up). */
  for (guint i = 0; i < c->rule_order->len; i++) {
    RuleGroup *g = g_ptr_array_index(c->rule_order, i);
    uint32_t d = 0;
    for (guint k = 0; g->callees && k < g->callees->len; k++) {
      RuleGroup *callee = g_ptr_array_index(g->callees, k);
      if (callee->depth > d)
        d = callee->depth;
    }
    g->depth = d + 1;
    if (g->depth == MAX_RULE_DEPTH + 1)
      comp_error(c, REG_E_LIMIT, g_ptr_array_index(g->versions, 0),
                 _("'%s' calls rules more than %d levels deep"), g->name, MAX_RULE_DEPTH);
  }

  for (guint i = 0; i < c->checks->len; i++) {
    AstNode *chk = g_ptr_array_index(c->checks, i);
    g_array_set_size(c->scope, 0);
    c->next_binding = 0;
    check_bool(c, chk->kids[0], N_("a requirement ('eis')"));
    chk->sym2 = c->next_binding;
  }
  for (guint i = 0; i < c->outputs->len; i++) {
    RecordSym *r = g_ptr_array_index(c->outputs, i);
    g_array_set_size(c->scope, 0);
    c->next_binding = 0;
    for (guint k = 0; k < r->fields->len; k++) {
      FieldSym *f = g_ptr_array_index(r->fields, k);
      AstNode *of = f->decl;
      if (f->type == NONE)
        continue;
      uint32_t t = check_expr(c, of->kids[1], f->type);
      if (t != NONE && !assignable(t, f->type)) {
        char what[128];
        g_snprintf(what, sizeof what, _("output field '%s'"), f->name);
        type_error(c, of->kids[1], what, t, f->type);
      }
      if (of->kids[2])
        check_bool(c, of->kids[2], N_("the condition of an output field"));
    }
    r->decl->sym2 = c->next_binding;
  }
  return c->nerrors == before;
}
