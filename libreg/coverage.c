/* coverage.c: condition coverage of criteria, from the VM's trace of condition sites. */
#include <string.h>

#include "coverage-private.h"

struct RegCoverage {
  const RegProgram *p;
  RegTraceHooks hooks;
  uint8_t *seen;    /* per condition site: bit 0 true, bit 1 false */
  uint8_t *called;  /* per function */
};

static void
on_cond(void *data, uint32_t site, bool value, const RegValue *b, const RegValue *c)
{
  RegCoverage *cov = data;
  (void) b;
  (void) c;
  cov->seen[site] |= value ? 1 : 2;
}

static void
on_enter(void *data, uint32_t func, const RegValue *args)
{
  RegCoverage *cov = data;
  (void) args;
  cov->called[func] = 1;
}

RegCoverage *
reg_coverage_new(const RegProgram *p)
{
  RegCoverage *c = g_new0(RegCoverage, 1);
  c->p = p;
  c->seen = g_new0(uint8_t, p->nconds + 1);
  c->called = g_new0(uint8_t, p->nfuncs + 1);
  c->hooks.cond = on_cond;
  c->hooks.enter = on_enter;
  c->hooks.data = c;
  return c;
}

void
reg_coverage_free(RegCoverage *c)
{
  if (!c)
    return;
  g_free(c->seen);
  g_free(c->called);
  g_free(c);
}

const RegTraceHooks *
reg_coverage_hooks(RegCoverage *c)
{
  return &c->hooks;
}

void
reg_coverage_merge(RegCoverage *dst, const RegCoverage *src)
{
  for (uint32_t i = 0; i < dst->p->nconds; i++)
    dst->seen[i] |= src->seen[i];
  for (uint32_t i = 0; i < dst->p->nfuncs; i++)
    dst->called[i] |= src->called[i];
}

double
reg_coverage_report(const RegCoverage *c, GString *out, gboolean only_missing)
{
  const RegProgram *p = c->p;
  uint32_t total = 0, hit = 0;
  uint32_t *order = g_new(uint32_t, p->nrules + 1);
  for (uint32_t i = 0; i < p->nrules; i++)
    order[i] = i;
  GArray *idx = g_array_new(FALSE, FALSE, sizeof(uint32_t));
  g_array_append_vals(idx, order, p->nrules);
  g_free(order);
  /* rules in source order: by file, then line (insertion sort: few rules) */
  for (guint i = 1; i < idx->len; i++) {
    uint32_t v = g_array_index(idx, uint32_t, i);
    const RegLoc *lv = &p->locs[p->rules[v].loc];
    guint j = i;
    while (j > 0) {
      uint32_t u = g_array_index(idx, uint32_t, j - 1);
      const RegLoc *lu = &p->locs[p->rules[u].loc];
      int cf = strcmp(reg_str(p, lu->file), reg_str(p, lv->file));
      if (cf < 0 || (cf == 0 && lu->line <= lv->line))
        break;
      g_array_index(idx, uint32_t, j) = u;
      j--;
    }
    g_array_index(idx, uint32_t, j) = v;
  }

  const char *file = NULL;
  for (guint k = 0; k < idx->len; k++) {
    uint32_t ri = g_array_index(idx, uint32_t, k);
    const RegRuleInfo *r = &p->rules[ri];
    const RegLoc *loc = &p->locs[r->loc];
    uint32_t n = 0, h = 0;
    GString *line = g_string_new(NULL);
    /* A condition inlined into several functions has several sites: merge them by source. */
    GHashTable *merged = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    GPtrArray *firsts = g_ptr_array_new();
    for (uint32_t s = 0; s < p->nconds; s++) {
      if (p->conds[s].rule != ri)
        continue;
      const RegLoc *sl = reg_insn_loc(p, p->conds[s].func, p->conds[s].pc);
      char *key = g_strdup_printf("%u:%u:%u", p->conds[s].label, sl ? sl->line : 0,
                                  sl ? sl->col : 0);
      gpointer old_bits;
      if (g_hash_table_lookup_extended(merged, key, NULL, &old_bits)) {
        g_hash_table_insert(merged, key, GUINT_TO_POINTER(GPOINTER_TO_UINT(old_bits) | c->seen[s] | 4));
      } else {
        g_hash_table_insert(merged, key, GUINT_TO_POINTER((guint) c->seen[s] | 4));
        g_ptr_array_add(firsts, GUINT_TO_POINTER(s));
      }
    }
    for (guint k2 = 0; k2 < firsts->len; k2++) {
      uint32_t s = GPOINTER_TO_UINT(g_ptr_array_index(firsts, k2));
      const RegLoc *sl = reg_insn_loc(p, p->conds[s].func, p->conds[s].pc);
      char *key = g_strdup_printf("%u:%u:%u", p->conds[s].label, sl ? sl->line : 0,
                                  sl ? sl->col : 0);
      uint8_t b = (uint8_t) (GPOINTER_TO_UINT(g_hash_table_lookup(merged, key)) & 3);
      g_free(key);
      n++;
      h += (b & 1) + ((b >> 1) & 1);
      if (!only_missing || b != 3)
        g_string_append_printf(line, "\n      [%c%c] %u:%u %s", (b & 1) ? 'T' : '-',
                               (b & 2) ? 'F' : '-', sl ? sl->line : 0, sl ? sl->col : 0,
                               reg_str(p, p->conds[s].label));
    }
    g_ptr_array_unref(firsts);
    g_hash_table_unref(merged);
    total += 2 * n;
    hit += h;
    bool called = c->called[r->func] || h > 0;
    if (only_missing && h == 2 * n && (called || n > 0)) {
      g_string_free(line, TRUE);
      continue;
    }
    if (!file || strcmp(file, reg_str(p, loc->file)) != 0) {
      file = reg_str(p, loc->file);
      g_string_append_printf(out, "%s\n", file);
    }
    const char *kind = r->kind == REG_RULE_PARAMETER ? "parameter"
                       : r->kind == REG_RULE_CHECK  ? "eis"
                       : r->kind == REG_RULE_VIEW   ? "uitvoer"
                                                    : "regel";
    g_string_append_printf(out, "  %s:%u %s %s: ", file, loc->line, kind, reg_str(p, r->name));
    if (n)
      g_string_append_printf(out, "%u of %u outcomes", h, 2 * n);
    else
      g_string_append(out, called ? "ran (no conditions)" : "no conditions");
    g_string_append_printf(out, "%s\n", line->str);
    g_string_free(line, TRUE);
  }
  g_array_unref(idx);
  double pct = total ? 100.0 * hit / total : 100.0;
  g_string_append_printf(out, "condition coverage: %.1f%% (%u of %u outcomes)\n", pct, hit, total);
  return pct;
}
