/* cmd-mutate.c: `regel mutate`: small changes to the criteria that the tests must notice. */
#include <string.h>

#include "compiler-private.h"
#include "regel.h"
#include "testrun.h"

/* Compiles the criteria sources from memory with mutation @m applied to its file. */
static RegProgram *
compile_mutant(RegCompiler *orig, const RegMutation *m)
{
  g_autoptr(RegCompiler) c = reg_compiler_new();
  for (guint i = 0;; i++) {
    const char *path;
    gsize len;
    const char *text = reg_compiler_get_source(orig, i, &path, &len);
    if (!text)
      break;
    if (i != m->file) {
      reg_compiler_add_source(c, path, text, (gssize) len);
      continue;
    }
    GString *s = g_string_new_len(text, (gssize) m->start);
    g_string_append(s, m->replacement);
    g_string_append_len(s, text + m->end, (gssize) (len - m->end));
    reg_compiler_add_source(c, path, s->str, (gssize) s->len);
    g_string_free(s, TRUE);
  }
  return reg_compiler_compile(c, NULL);
}

int
regel_mutate(int argc, char **argv)
{
  gboolean verbose = FALSE;
  const char *only = NULL;
  GPtrArray *paths = g_ptr_array_new();
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--help") == 0) {
      printf("usage: regel mutate [--kind number|date|compare|negate|member] [--verbose] [PATH...]\n"
             "  Makes one small change at a time to the criteria in PATH (default: rules): a\n"
             "  threshold +-1 or +-0.01, a date +-1 day, a comparison flipped or made strict,\n"
             "  a condition negated, an enumeration member swapped; runs the tests against\n"
             "  each and reports every mutant that survives (no test fails). Exit 1 if any.\n");
      g_ptr_array_unref(paths);
      return REGEL_OK;
    } else if (strcmp(argv[i], "--kind") == 0 && i + 1 < argc)
      only = argv[++i];
    else if (strcmp(argv[i], "--verbose") == 0 || strcmp(argv[i], "-v") == 0)
      verbose = TRUE;
    else
      g_ptr_array_add(paths, argv[i]);
  }
  Inputs in = { g_ptr_array_new_with_free_func(g_free), g_ptr_array_new_with_free_func(g_free) };
  test_inputs_add_paths(&in, paths);
  g_ptr_array_unref(paths);

  int rc = REGEL_OK;
  g_autoptr(RegCompiler) c = reg_compiler_new();
  RegProgram *program = test_compile_with(&in, NULL, NULL, c);
  GPtrArray *cases = g_ptr_array_new_with_free_func((GDestroyNotify) test_case_free);
  if (!program) {
    g_autofree char *d = reg_compiler_format_diagnostics(c);
    fputs(d, stderr);
    fprintf(stderr, "regel mutate: the criteria do not compile\n");
    rc = REGEL_USAGE;
    goto out;
  }
  for (guint i = 0; i < in.tests->len; i++) {
    GError *error = NULL;
    if (!test_file_read(g_ptr_array_index(in.tests, i), cases, &error)) {
      fprintf(stderr, "regel mutate: %s\n", error->message);
      g_error_free(error);
      rc = REGEL_USAGE;
      goto out;
    }
  }
  /* the unchanged criteria must pass their tests first */
  for (guint k = 0; k < cases->len; k++) {
    GString *why = g_string_new(NULL);
    gboolean ok = test_run_case(program, &in, g_ptr_array_index(cases, k), NULL, why);
    g_string_free(why, TRUE);
    if (!ok) {
      fprintf(stderr, "regel mutate: the tests fail without mutants; run regel test first\n");
      rc = REGEL_FAIL;
      goto out;
    }
  }
  GPtrArray *mutants = reg_compiler_mutations(c);
  guint killed = 0, survived = 0, stillborn = 0;
  GHashTable *per_kind = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
  for (guint i = 0; i < mutants->len; i++) {
    const RegMutation *m = g_ptr_array_index(mutants, i);
    if (only && strcmp(only, m->kind) != 0)
      continue;
    const char *path;
    reg_compiler_get_source(c, m->file, &path, NULL);
    RegProgram *mp = compile_mutant(c, m);
    guint *counts = g_hash_table_lookup(per_kind, m->kind);
    if (!counts) {
      counts = g_new0(guint, 3);
      g_hash_table_insert(per_kind, (gpointer) m->kind, counts);
    }
    if (!mp) {
      stillborn++;
      if (verbose)
        printf("stillborn %s:%u:%u %s: %s\n", path, m->line, m->col, m->kind, m->description);
      continue;
    }
    gboolean dead = FALSE;
    for (guint k = 0; k < cases->len && !dead; k++) {
      TestCase *t = g_ptr_array_index(cases, k);
      if (t->kind == TC_DIAGNOSTIC)
        continue;
      GString *why = g_string_new(NULL);
      dead = !test_run_case(mp, &in, t, NULL, why);
      g_string_free(why, TRUE);
    }
    reg_program_unref(mp);
    if (dead) {
      killed++;
      counts[0]++;
      if (verbose)
        printf("killed    %s:%u:%u %s: %s\n", path, m->line, m->col, m->kind, m->description);
    } else {
      survived++;
      counts[1]++;
      printf("SURVIVED  %s:%u:%u %s: %s\n", path, m->line, m->col, m->kind, m->description);
    }
  }
  GList *kinds = g_hash_table_get_keys(per_kind);
  kinds = g_list_sort(kinds, (GCompareFunc) g_strcmp0);
  for (GList *l = kinds; l; l = l->next) {
    guint *counts = g_hash_table_lookup(per_kind, l->data);
    printf("%-8s %u killed, %u survived\n", (const char *) l->data, counts[0], counts[1]);
  }
  g_list_free(kinds);
  g_hash_table_unref(per_kind);
  printf("%u mutants: %u killed, %u survived, %u did not compile\n", killed + survived + stillborn,
         killed, survived, stillborn);
  if (survived)
    rc = REGEL_FAIL;
  g_ptr_array_unref(mutants);
out:
  if (program)
    reg_program_unref(program);
  g_ptr_array_unref(cases);
  g_ptr_array_unref(in.sources);
  g_ptr_array_unref(in.tests);
  return rc;
}
