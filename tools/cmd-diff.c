/* cmd-diff.c: `regel diff`: which decisions a criteria change alters, how, for whom and why. */
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "evaluator-private.h"
#include "jsonvalue.h"
#include "regel.h"

#define EXAMPLES 5

/* A transition: a value at a path (list indexes left out) going from one value to another. */
typedef struct {
  char *key; /* path \t from \t to */
  char *path, *from, *to;
  guint count;
  GPtrArray *examples; /* keys (teacher ids) */
  GHashTable *rules;   /* rule name -> count of decisions */
} Transition;

static void
transition_free(Transition *t)
{
  g_free(t->key);
  g_free(t->path);
  g_free(t->from);
  g_free(t->to);
  g_ptr_array_unref(t->examples);
  g_hash_table_unref(t->rules);
  g_free(t);
}

static char *
short_json(const JsonValue *v)
{
  if (!v)
    return g_strdup("(absent)");
  if (v->kind == JV_STRING)
    return g_strdup(v->text);
  /* numbers are not what makes a decision change: leave them out of the groups */
  char *s = jv_to_string_masked(v);
  if (strlen(s) > 200)
    strcpy(s + 190, "...");
  return s;
}

/* Collects the differences of two decisions, numbers left out, as (path, from, to). */
static void
differences(const JsonValue *a, const JsonValue *b, const char *path, GPtrArray *out)
{
  if (jv_equal_but_numbers(a, b))
    return;
  if (a && b && a->kind == b->kind && a->kind == JV_OBJECT) {
    for (guint i = 0; i < a->keys->len; i++) {
      const char *k = g_ptr_array_index(a->keys, i);
      char *sub = *path ? g_strdup_printf("%s.%s", path, k) : g_strdup(k);
      differences(g_ptr_array_index(a->items, i), jv_get(b, k), sub, out);
      g_free(sub);
    }
    for (guint i = 0; i < b->keys->len; i++) {
      const char *k = g_ptr_array_index(b->keys, i);
      if (!jv_get(a, k)) {
        char *sub = *path ? g_strdup_printf("%s.%s", path, k) : g_strdup(k);
        differences(NULL, g_ptr_array_index(b->items, i), sub, out);
        g_free(sub);
      }
    }
    return;
  }
  if (a && b && a->kind == JV_ARRAY && b->kind == JV_ARRAY && a->items->len == b->items->len) {
    char *sub = g_strdup_printf("%s[]", path);
    for (guint i = 0; i < a->items->len; i++)
      differences(g_ptr_array_index(a->items, i), g_ptr_array_index(b->items, i), sub, out);
    g_free(sub);
    return;
  }
  /* a leaf, or a list that grew or shrank: name it whole */
  g_ptr_array_add(out, g_strdup(path));
  g_ptr_array_add(out, short_json(a));
  g_ptr_array_add(out, short_json(b));
}

/* Rules whose compiled code differs between the two criteria sets (or exist in one only). */
static GHashTable *
changed_rules(RegProgram *old, RegProgram *new_)
{
  GHashTable *old_code = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  for (uint32_t i = 0; i < old->nrules; i++) {
    char *key = g_strdup_printf("%s#%u", reg_str(old, old->rules[i].name), i);
    (void) key;
    g_free(key);
  }
  /* per rule name: the concatenated code of all its versions and metadata */
  for (int side = 0; side < 2; side++) {
    RegProgram *p = side ? new_ : old;
    GHashTable *t = side ? g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free) : old_code;
    for (uint32_t i = 0; i < p->nrules; i++) {
      const RegRuleInfo *r = &p->rules[i];
      char *code = reg_disasm_function(p, r->func);
      char *meta = g_strdup_printf("%u:%u:%lld:%s\n", r->kind, r->has_from, (long long) r->from,
                                   r->basis != REG_NONE ? reg_str(p, r->basis) : "");
      const char *name = reg_str(p, r->name);
      char *prev = g_hash_table_lookup(t, name);
      char *all = g_strconcat(prev ? prev : "", meta, code, NULL);
      g_hash_table_insert(t, g_strdup(name), all);
      g_free(code);
      g_free(meta);
    }
    if (side) {
      GHashTable *changed = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
      GHashTableIter it;
      gpointer k, v;
      g_hash_table_iter_init(&it, t);
      while (g_hash_table_iter_next(&it, &k, &v)) {
        const char *o = g_hash_table_lookup(old_code, k);
        if (!o || strcmp(o, v) != 0)
          g_hash_table_add(changed, g_strdup(k));
      }
      g_hash_table_iter_init(&it, old_code);
      while (g_hash_table_iter_next(&it, &k, &v))
        if (!g_hash_table_contains(t, k))
          g_hash_table_add(changed, g_strdup(k));
      g_hash_table_unref(t);
      g_hash_table_unref(old_code);
      return changed;
    }
  }
  return NULL;
}

/* Trace hooks noting which rules a decision touched (calls, and conditions of inlined code). */
typedef struct {
  const RegProgram *p;
  uint8_t *touched; /* per rule */
  RegTraceHooks hooks;
} Touch;

static void
touch_enter(void *data, uint32_t func, const RegValue *args)
{
  Touch *t = data;
  (void) args;
  uint32_t r = t->p->funcs[func].rule;
  if (r != REG_NONE)
    t->touched[r] = 1;
}

static void
touch_cond(void *data, uint32_t site, bool value, const RegValue *b, const RegValue *c)
{
  Touch *t = data;
  (void) value;
  (void) b;
  (void) c;
  uint32_t r = t->p->conds[site].rule;
  if (r != REG_NONE)
    t->touched[r] = 1;
}

static RegEvaluator *
evaluator_for(RegProgram *p, const char *as_of, GError **error)
{
  RegEvaluator *ev = reg_evaluator_new(p);
  reg_evaluator_set_audit_fields(ev, FALSE);
  if (as_of && !reg_evaluator_set_as_of(ev, as_of, error)) {
    reg_evaluator_free(ev);
    return NULL;
  }
  return ev;
}

static void
json_str(GString *s, const char *t)
{
  g_string_append_c(s, '"');
  for (; *t; t++) {
    if (*t == '"' || *t == '\\')
      g_string_append_c(s, '\\');
    if ((unsigned char) *t < 0x20)
      g_string_append_printf(s, "\\u%04x", (unsigned char) *t);
    else
      g_string_append_c(s, *t);
  }
  g_string_append_c(s, '"');
}

int
regel_diff(int argc, char **argv)
{
  const char *old_path = NULL, *new_path = NULL, *as_of = NULL;
  gboolean json = FALSE;
  GPtrArray *files = g_ptr_array_new();
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--old") == 0 && i + 1 < argc)
      old_path = argv[++i];
    else if (strcmp(argv[i], "--new") == 0 && i + 1 < argc)
      new_path = argv[++i];
    else if (strcmp(argv[i], "--as-of") == 0 && i + 1 < argc)
      as_of = argv[++i];
    else if (strcmp(argv[i], "--json") == 0)
      json = TRUE;
    else if (strcmp(argv[i], "--help") == 0) {
      printf("usage: regel diff --old R1 --new R2 [--as-of DATE] [--json] FILE...\n"
             "  Decides every portfolio under both criteria and reports how many decisions\n"
             "  change (statuses, outcomes, notices, ...: anything but the numbers shown),\n"
             "  grouped by transition and by the changed rules that decided them, with\n"
             "  example keys. --json prints one object {total, changed, transitions, ...}.\n");
      g_ptr_array_unref(files);
      return REGEL_OK;
    } else
      g_ptr_array_add(files, argv[i]);
  }
  if (!old_path || !new_path || files->len == 0) {
    fprintf(stderr, "usage: regel diff --old R1 --new R2 [--as-of DATE] [--json] FILE...\n");
    g_ptr_array_unref(files);
    return REGEL_USAGE;
  }
  g_autoptr(GError) error = NULL;
  g_autoptr(RegProgram) old = regel_load_rules(old_path, &error);
  g_autoptr(RegProgram) new_ = old ? regel_load_rules(new_path, &error) : NULL;
  if (!old || !new_) {
    fprintf(stderr, "regel diff: %s\n", error->message);
    g_ptr_array_unref(files);
    return REGEL_USAGE;
  }
  RegEvaluator *eo = evaluator_for(old, as_of, &error);
  RegEvaluator *en = eo ? evaluator_for(new_, as_of, &error) : NULL;
  if (!en) {
    fprintf(stderr, "regel diff: %s\n", error->message);
    reg_evaluator_free(eo);
    g_ptr_array_unref(files);
    return REGEL_USAGE;
  }
  GHashTable *changed = changed_rules(old, new_);
  Touch touch = { new_, g_new0(uint8_t, new_->nrules + 1), { 0 } };
  touch.hooks.enter = touch_enter;
  touch.hooks.cond = touch_cond;
  touch.hooks.data = &touch;
  reg_evaluator_set_trace(en, &touch.hooks);

  GHashTable *transitions = g_hash_table_new(g_str_hash, g_str_equal);
  GPtrArray *tlist = g_ptr_array_new_with_free_func((GDestroyNotify) transition_free);
  GHashTable *by_rule = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  guint64 total = 0, nchanged = 0, errors_changed = 0;
  int rc = REGEL_OK;
  for (guint fi = 0; fi < files->len && rc == REGEL_OK; fi++) {
    /* mapped, not copied: a corpus of hundreds of megabytes stays in the page cache */
    GMappedFile *mapped = g_mapped_file_new(g_ptr_array_index(files, fi), FALSE, &error);
    if (!mapped) {
      fprintf(stderr, "regel diff: %s\n", error->message);
      rc = REGEL_USAGE;
      break;
    }
    const char *data = g_mapped_file_get_contents(mapped);
    gsize len = g_mapped_file_get_length(mapped);
    size_t page = (size_t) sysconf(_SC_PAGESIZE), released = 0;
    for (const char *p = data, *end = data + len; p < end;) {
      /* give back what has been decided, as regel eval does: memory stays flat */
      size_t done = (size_t) (p - data) & ~(page - 1);
      if (done - released >= ((size_t) 16 << 20)) {
        madvise((void *) (data + released), done - released, MADV_DONTNEED);
        released = done;
      }
      const char *nl = memchr(p, '\n', (size_t) (end - p));
      gsize l = nl ? (gsize) (nl - p) : (gsize) (end - p);
      total++;
      GString *a = g_string_new(NULL), *b = g_string_new(NULL);
      GError *ea = NULL, *eb = NULL;
      memset(touch.touched, 0, new_->nrules);
      gboolean oka = reg_evaluator_decide_json(eo, p, (gssize) l, a, &ea);
      gboolean okb = reg_evaluator_decide_json(en, p, (gssize) l, b, &eb);
      const char *key = reg_evaluator_get_key(en);
      char *who = g_strdup(key ? key : "?");
      GPtrArray *diffs = g_ptr_array_new_with_free_func(g_free);
      if (!oka || !okb) {
        if (oka != okb || strcmp(ea ? ea->message : "", eb ? eb->message : "") != 0) {
          errors_changed++;
          g_ptr_array_add(diffs, g_strdup("(error)"));
          g_ptr_array_add(diffs, g_strdup(oka ? "decided" : ea->message));
          g_ptr_array_add(diffs, g_strdup(okb ? "decided" : eb->message));
        }
      } else {
        g_autoptr(JsonValue) ja = jv_parse(a->str, a->len, NULL);
        g_autoptr(JsonValue) jb = jv_parse(b->str, b->len, NULL);
        differences(ja, jb, "", diffs);
      }
      if (diffs->len) {
        nchanged++;
        /* the changed rules this decision went through */
        GPtrArray *rules = g_ptr_array_new();
        GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
        for (uint32_t r = 0; r < new_->nrules; r++) {
          const char *name = reg_str(new_, new_->rules[r].name);
          if (touch.touched[r] && g_hash_table_contains(changed, name) &&
              !g_hash_table_contains(seen, name)) {
            g_hash_table_add(seen, (gpointer) name);
            g_ptr_array_add(rules, (gpointer) name);
          }
        }
        if (rules->len == 0)
          g_ptr_array_add(rules, "(rules removed or only in the old criteria)");
        for (guint r = 0; r < rules->len; r++) {
          const char *name = g_ptr_array_index(rules, r);
          gpointer n = g_hash_table_lookup(by_rule, name);
          g_hash_table_insert(by_rule, g_strdup(name), GUINT_TO_POINTER(GPOINTER_TO_UINT(n) + 1));
        }
        GHashTable *counted = g_hash_table_new(g_str_hash, g_str_equal);
        for (guint i = 0; i + 2 < diffs->len + 1 && i < diffs->len; i += 3) {
          const char *path = g_ptr_array_index(diffs, i);
          const char *from = g_ptr_array_index(diffs, i + 1);
          const char *to = g_ptr_array_index(diffs, i + 2);
          char *tk = g_strdup_printf("%s\t%s\t%s", path, from, to);
          Transition *t = g_hash_table_lookup(transitions, tk);
          if (!t) {
            t = g_new0(Transition, 1);
            t->key = tk;
            t->path = g_strdup(path);
            t->from = g_strdup(from);
            t->to = g_strdup(to);
            t->examples = g_ptr_array_new_with_free_func(g_free);
            t->rules = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
            g_hash_table_insert(transitions, t->key, t);
            g_ptr_array_add(tlist, t);
          } else {
            g_free(tk);
          }
          if (g_hash_table_contains(counted, t->key))
            continue; /* one decision counts once per transition */
          g_hash_table_add(counted, t->key);
          t->count++;
          if (t->examples->len < EXAMPLES)
            g_ptr_array_add(t->examples, g_strdup(who));
          for (guint r = 0; r < rules->len; r++) {
            const char *name = g_ptr_array_index(rules, r);
            gpointer n = g_hash_table_lookup(t->rules, name);
            g_hash_table_insert(t->rules, g_strdup(name), GUINT_TO_POINTER(GPOINTER_TO_UINT(n) + 1));
          }
        }
        g_hash_table_unref(counted);
        g_hash_table_unref(seen);
        g_ptr_array_unref(rules);
      }
      g_ptr_array_unref(diffs);
      g_free(who);
      if (ea)
        g_error_free(ea);
      if (eb)
        g_error_free(eb);
      g_string_free(a, TRUE);
      g_string_free(b, TRUE);
      p = nl ? nl + 1 : end;
    }
    g_mapped_file_unref(mapped);
  }

  /* biggest groups first */
  for (guint i = 1; i < tlist->len; i++)
    for (guint j = i; j > 0; j--) {
      Transition *x = g_ptr_array_index(tlist, j - 1), *y = g_ptr_array_index(tlist, j);
      if (x->count >= y->count)
        break;
      tlist->pdata[j - 1] = y;
      tlist->pdata[j] = x;
    }
  GString *out = g_string_new(NULL);
  if (json) {
    g_string_append_printf(out, "{\"total\":%" G_GUINT64_FORMAT ",\"changed\":%" G_GUINT64_FORMAT
                                ",\"errors_changed\":%" G_GUINT64_FORMAT ",\"transitions\":[",
                           total, nchanged, errors_changed);
    for (guint i = 0; i < tlist->len; i++) {
      Transition *t = g_ptr_array_index(tlist, i);
      g_string_append(out, i ? ",{\"path\":" : "{\"path\":");
      json_str(out, t->path);
      g_string_append(out, ",\"from\":");
      json_str(out, t->from);
      g_string_append(out, ",\"to\":");
      json_str(out, t->to);
      g_string_append_printf(out, ",\"count\":%u,\"examples\":[", t->count);
      for (guint k = 0; k < t->examples->len; k++) {
        if (k)
          g_string_append_c(out, ',');
        json_str(out, g_ptr_array_index(t->examples, k));
      }
      g_string_append(out, "],\"rules\":[");
      GList *keys = g_list_sort(g_hash_table_get_keys(t->rules), (GCompareFunc) g_strcmp0);
      for (GList *l = keys; l; l = l->next) {
        if (l != keys)
          g_string_append_c(out, ',');
        json_str(out, l->data);
      }
      g_list_free(keys);
      g_string_append(out, "]}");
    }
    g_string_append(out, "],\"rules\":[");
    GList *keys = g_list_sort(g_hash_table_get_keys(by_rule), (GCompareFunc) g_strcmp0);
    for (GList *l = keys; l; l = l->next) {
      if (l != keys)
        g_string_append_c(out, ',');
      g_string_append(out, "{\"rule\":");
      json_str(out, l->data);
      g_string_append_printf(out, ",\"changed\":%u}",
                             GPOINTER_TO_UINT(g_hash_table_lookup(by_rule, l->data)));
    }
    g_list_free(keys);
    g_string_append(out, "]}\n");
  } else {
    g_string_append_printf(out, "%" G_GUINT64_FORMAT " decisions, %" G_GUINT64_FORMAT
                                " change (%.1f%%)\n",
                           total, nchanged, total ? 100.0 * (double) nchanged / (double) total : 0);
    if (tlist->len)
      g_string_append(out, "\ntransitions (a decision can show several):\n");
    for (guint i = 0; i < tlist->len; i++) {
      Transition *t = g_ptr_array_index(tlist, i);
      g_string_append_printf(out, "  %6u  %s: %s -> %s\n          e.g.", t->count, t->path, t->from,
                             t->to);
      for (guint k = 0; k < t->examples->len; k++)
        g_string_append_printf(out, " %s", (char *) g_ptr_array_index(t->examples, k));
      g_string_append(out, "\n          changed rules:");
      GList *keys = g_list_sort(g_hash_table_get_keys(t->rules), (GCompareFunc) g_strcmp0);
      for (GList *l = keys; l; l = l->next)
        g_string_append_printf(out, " %s", (char *) l->data);
      g_list_free(keys);
      g_string_append_c(out, '\n');
    }
    if (g_hash_table_size(by_rule)) {
      g_string_append(out, "\nchanged rules behind changed decisions:\n");
      GList *keys = g_list_sort(g_hash_table_get_keys(by_rule), (GCompareFunc) g_strcmp0);
      for (GList *l = keys; l; l = l->next)
        g_string_append_printf(out, "  %6u  %s\n",
                               GPOINTER_TO_UINT(g_hash_table_lookup(by_rule, l->data)),
                               (char *) l->data);
      g_list_free(keys);
    }
  }
  fputs(out->str, stdout);
  g_string_free(out, TRUE);

  g_hash_table_unref(transitions);
  g_ptr_array_unref(tlist);
  g_hash_table_unref(by_rule);
  g_hash_table_unref(changed);
  g_free(touch.touched);
  reg_evaluator_free(eo);
  reg_evaluator_free(en);
  g_ptr_array_unref(files);
  return rc;
}
