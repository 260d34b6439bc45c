/* explain.c: the rule-call tree behind a decision, with the values and conditions that decided it. */
#include <string.h>

#include "date-private.h"
#include "decimal-private.h"
#include "explain-private.h"

/*
 * What is recorded: every call of a named rule, with its arguments and
 * result, and the conditions it evaluated with their values. To keep the
 * trace readable, calls and conditions inside a loop over a portfolio list
 * (e.g. summing over all activities) are summarised by the result of the
 * rule that loops, unless the loop is in the output itself or in a rule it
 * calls directly (those loops are over the output's own elements). Loops over
 * a keuzelijst (the criteria) are always shown.
 */

#define MAX_NODES 20000
#define NONE UINT32_MAX

typedef struct {
  uint32_t func;
  uint32_t parent, first_child, last_child, next;
  uint32_t first_arg, nargs;
  uint32_t first_cond, last_cond;
  uint32_t basis_global; /* the last global with a legal basis this call read itself */
  RegValue result;
  bool done;
} Node;

typedef struct {
  uint32_t site;
  bool value;
  bool has_operands;
  RegValue b, c;
  uint32_t next;
} Cond;

typedef struct {
  uint32_t node;      /* node of this frame, or NONE for a function without a rule */
  uint32_t prev_cur;  /* node current before the call */
  uint32_t opaque;    /* open opaque loops of this frame */
  uint32_t loops;     /* open loops of this frame */
  uint64_t loop_bits; /* bit i: loop i (from the outside) is opaque */
} Frame;

struct RegExplain {
  const RegProgram *p;
  RegTraceHooks hooks;
  GArray *nodes; /* Node; node 0 is the root (the output) */
  GArray *args;  /* RegValue */
  GArray *conds; /* Cond */
  GArray *frames; /* Frame */
  uint32_t cur;
  uint32_t quiet; /* frames entered while suppressed */
  bool truncated;
};

static Node *
node_at(RegExplain *e, uint32_t i)
{
  return &g_array_index(e->nodes, Node, i);
}

static Frame *
top_frame(RegExplain *e)
{
  return e->frames->len ? &g_array_index(e->frames, Frame, e->frames->len - 1) : NULL;
}

static void
on_enter(void *data, uint32_t func, const RegValue *args)
{
  RegExplain *e = data;
  if (e->quiet) {
    e->quiet++;
    return;
  }
  Frame *caller = top_frame(e);
  if (caller && caller->opaque) {
    e->quiet = 1;
    return;
  }
  const RegFunction *f = &e->p->funcs[func];
  Frame fr = { NONE, e->cur, 0, 0, 0 };
  bool is_root = e->frames->len == 0;
  if (!is_root && f->rule != REG_NONE) {
    if (e->nodes->len >= MAX_NODES) {
      e->truncated = true;
      e->quiet = 1;
      return;
    }
    Node n = { func,        e->cur, NONE, NONE, NONE, e->args->len, f->nparams,
               NONE,        NONE,   NONE, { 0 }, false };
    g_array_append_vals(e->args, args, f->nparams);
    uint32_t idx = e->nodes->len;
    g_array_append_val(e->nodes, n);
    Node *parent = node_at(e, e->cur);
    if (parent->last_child == NONE)
      parent->first_child = idx;
    else
      node_at(e, parent->last_child)->next = idx;
    parent->last_child = idx;
    fr.node = idx;
    e->cur = idx;
  }
  g_array_append_val(e->frames, fr);
}

static void
on_leave(void *data, uint32_t func, RegValue result)
{
  RegExplain *e = data;
  (void) func;
  if (e->quiet) {
    e->quiet--;
    return;
  }
  Frame *fr = top_frame(e);
  if (!fr)
    return;
  if (fr->node != NONE) {
    Node *n = node_at(e, fr->node);
    n->result = result;
    n->done = true;
  }
  e->cur = fr->prev_cur;
  g_array_set_size(e->frames, e->frames->len - 1);
}

static bool
is_enum_list(const RegProgram *p, const RegList *l)
{
  for (uint32_t i = 0; i < p->nenums; i++)
    if (p->enum_lists[i] == l)
      return true;
  return false;
}

static void
on_loop(void *data, bool enter, const RegList *list)
{
  RegExplain *e = data;
  if (e->quiet)
    return;
  Frame *fr = top_frame(e);
  if (!fr)
    return;
  if (enter) {
    /* frames 1 (the output) and 2 (rules it calls) loop over the output's elements */
    bool opaque = e->frames->len > 2 && !is_enum_list(e->p, list);
    if (fr->loops < 64 && opaque)
      fr->loop_bits |= (uint64_t) 1 << fr->loops;
    fr->loops++;
    if (opaque)
      fr->opaque++;
  } else if (fr->loops > 0) {
    fr->loops--;
    if (fr->loops < 64 && (fr->loop_bits >> fr->loops) & 1) {
      fr->loop_bits &= ~((uint64_t) 1 << fr->loops);
      fr->opaque--;
    }
  }
}

static void
on_cond(void *data, uint32_t site, bool value, const RegValue *b, const RegValue *c)
{
  RegExplain *e = data;
  if (e->quiet)
    return;
  Frame *fr = top_frame(e);
  if (!fr || fr->opaque || e->cur == 0)
    return;
  Cond cd = { site, value, b != NULL, b ? *b : (RegValue){ 0 }, c ? *c : (RegValue){ 0 }, NONE };
  uint32_t idx = e->conds->len;
  g_array_append_val(e->conds, cd);
  Node *n = node_at(e, e->cur);
  if (n->last_cond == NONE)
    n->first_cond = idx;
  else
    g_array_index(e->conds, Cond, n->last_cond).next = idx;
  n->last_cond = idx;
}

/* A parameter read by the call itself: its legal basis is the one of the comparison that
 * used it ({bron} of an 'uitleg'), e.g. minimum_totaal's for voldaan(b, t, totaal). */
static void
on_global(void *data, uint32_t global)
{
  RegExplain *e = data;
  if (e->quiet || e->cur == 0)
    return;
  const RegProgram *p = e->p;
  uint32_t rule = p->funcs[p->globals[global].func].rule;
  if (rule != REG_NONE && p->rules[rule].basis != REG_NONE)
    node_at(e, e->cur)->basis_global = global;
}

RegExplain *
reg_explain_new(const RegProgram *p)
{
  RegExplain *e = g_new0(RegExplain, 1);
  e->p = p;
  e->nodes = g_array_new(FALSE, FALSE, sizeof(Node));
  e->args = g_array_new(FALSE, FALSE, sizeof(RegValue));
  e->conds = g_array_new(FALSE, FALSE, sizeof(Cond));
  e->frames = g_array_new(FALSE, FALSE, sizeof(Frame));
  e->hooks.enter = on_enter;
  e->hooks.leave = on_leave;
  e->hooks.cond = on_cond;
  e->hooks.loop = on_loop;
  e->hooks.global = on_global;
  e->hooks.data = e;
  reg_explain_reset(e);
  return e;
}

void
reg_explain_free(RegExplain *e)
{
  if (!e)
    return;
  g_array_unref(e->nodes);
  g_array_unref(e->args);
  g_array_unref(e->conds);
  g_array_unref(e->frames);
  g_free(e);
}

void
reg_explain_reset(RegExplain *e)
{
  g_array_set_size(e->nodes, 0);
  g_array_set_size(e->args, 0);
  g_array_set_size(e->conds, 0);
  g_array_set_size(e->frames, 0);
  Node root = { REG_NONE, NONE, NONE, NONE, NONE, 0, 0, NONE, NONE, NONE, { 0 }, true };
  g_array_append_val(e->nodes, root);
  e->cur = 0;
  e->quiet = 0;
  e->truncated = false;
}

const RegTraceHooks *
reg_explain_hooks(RegExplain *e)
{
  return &e->hooks;
}

/* ---- writing ---------------------------------------------------------------- */

/* A value in a few words: records by their first scalar fields, long lists by their length. */
static void
short_value(GString *s, const RegProgram *p, uint32_t type, RegValue v, int level)
{
  const RegType *t = &p->types[type];
  char buf[64];
  switch ((RegTypeKind) t->kind) {
  case REG_TK_BOOL:
    g_string_append(s, v.i ? "waar" : "onwaar");
    break;
  case REG_TK_INT:
    g_string_append_printf(s, "%lld", (long long) v.i);
    break;
  case REG_TK_DEC:
    reg_dec_format(v.i, buf);
    g_string_append(s, buf);
    break;
  case REG_TK_DATE:
    if (reg_date_valid(v.i)) {
      reg_date_format(v.i, buf);
      g_string_append(s, buf);
    }
    break;
  case REG_TK_DUR:
    reg_dur_format(v.i, buf);
    g_string_append(s, buf);
    break;
  case REG_TK_TEXT:
    if (v.p) {
      const RegText *x = v.p;
      g_string_append_c(s, '"');
      g_string_append_len(s, x->s, x->len > 60 ? 60 : x->len);
      g_string_append_c(s, '"');
    }
    break;
  case REG_TK_ENUM: {
    const RegEnum *en = &p->enums[t->arg];
    if (v.i >= 0 && v.i < (int64_t) en->nmembers)
      g_string_append(s, reg_str(p, p->enum_members[en->first_member + (uint32_t) v.i]));
    else
      g_string_append(s, "onbekend");
    break;
  }
  case REG_TK_LIST: {
    const RegList *l = v.p;
    if (!l)
      break;
    uint32_t et = t->arg;
    bool scalar = p->types[et].kind != REG_TK_RECORD && p->types[et].kind != REG_TK_LIST;
    if (scalar && l->len <= 6 && level < 2) {
      g_string_append_c(s, '[');
      for (uint32_t i = 0; i < l->len; i++) {
        if (i)
          g_string_append(s, ", ");
        short_value(s, p, et, l->v[i], level + 1);
      }
      g_string_append_c(s, ']');
    } else {
      g_string_append_printf(s, "[%u]", l->len);
    }
    break;
  }
  case REG_TK_RECORD: {
    const RegValue *rv = v.p;
    if (!rv)
      break;
    const RegRecord *r = &p->records[t->arg];
    g_string_append_c(s, '{');
    int shown = 0;
    for (uint32_t i = 0; i < r->nfields && shown < 2; i++) {
      const RegField *f = &p->fields[r->first_field + i];
      uint32_t k = p->types[f->type].kind;
      if (k == REG_TK_LIST || k == REG_TK_RECORD || (f->flags & REG_FIELD_OPTIONAL))
        continue;
      g_string_append_printf(s, "%s%s: ", shown ? ", " : "", reg_str(p, f->name));
      short_value(s, p, f->type, rv[i], level + 1);
      shown++;
    }
    g_string_append_c(s, '}');
    break;
  }
  default:
    break;
  }
}

static const char *
cmp_text(uint32_t cmp)
{
  static const char *const ops[] = { "", "=", "≠", "<", "<=", ">", ">=" };
  return cmp <= REG_CMP__LAST ? ops[cmp] : "?";
}

static void
write_cond(RegExplain *e, const Cond *cd, RegBuf *out)
{
  const RegProgram *p = e->p;
  const RegCond *site = &p->conds[cd->site];
  GString *s = g_string_new(reg_str(p, site->label));
  g_string_append(s, ": ");
  uint32_t cmp = site->cmp & 0xff;
  if (cd->has_operands && cmp != REG_CMP_NONE) {
    /* b and c are the left and right operands as written */
    const RegFunction *f = &p->funcs[site->func];
    uint32_t type = p->reg_types[f->first_reg_type + site->lhs];
    short_value(s, p, type, cd->b, 0);
    g_string_append_printf(s, " %s ", cmp_text(cmp));
    short_value(s, p, type, cd->c, 0);
    g_string_append(s, cd->value ? " is waar" : " is onwaar");
  } else {
    g_string_append(s, cd->value ? "waar" : "onwaar");
  }
  reg_buf_json_string(out, s->str, s->len);
  g_string_free(s, TRUE);
}

static void
write_node(RegExplain *e, uint32_t idx, GHashTable *seen, RegBuf *out)
{
  const RegProgram *p = e->p;
  const Node *n = node_at(e, idx);
  const RegFunction *f = &p->funcs[n->func];
  const RegRuleInfo *ri = &p->rules[f->rule];
  const RegLoc *loc = &p->locs[ri->loc];

  GString *call = g_string_new(reg_str(p, ri->name));
  if (n->nargs) {
    g_string_append_c(call, '(');
    for (uint32_t i = 0; i < n->nargs; i++) {
      if (i)
        g_string_append(call, ", ");
      short_value(call, p, p->reg_types[f->first_reg_type + i],
                  g_array_index(e->args, RegValue, n->first_arg + i), 0);
    }
    g_string_append_c(call, ')');
  }
  reg_buf_lit(out, "{\"rule\":");
  reg_buf_json_string(out, call->str, call->len);
  reg_buf_lit(out, ",\"value\":");
  GString *val = g_string_new(NULL);
  if (n->done)
    short_value(val, p, f->ret_type, n->result, 0);
  else
    g_string_append(val, "(not finished)");
  reg_buf_json_string(out, val->str, val->len);
  g_string_free(val, TRUE);

  char at[64];
  g_snprintf(at, sizeof at, ":%u", loc->line);
  GString *where = g_string_new(reg_str(p, loc->file));
  g_string_append(where, at);
  reg_buf_lit(out, ",\"at\":");
  reg_buf_json_string(out, where->str, where->len);
  g_string_free(where, TRUE);
  if (ri->basis != REG_NONE) {
    reg_buf_lit(out, ",\"basis\":");
    const RegText *b = p->strings[ri->basis];
    reg_buf_json_string(out, b->s, b->len);
  }
  if (ri->has_from) {
    char d[11];
    reg_date_format(ri->from, d);
    reg_buf_lit(out, ",\"from\":\"");
    reg_buf_add(out, d, 10);
    reg_buf_addc(out, '"');
  }
  /* The same call again (rules are pure): its value suffices. */
  bool repeat = g_hash_table_contains(seen, call->str);
  if (repeat) {
    reg_buf_lit(out, ",\"repeat\":true}");
    g_string_free(call, TRUE);
    return;
  }
  g_hash_table_add(seen, g_string_free(call, FALSE));
  if (n->first_cond != NONE) {
    reg_buf_lit(out, ",\"because\":[");
    bool first = true;
    for (uint32_t c = n->first_cond; c != NONE; c = g_array_index(e->conds, Cond, c).next) {
      if (!first)
        reg_buf_addc(out, ',');
      first = false;
      write_cond(e, &g_array_index(e->conds, Cond, c), out);
    }
    reg_buf_addc(out, ']');
  }
  if (n->first_child != NONE) {
    reg_buf_lit(out, ",\"calls\":[");
    for (uint32_t c = n->first_child; c != NONE; c = node_at(e, c)->next) {
      if (c != n->first_child)
        reg_buf_addc(out, ',');
      write_node(e, c, seen, out);
    }
    reg_buf_addc(out, ']');
  }
  reg_buf_addc(out, '}');
}

void
reg_explain_write(RegExplain *e, RegBuf *out)
{
  GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  reg_buf_addc(out, '[');
  const Node *root = node_at(e, 0);
  for (uint32_t c = root->first_child; c != NONE; c = node_at(e, c)->next) {
    if (c != root->first_child)
      reg_buf_addc(out, ',');
    write_node(e, c, seen, out);
  }
  if (e->truncated) {
    if (root->first_child != NONE)
      reg_buf_addc(out, ',');
    reg_buf_lit(out, "{\"truncated\":true}");
  }
  reg_buf_addc(out, ']');
  g_hash_table_unref(seen);
}

/* ---- texts for the teacher ---------------------------------------------------- */

static const char *const month_names[12] = { "januari", "februari", "maart",     "april",
                                             "mei",     "juni",     "juli",      "augustus",
                                             "september", "oktober", "november", "december" };

/* A value as a sentence wants it, in Dutch: 12,5; 1 augustus 2027; labels of members. */
static void
dutch_value(GString *s, const RegProgram *p, uint32_t type, RegValue v)
{
  const RegType *t = &p->types[type];
  char buf[64];
  switch ((RegTypeKind) t->kind) {
  case REG_TK_DEC:
  case REG_TK_INT: {
    if (t->kind == REG_TK_DEC)
      reg_dec_format(v.i, buf);
    else
      g_snprintf(buf, sizeof buf, "%lld", (long long) v.i);
    for (char *c = buf; *c; c++)
      if (*c == '.')
        *c = ',';
    g_string_append(s, buf);
    break;
  }
  case REG_TK_DATE:
    if (reg_date_valid(v.i)) {
      int y, m, d;
      reg_date_to_ymd(v.i, &y, &m, &d);
      g_string_append_printf(s, "%d %s %d", d, month_names[m - 1], y);
    }
    break;
  case REG_TK_BOOL:
    g_string_append(s, v.i ? "ja" : "nee");
    break;
  case REG_TK_ENUM: {
    const RegEnum *en = &p->enums[t->arg];
    if (v.i < 0 || v.i >= (int64_t) en->nmembers) {
      g_string_append(s, "onbekend");
      break;
    }
    uint32_t m = en->first_member + (uint32_t) v.i;
    if (p->enum_labels[m] != REG_NONE) {
      g_string_append(s, reg_str(p, p->enum_labels[m]));
    } else {
      for (const char *c = reg_str(p, p->enum_members[m]); *c; c++)
        g_string_append_c(s, *c == '_' ? ' ' : *c);
    }
    break;
  }
  case REG_TK_TEXT:
    if (v.p)
      g_string_append_len(s, ((const RegText *) v.p)->s, ((const RegText *) v.p)->len);
    break;
  default:
    short_value(s, p, type, v, 0);
    break;
  }
}

/* The first legal basis in a call and what it called. */
static const char *
first_basis(RegExplain *e, uint32_t idx)
{
  const RegProgram *p = e->p;
  const Node *n = node_at(e, idx);
  const RegRuleInfo *ri = &p->rules[p->funcs[n->func].rule];
  if (ri->basis != REG_NONE)
    return reg_str(p, ri->basis);
  for (uint32_t c = n->first_child; c != NONE; c = node_at(e, c)->next) {
    const char *b = first_basis(e, c);
    if (b)
      return b;
  }
  return NULL;
}

/* Fills the placeholders of a rule's 'uitleg' from its call: {tekort}, {waarde},
 * {vereist}, {bron}, {parameter} and {parameter.field}. */
static char *
fill_template(RegExplain *e, uint32_t idx)
{
  const RegProgram *p = e->p;
  const Node *n = node_at(e, idx);
  const RegFunction *f = &p->funcs[n->func];
  const RegRuleInfo *ri = &p->rules[f->rule];
  /* the comparison that decided: the last one found false */
  const Cond *decisive = NULL;
  for (uint32_t c = n->first_cond; c != NONE; c = g_array_index(e->conds, Cond, c).next) {
    const Cond *cd = &g_array_index(e->conds, Cond, c);
    if (!cd->value && cd->has_operands && (p->conds[cd->site].cmp & 0xff) != REG_CMP_NONE)
      decisive = cd;
  }
  char **params = g_strsplit(reg_str(p, ri->params), ",", -1);
  GString *s = g_string_new(NULL);
  const char *t = reg_str(p, ri->explain);
  while (*t) {
    const char *open = strchr(t, '{'), *close = open ? strchr(open, '}') : NULL;
    if (!open || !close) {
      g_string_append(s, t);
      break;
    }
    g_string_append_len(s, t, open - t);
    char *name = g_strndup(open + 1, (gsize) (close - open - 1));
    gboolean done = FALSE;
    if (decisive) {
      const RegCond *site = &p->conds[decisive->site];
      uint32_t type = p->reg_types[p->funcs[site->func].first_reg_type + site->lhs];
      uint32_t cmp = site->cmp & 0xff;
      if (strcmp(name, "waarde") == 0) {
        dutch_value(s, p, type, decisive->b);
        done = TRUE;
      } else if (strcmp(name, "vereist") == 0) {
        dutch_value(s, p, type, decisive->c);
        done = TRUE;
      } else if (strcmp(name, "tekort") == 0 &&
                 (type == REG_TYPE_DEC || type == REG_TYPE_INT || type == REG_TYPE_DATE)) {
        /* how far the value is from holding the comparison */
        int64_t gap;
        bool over = (cmp == REG_CMP_GE || cmp == REG_CMP_GT)
                      ? __builtin_sub_overflow(decisive->c.i, decisive->b.i, &gap)
                      : __builtin_sub_overflow(decisive->b.i, decisive->c.i, &gap);
        /* a gap too large to write stays a placeholder rather than a wrong number */
        if (!over && gap >= 0) {
          RegValue g = { gap };
          dutch_value(s, p, type == REG_TYPE_DATE ? REG_TYPE_INT : type, g);
          done = TRUE;
        }
      }
    }
    if (!done && strcmp(name, "bron") == 0) {
      const char *b = NULL;
      if (n->basis_global != NONE) {
        uint32_t rule = p->funcs[p->globals[n->basis_global].func].rule;
        b = reg_str(p, p->rules[rule].basis);
      } else {
        b = first_basis(e, idx);
      }
      g_string_append(s, b ? b : "");
      done = TRUE;
    }
    if (!done) {
      /* a parameter, or a field of one */
      char *dot = strchr(name, '.');
      if (dot)
        *dot = '\0';
      for (uint32_t i = 0; params[i] && i < n->nargs; i++) {
        if (strcmp(params[i], name) != 0)
          continue;
        uint32_t type = p->reg_types[f->first_reg_type + i];
        RegValue v = g_array_index(e->args, RegValue, n->first_arg + i);
        if (dot && p->types[type].kind == REG_TK_RECORD && v.p) {
          const RegRecord *r = &p->records[p->types[type].arg];
          for (uint32_t k = 0; k < r->nfields; k++) {
            const RegField *fd = &p->fields[r->first_field + k];
            if (strcmp(reg_str(p, fd->name), dot + 1) == 0 && !(fd->flags & REG_FIELD_OPTIONAL)) {
              dutch_value(s, p, fd->type, ((const RegValue *) v.p)[k]);
              done = TRUE;
            }
          }
        } else if (!dot) {
          dutch_value(s, p, type, v);
          done = TRUE;
        }
      }
      if (dot)
        *dot = '.';
    }
    if (!done)
      g_string_append_printf(s, "{%s}", name);
    g_free(name);
    t = close + 1;
  }
  g_strfreev(params);
  return g_string_free(s, FALSE);
}

static void
collect_texts(RegExplain *e, uint32_t idx, GPtrArray *texts, GHashTable *seen)
{
  const RegProgram *p = e->p;
  const Node *n = node_at(e, idx);
  if (idx != 0) {
    const RegFunction *f = &p->funcs[n->func];
    const RegRuleInfo *ri = &p->rules[f->rule];
    if (ri->explain != REG_NONE && n->done && f->ret_type == REG_TYPE_BOOL && !n->result.i) {
      char *text = fill_template(e, idx);
      if (!g_hash_table_contains(seen, text)) {
        g_hash_table_add(seen, text);
        g_ptr_array_add(texts, text);
      } else {
        g_free(text);
      }
    }
  }
  for (uint32_t c = n->first_child; c != NONE; c = node_at(e, c)->next)
    collect_texts(e, c, texts, seen);
}

void
reg_explain_write_teacher(RegExplain *e, RegBuf *out)
{
  GPtrArray *texts = g_ptr_array_new();
  GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  collect_texts(e, 0, texts, seen);
  reg_buf_addc(out, '[');
  for (guint i = 0; i < texts->len; i++) {
    if (i)
      reg_buf_addc(out, ',');
    const char *t = g_ptr_array_index(texts, i);
    reg_buf_json_string(out, t, strlen(t));
  }
  reg_buf_addc(out, ']');
  g_ptr_array_unref(texts);
  g_hash_table_unref(seen);
}
