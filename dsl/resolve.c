/* resolve.c: the first pass: collects declarations into symbol tables and resolves type names. */
#include <string.h>

#include "compiler-private.h"
#include "i18n.h"
#include "date-private.h"

void
comp_error(RegCompiler *c, RegDiagCode code, const AstNode *at, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  uint32_t start = at ? at->span.start : 0, end = at ? at->span.end : 0;
  reg_compiler_diag(c, code, at ? at->file : 0, start, end > start ? end : start + 1, "%s", msg);
  g_free(msg);
}

/* Levenshtein distance, capped: only close names are worth suggesting. */
static guint
edit_distance(const char *a, const char *b)
{
  size_t la = strlen(a), lb = strlen(b);
  if (la > 64 || lb > 64)
    return 99;
  guint row[65];
  for (size_t j = 0; j <= lb; j++)
    row[j] = (guint) j;
  for (size_t i = 1; i <= la; i++) {
    guint prev = row[0];
    row[0] = (guint) i;
    for (size_t j = 1; j <= lb; j++) {
      guint cur = row[j];
      guint cost = g_ascii_tolower(a[i - 1]) == g_ascii_tolower(b[j - 1]) ? 0 : 1;
      guint best = prev + cost;
      if (row[j] + 1 < best)
        best = row[j] + 1;
      if (row[j - 1] + 1 < best)
        best = row[j - 1] + 1;
      row[j] = best;
      prev = cur;
    }
  }
  return row[lb];
}

const char *
comp_suggest(const char *name, GPtrArray *candidates)
{
  const char *best = NULL;
  guint best_d = 99;
  size_t len = strlen(name);
  guint limit = len <= 3 ? 1 : len <= 6 ? 2 : 3;
  for (guint i = 0; i < candidates->len; i++) {
    const char *cand = g_ptr_array_index(candidates, i);
    guint d = edit_distance(name, cand);
    if (strcmp(cand, name) == 0)
      continue;
    if (d < best_d || (d == best_d && best && strcmp(cand, best) < 0)) {
      best_d = d;
      best = cand;
    }
  }
  return best_d <= limit && best && strcmp(best, name) != 0 ? best : NULL;
}

char *
comp_type_name(RegCompiler *c, uint32_t t)
{
  static const char *const prim[] = { "waarheid", "geheel", "getal", "tekst", "datum", "duur" };
  if (t == REG_NONE || t >= c->b->types->len)
    return g_strdup("?");
  switch (comp_kind(c, t)) {
  case REG_TK_ENUM:
    return g_strdup(((EnumSym *) g_ptr_array_index(c->enums, comp_arg(c, t)))->decl->str);
  case REG_TK_RECORD:
    for (guint i = 0; i < c->records->len; i++) {
      RecordSym *r = g_ptr_array_index(c->records, i);
      if (r->index == comp_arg(c, t))
        return g_strdup(r->name);
    }
    return g_strdup("record");
  case REG_TK_LIST: {
    char *e = comp_type_name(c, comp_arg(c, t));
    char *s = g_strdup_printf("lijst van %s", e);
    g_free(e);
    return s;
  }
  default:
    return g_strdup(prim[comp_kind(c, t)]);
  }
}

static GlobalSym *
add_global(RegCompiler *c, const char *name, GlobalKind kind, uint32_t index, AstNode *decl)
{
  GlobalSym *old = g_hash_table_lookup(c->globals, name);
  if (old) {
    RegSource *src = g_ptr_array_index(c->sources, old->decl->file);
    uint32_t line, col;
    reg_source_position(src, old->decl->span.start, &line, &col);
    comp_error(c, REG_E_DUPLICATE, decl, _("'%s' is already defined at %s:%u:%u"), name, src->path,
               line, col);
    return NULL;
  }
  GlobalSym *g = g_new0(GlobalSym, 1);
  g->kind = kind;
  g->index = index;
  g->decl = decl;
  g_hash_table_insert(c->globals, g_strdup(name), g);
  return g;
}

static void
declare_enum(RegCompiler *c, AstNode *d)
{
  EnumSym *e = g_new0(EnumSym, 1);
  e->decl = d;
  e->index = c->b->enums->len;
  e->members = g_hash_table_new(g_str_hash, g_str_equal);
  if (d->nkids == 0 || d->nkids > 64)
    comp_error(c, REG_E_EMPTY_ENUM, d, _("enumeration '%s' has %u members; it needs 1 to 64"),
               d->str, d->nkids);
  RegEnum re = { reg_builder_string(c->b, d->str), c->b->enum_members->len,
                 d->nkids > 64 ? 64 : d->nkids, d->flag ? 1u : 0u };
  for (uint32_t i = 0; i < d->nkids && i < 64; i++) {
    AstNode *m = d->kids[i];
    if (g_hash_table_contains(e->members, m->str)) {
      comp_error(c, REG_E_DUPLICATE, m, _("'%s' appears twice in enumeration '%s'"), m->str,
                 d->str);
      continue;
    }
    g_hash_table_insert(e->members, m->str, GUINT_TO_POINTER(i + 1));
    uint32_t s = reg_builder_string(c->b, m->str);
    g_array_append_val(c->b->enum_members, s);
    uint32_t label = m->str2 ? reg_builder_string(c->b, m->str2) : REG_NONE;
    g_array_append_val(c->b->enum_labels, label);
    GPtrArray *owners = g_hash_table_lookup(c->member_owner, m->str);
    if (!owners) {
      owners = g_ptr_array_new();
      g_hash_table_insert(c->member_owner, m->str, owners);
    }
    g_ptr_array_add(owners, e);
  }
  re.nmembers = c->b->enum_members->len - re.first_member;
  if (re.nmembers == 0) { /* keep the tables consistent after an error */
    uint32_t s = reg_builder_string(c->b, "?"), none = REG_NONE;
    g_array_append_val(c->b->enum_members, s);
    g_array_append_val(c->b->enum_labels, none);
    re.nmembers = 1;
  }
  g_array_append_val(c->b->enums, re);
  e->type = reg_builder_type(c->b, REG_TK_ENUM, e->index);
  g_ptr_array_add(c->enums, e);
  add_global(c, d->str, GSYM_ENUM, e->index, d);
}

static RecordSym *
declare_record(RegCompiler *c, AstNode *d, const char *name, bool is_output)
{
  RecordSym *r = g_new0(RecordSym, 1);
  r->decl = d;
  r->name = g_strdup(name);
  r->index = c->b->records->len;
  r->is_input = d->kind == AST_RECORD && d->flag;
  r->is_output = is_output;
  r->fields = g_ptr_array_new_with_free_func(g_free);
  r->by_name = g_hash_table_new(g_str_hash, g_str_equal);
  RegRecord rr = { reg_builder_string(c->b, name), 0, 0, 0 };
  g_array_append_val(c->b->records, rr);
  r->type = reg_builder_type(c->b, REG_TK_RECORD, r->index);
  for (uint32_t i = 0; i < d->nkids; i++) {
    AstNode *fd = d->kids[i];
    if (g_hash_table_contains(r->by_name, fd->str)) {
      comp_error(c, REG_E_DUPLICATE, fd, _("field '%s' appears twice in '%s'"), fd->str, name);
      continue;
    }
    FieldSym *f = g_new0(FieldSym, 1);
    f->name = fd->str;
    f->decl = fd;
    f->type = REG_NONE;
    g_ptr_array_add(r->fields, f);
    g_hash_table_insert(r->by_name, fd->str, GUINT_TO_POINTER(r->fields->len));
  }
  g_ptr_array_add(c->records, r);
  return r;
}

static void
declare_rule(RegCompiler *c, AstNode *d)
{
  GlobalSym *g = g_hash_table_lookup(c->globals, d->str);
  RuleGroup *rg = NULL;
  if (g && g->kind == GSYM_RULE) {
    rg = g_ptr_array_index(c->rules, g->index);
    if (rg->is_param != d->flag) {
      comp_error(c, REG_E_VERSIONS, d, _("'%s' is declared both as a parameter and as a rule"),
                 d->str);
      return;
    }
  } else {
    rg = g_new0(RuleGroup, 1);
    rg->name = d->str;
    rg->is_param = d->flag;
    rg->versions = g_ptr_array_new();
    rg->ret_type = REG_NONE;
    rg->dispatch_global = REG_NONE;
    if (!add_global(c, d->str, GSYM_RULE, c->rules->len, d)) {
      g_ptr_array_unref(rg->versions);
      g_free(rg);
      return;
    }
    g_ptr_array_add(c->rules, rg);
  }
  g_ptr_array_add(rg->versions, d);
}

/* The 'geldt vanaf' date of a rule version, and whether it has one. */
static bool
version_from(const AstNode *d, int64_t *from)
{
  AstNode *meta = d->kind == AST_RULE ? d->kids[3] : d->kids[1];
  for (uint32_t i = 0; meta && i < meta->nkids; i++) {
    if (meta->kids[i]->op == AST_META_FROM) {
      *from = meta->kids[i]->num;
      return true;
    }
  }
  return false;
}

static gint
cmp_versions(gconstpointer pa, gconstpointer pb)
{
  const AstNode *a = *(AstNode *const *) pa, *b = *(AstNode *const *) pb;
  int64_t fa = INT64_MIN, fb = INT64_MIN;
  version_from(a, &fa);
  version_from(b, &fb);
  return fa < fb ? -1 : fa > fb;
}

static void
check_meta(RegCompiler *c, AstNode *meta)
{
  int nfrom = 0, nbasis = 0, nexplain = 0;
  for (uint32_t i = 0; meta && i < meta->nkids; i++) {
    AstNode *m = meta->kids[i];
    if (m->op == AST_META_FROM && ++nfrom > 1)
      comp_error(c, REG_E_VERSIONS, m,
                 _("one 'geldt vanaf' per definition; write another version"));
    if (m->op == AST_META_BASIS && ++nbasis > 1)
      comp_error(c, REG_E_DUPLICATE, m, _("one 'bron' per definition"));
    if (m->op == AST_META_EXPLAIN && ++nexplain > 1)
      comp_error(c, REG_E_DUPLICATE, m, _("one 'uitleg' per definition"));
  }
}

static void
sort_versions(RegCompiler *c, RuleGroup *g)
{
  g_ptr_array_sort(g->versions, cmp_versions);
  bool have_base = false;
  int64_t prev = INT64_MIN;
  for (guint i = 0; i < g->versions->len; i++) {
    AstNode *v = g_ptr_array_index(g->versions, i);
    check_meta(c, v->kids[3]);
    int64_t from;
    if (!version_from(v, &from)) {
      if (have_base)
        comp_error(c, REG_E_VERSIONS, v,
                   _("'%s' has two versions without 'geldt vanaf'; give one of them a date"),
                   v->str);
      have_base = true;
      continue;
    }
    if (from == prev) {
      char d[11];
      reg_date_format(from, d);
      comp_error(c, REG_E_VERSIONS, v, _("'%s' has two versions that take effect on %s"), v->str,
                 d);
    }
    prev = from;
  }
}

/* Resolves a type node to a type id, or REG_NONE after reporting. */
uint32_t comp_resolve_type(RegCompiler *c, AstNode *t);

uint32_t
comp_resolve_type(RegCompiler *c, AstNode *t)
{
  if (!t)
    return REG_NONE;
  switch (t->kind) {
  case AST_TYPE_PRIM:
    return (uint32_t) t->op;
  case AST_TYPE_LIST: {
    uint32_t e = comp_resolve_type(c, t->kids[0]);
    return e == REG_NONE ? REG_NONE : comp_list_of(c, e);
  }
  case AST_TYPE_NAME: {
    GlobalSym *g = g_hash_table_lookup(c->globals, t->str);
    if (g && g->kind == GSYM_ENUM)
      return ((EnumSym *) g_ptr_array_index(c->enums, g->index))->type;
    if (g && (g->kind == GSYM_RECORD || g->kind == GSYM_OUTPUT)) {
      for (guint i = 0; i < c->records->len; i++) {
        RecordSym *r = g_ptr_array_index(c->records, i);
        if (r->index == g->index)
          return r->type;
      }
    }
    GPtrArray *cands = g_ptr_array_new();
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init(&it, c->globals);
    while (g_hash_table_iter_next(&it, &k, &v)) {
      GlobalSym *gs = v;
      if (gs->kind == GSYM_ENUM || gs->kind == GSYM_RECORD)
        g_ptr_array_add(cands, k);
    }
    const char *sugg = comp_suggest(t->str, cands);
    if (sugg)
      comp_error(c, REG_E_UNKNOWN_TYPE, t, _("unknown type '%s'; did you mean '%s'?"), t->str,
                 sugg);
    else
      comp_error(c, REG_E_UNKNOWN_TYPE, t,
                 _("unknown type '%s' (types are waarheid, geheel, getal, tekst, datum, duur, "
                 "lijst van ..., or a declared keuzelijst or record)"),
                 t->str);
    g_ptr_array_unref(cands);
    return REG_NONE;
  }
  default:
    return REG_NONE;
  }
}

/* A literal usable as a field default: its value in the field type's representation. */
static bool
const_value(RegCompiler *c, AstNode *v, uint32_t type, int64_t *out)
{
  RegTypeKind k = comp_kind(c, type);
  switch (v->kind) {
  case AST_INT:
    if (k == REG_TK_INT) {
      *out = v->num;
      return true;
    }
    if (k == REG_TK_DEC) {
      *out = v->num * 1000000;
      return true;
    }
    break;
  case AST_DEC:
    if (k == REG_TK_DEC) {
      *out = v->num;
      return true;
    }
    break;
  case AST_TEXT:
    if (k == REG_TK_TEXT) {
      *out = reg_builder_string(c->b, v->str);
      return true;
    }
    break;
  case AST_DATE:
    if (k == REG_TK_DATE) {
      *out = v->num;
      return true;
    }
    break;
  case AST_BOOL:
    if (k == REG_TK_BOOL) {
      *out = v->num;
      return true;
    }
    break;
  case AST_NAME:
    if (k == REG_TK_ENUM) {
      EnumSym *e = g_ptr_array_index(c->enums, comp_arg(c, type));
      gpointer m = g_hash_table_lookup(e->members, v->str);
      if (m) {
        *out = GPOINTER_TO_INT(m) - 1;
        return true;
      }
      comp_error(c, REG_E_UNKNOWN_MEMBER, v, _("'%s' is not a member of '%s'"), v->str,
                 e->decl->str);
      return false;
    }
    break;
  default:
    break;
  }
  char *tn = comp_type_name(c, type);
  comp_error(c, REG_E_NOT_CONSTANT, v, _("this default is not a constant of type %s"), tn);
  g_free(tn);
  return false;
}

static void
resolve_field_options(RegCompiler *c, RecordSym *r, FieldSym *f)
{
  AstNode *fd = f->decl;
  RegTypeKind k = f->type == REG_NONE ? REG_TK__COUNT : comp_kind(c, f->type);
  for (uint32_t i = 1; i < fd->nkids; i++) {
    AstNode *o = fd->kids[i];
    switch (o->op) {
    case AST_OPT_REQUIRED:
      f->flags |= REG_FIELD_REQUIRED;
      break;
    case AST_OPT_OPTIONAL:
      f->flags |= REG_FIELD_OPTIONAL;
      break;
    case AST_OPT_KEY:
      if (k != REG_TK_TEXT)
        comp_error(c, REG_E_FIELD_OPTION, o, _("the key ('sleutel') must be a tekst field"));
      f->flags |= REG_FIELD_KEY;
      break;
    case AST_OPT_ASOF:
      if (k != REG_TK_DATE)
        comp_error(c, REG_E_FIELD_OPTION, o, _("'is peildatum' needs a datum field"));
      f->flags |= REG_FIELD_ASOF;
      break;
    case AST_OPT_DEFAULT:
      if (f->type != REG_NONE && const_value(c, o->kids[0], f->type, &f->deflt))
        f->flags |= REG_FIELD_DEFAULT;
      else
        f->bad_default = true; /* reported; no second error about a missing default */
      break;
    case AST_OPT_MIN:
      if (k != REG_TK_INT && k != REG_TK_DEC)
        comp_error(c, REG_E_FIELD_OPTION, o, _("'>=' needs a number field"));
      else if (const_value(c, o->kids[0], f->type, &f->min))
        f->flags |= REG_FIELD_MIN;
      break;
    case AST_OPT_DECIMALS:
      if (k != REG_TK_DEC)
        comp_error(c, REG_E_FIELD_OPTION, o, _("'decimalen' needs a getal field"));
      else if (o->num < 0 || o->num > 6)
        comp_error(c, REG_E_FIELD_OPTION, o, _("decimals must be 0 to 6"));
      else {
        f->flags |= REG_FIELD_MAXDEC;
        f->maxdec = (uint32_t) o->num;
      }
      break;
    default:
      break;
    }
  }
  if (!r->is_input)
    return;
  if ((f->flags & REG_FIELD_REQUIRED) && (f->flags & REG_FIELD_DEFAULT))
    comp_error(c, REG_E_FIELD_OPTION, fd, _("field '%s' is 'verplicht' and has a 'standaard'"),
               f->name);
}

/* Natural defaults of input fields that are neither required nor given one. */
static void
apply_natural_default(RegCompiler *c, RecordSym *r, FieldSym *f)
{
  if (f->type != REG_NONE && comp_kind(c, f->type) == REG_TK_DUR) {
    comp_error(c, REG_E_FIELD_OPTION, f->decl,
               _("field '%s': a portfolio cannot give a duur; read a number of days, months or "
               "years (geheel) and multiply it by a unit"),
               f->name);
    return;
  }
  /* the evaluation date defaults to the caller's */
  if (f->type == REG_NONE || f->bad_default ||
      (f->flags & (REG_FIELD_REQUIRED | REG_FIELD_DEFAULT | REG_FIELD_ASOF)))
    return;
  switch (comp_kind(c, f->type)) {
  case REG_TK_BOOL:
  case REG_TK_INT:
  case REG_TK_DEC:
    f->flags |= REG_FIELD_DEFAULT;
    f->deflt = 0;
    break;
  case REG_TK_RECORD: {
    /* absent: built from its fields' defaults, so none of them may be required */
    for (guint i = 0; i < c->records->len; i++) {
      RecordSym *sub = g_ptr_array_index(c->records, i);
      if (sub->index != comp_arg(c, f->type))
        continue;
      for (guint k = 0; k < sub->fields->len; k++) {
        FieldSym *sf = g_ptr_array_index(sub->fields, k);
        if (sf->flags & REG_FIELD_REQUIRED) {
          comp_error(c, REG_E_FIELD_OPTION, f->decl,
                     _("field '%s' of '%s' needs 'verplicht': '%s' has the required field '%s'"),
                     f->name, r->name, sub->name, sf->name);
          return;
        }
      }
    }
    break;
  }
  case REG_TK_TEXT:
    f->flags |= REG_FIELD_DEFAULT;
    f->deflt = reg_builder_string(c->b, "");
    break;
  case REG_TK_ENUM: {
    EnumSym *e = g_ptr_array_index(c->enums, comp_arg(c, f->type));
    if (e->decl->flag) {
      f->flags |= REG_FIELD_DEFAULT;
      f->deflt = -1;
      break;
    }
    comp_error(c, REG_E_FIELD_OPTION, f->decl,
               _("field '%s' of '%s' needs 'verplicht' or a 'standaard' value"), f->name, r->name);
    break;
  }
  case REG_TK_DATE:
    comp_error(c, REG_E_FIELD_OPTION, f->decl,
               _("field '%s' of '%s' needs 'verplicht' or a 'standaard' date"), f->name, r->name);
    break;
  default: /* lists default to empty, records to their fields' defaults */
    break;
  }
}

gboolean
reg_resolve(RegCompiler *c)
{
  guint errors_before = c->nerrors;

  /* 1. declarations */
  for (guint fi = 0; fi < c->files->len; fi++) {
    AstNode *file = g_ptr_array_index(c->files, fi);
    for (uint32_t i = 0; i < file->nkids; i++) {
      AstNode *d = file->kids[i];
      switch (d->kind) {
      case AST_CRITERIA:
        if (c->criteria)
          comp_error(c, REG_E_NO_CRITERIA, d, _("the criteria set is named twice"));
        else
          c->criteria = d;
        break;
      case AST_ENUM:
        declare_enum(c, d);
        break;
      case AST_RECORD: {
        RecordSym *r = declare_record(c, d, d->str, false);
        add_global(c, d->str, GSYM_RECORD, r->index, d);
        if (r->is_input) {
          if (c->input)
            comp_error(c, REG_E_NO_INPUT, d, _("a second 'invoer'; the criteria read one input"));
          else
            c->input = r;
        }
        break;
      }
      case AST_OUTPUT: {
        RecordSym *r = declare_record(c, d, d->str, true);
        add_global(c, d->str, GSYM_OUTPUT, r->index, d);
        g_ptr_array_add(c->outputs, r);
        break;
      }
      case AST_RULE:
        declare_rule(c, d);
        break;
      case AST_CHECK:
        check_meta(c, d->kids[1]);
        g_ptr_array_add(c->checks, d);
        break;
      default:
        break;
      }
    }
  }
  if (!c->criteria)
    comp_error(c, REG_E_NO_CRITERIA, NULL,
               _("no 'criteria \"naam\" versie \"...\"' declaration in any file"));
  if (!c->input)
    comp_error(c, REG_E_NO_INPUT, NULL, _("no 'invoer' declaration: what do the criteria read?"));
  if (c->outputs->len == 0)
    comp_error(c, REG_E_NO_OUTPUT, NULL,
               _("no 'uitvoer' declaration: what do the criteria decide?"));

  /* 2. field types and options, then the builder's field table in record order */
  for (guint i = 0; i < c->records->len; i++) {
    RecordSym *r = g_ptr_array_index(c->records, i);
    for (guint k = 0; k < r->fields->len; k++) {
      FieldSym *f = g_ptr_array_index(r->fields, k);
      f->type = comp_resolve_type(c, f->decl->kids[0]);
      if (r->is_output) {
        if (f->decl->kids[2]) /* 'als' condition: may be absent */
          f->flags |= REG_FIELD_OPTIONAL;
      } else {
        resolve_field_options(c, r, f);
      }
    }
  }
  /* Records reachable from the input get natural defaults and must be fully defaultable
   * when they are optional themselves. */
  if (c->input) {
    GPtrArray *todo = g_ptr_array_new();
    GHashTable *seen = g_hash_table_new(NULL, NULL);
    g_ptr_array_add(todo, c->input);
    g_hash_table_add(seen, c->input);
    while (todo->len) {
      RecordSym *r = g_ptr_array_steal_index(todo, todo->len - 1);
      r->is_input = true;
      for (guint k = 0; k < r->fields->len; k++) {
        FieldSym *f = g_ptr_array_index(r->fields, k);
        if (f->flags & REG_FIELD_OPTIONAL)
          comp_error(c, REG_E_FIELD_OPTION, f->decl,
                     _("'optioneel' is for output fields; '%s' is read from the input"), f->name);
        apply_natural_default(c, r, f);
        uint32_t t = f->type;
        while (t != REG_NONE && comp_kind(c, t) == REG_TK_LIST)
          t = comp_arg(c, t);
        if (t != REG_NONE && comp_kind(c, t) == REG_TK_RECORD) {
          for (guint j = 0; j < c->records->len; j++) {
            RecordSym *sub = g_ptr_array_index(c->records, j);
            if (sub->index == comp_arg(c, t) && !g_hash_table_contains(seen, sub)) {
              g_hash_table_add(seen, sub);
              g_ptr_array_add(todo, sub);
            }
          }
        }
      }
    }
    g_hash_table_unref(seen);
    g_ptr_array_unref(todo);
  }

  for (guint i = 0; i < c->records->len; i++) {
    RecordSym *r = g_ptr_array_index(c->records, i);
    RegRecord *rr = &g_array_index(c->b->records, RegRecord, r->index);
    rr->first_field = c->b->fields->len;
    rr->nfields = r->fields->len;
    rr->noptional = 0;
    for (guint k = 0; k < r->fields->len; k++) {
      FieldSym *f = g_ptr_array_index(r->fields, k);
      RegField rf = { reg_builder_string(c->b, f->name),
                      f->type == REG_NONE ? REG_TYPE_BOOL : f->type,
                      f->flags,
                      f->maxdec,
                      f->deflt,
                      f->min };
      if (f->flags & REG_FIELD_OPTIONAL)
        rr->noptional++;
      g_array_append_val(c->b->fields, rf);
    }
    if (rr->noptional > 63)
      comp_error(c, REG_E_LIMIT, r->decl, _("'%s' has more than 63 optional fields"), r->name);
  }

  /* 3. the input's top-level fields are names in every rule */
  if (c->input) {
    for (guint k = 0; k < c->input->fields->len; k++) {
      FieldSym *f = g_ptr_array_index(c->input->fields, k);
      add_global(c, f->name, GSYM_INPUT_FIELD, k, f->decl);
    }
  }

  /* 4. rule versions */
  for (guint i = 0; i < c->rules->len; i++)
    sort_versions(c, g_ptr_array_index(c->rules, i));

  return c->nerrors == errors_before;
}
