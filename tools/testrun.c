/* testrun.c: running criteria test cases (shared by regel test and regel mutate). */
#include <string.h>

#include "coverage-private.h"
#include "evaluator-private.h"
#include "regel.h"
#include "testrun.h"

void
test_inputs_add_dir(Inputs *in, const char *dir, gboolean tests_too)
{
  GDir *d = g_dir_open(dir, 0, NULL);
  if (!d)
    return;
  GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
  const char *n;
  while ((n = g_dir_read_name(d)) != NULL)
    g_ptr_array_add(names, g_strdup(n));
  g_dir_close(d);
  g_ptr_array_sort(names, (GCompareFunc) g_strcmp0);
  for (guint i = 0; i < names->len; i++) {
    const char *name = g_ptr_array_index(names, i);
    char *path = g_build_filename(dir, name, NULL);
    if (g_str_has_suffix(name, ".regel"))
      g_ptr_array_add(in->sources, path);
    else if (g_str_has_suffix(name, ".regeltest") && tests_too)
      g_ptr_array_add(in->tests, path);
    else if (tests_too && strcmp(name, "tests") == 0 && g_file_test(path, G_FILE_TEST_IS_DIR)) {
      test_inputs_add_dir(in, path, FALSE);
      /* the tests directory holds test files only */
      GDir *td = g_dir_open(path, 0, NULL);
      GPtrArray *tn = g_ptr_array_new_with_free_func(g_free);
      const char *m;
      while (td && (m = g_dir_read_name(td)) != NULL)
        if (g_str_has_suffix(m, ".regeltest"))
          g_ptr_array_add(tn, g_build_filename(path, m, NULL));
      if (td)
        g_dir_close(td);
      g_ptr_array_sort(tn, (GCompareFunc) g_strcmp0);
      for (guint k = 0; k < tn->len; k++)
        g_ptr_array_add(in->tests, g_strdup(g_ptr_array_index(tn, k)));
      g_ptr_array_unref(tn);
      g_free(path);
    } else
      g_free(path);
  }
  g_ptr_array_unref(names);
}

/* Compiles the criteria with one more source; the diagnostics stay in @c. */
void
test_inputs_add_paths(Inputs *in, GPtrArray *paths)
{
  for (guint i = 0; i < MAX(paths->len, 1); i++) {
    const char *p = paths->len ? g_ptr_array_index(paths, i) : "rules";
    if (g_file_test(p, G_FILE_TEST_IS_DIR))
      test_inputs_add_dir(in, p, TRUE);
    else if (g_str_has_suffix(p, ".regeltest"))
      g_ptr_array_add(in->tests, g_strdup(p));
    else
      g_ptr_array_add(in->sources, g_strdup(p));
  }
}

RegProgram *
test_compile_with(Inputs *in, const char *extra_name, const char *extra, RegCompiler *c)
{
  for (guint i = 0; i < in->sources->len; i++)
    reg_compiler_add_path(c, g_ptr_array_index(in->sources, i), NULL);
  if (extra)
    reg_compiler_add_source(c, extra_name, extra, -1);
  return reg_compiler_compile(c, NULL);
}

/* Runs one case; appends a description of what went wrong to @why. */
gboolean
test_run_case(RegProgram *program, Inputs *in, TestCase *t, RegCoverage *cov, GString *why)
{
  if (t->kind == TC_DIAGNOSTIC) {
    g_autoptr(RegCompiler) c = reg_compiler_new();
    char *name = g_strdup_printf("%s:%u", t->file, t->line);
    RegProgram *p = test_compile_with(in, name, t->snippet, c);
    g_free(name);
    if (p) {
      reg_program_unref(p);
      g_string_append_printf(why, "    the snippet compiled; expected REG%04u \"%s\"\n", t->code,
                             t->message);
      return FALSE;
    }
    for (guint i = 0; i < reg_compiler_get_n_diagnostics(c); i++) {
      guint code;
      const char *msg = reg_compiler_get_diagnostic(c, i, &code, NULL, NULL, NULL);
      if (code == t->code && strstr(msg, t->message))
        return TRUE;
    }
    g_autofree char *all = reg_compiler_format_diagnostics(c);
    g_string_append_printf(why, "    expected REG%04u \"%s\"; the compiler said:\n%s", t->code,
                           t->message, all);
    return FALSE;
  }

  g_autoptr(RegEvaluator) ev = reg_evaluator_new(program);
  reg_evaluator_set_audit_fields(ev, FALSE);
  if (cov)
    reg_evaluator_set_trace(ev, reg_coverage_hooks(cov));
  GError *error = NULL;
  if ((t->as_of && !reg_evaluator_set_as_of(ev, t->as_of, &error)) ||
      (t->view && !reg_evaluator_set_view(ev, t->view, &error))) {
    g_string_append_printf(why, "    %s\n", error->message);
    g_error_free(error);
    return FALSE;
  }
  GString *out = g_string_new(NULL);
  gboolean decided = reg_evaluator_decide_json(ev, t->portfolio, -1, out, &error);
  gboolean ok;
  if (t->kind == TC_DATA_ERROR) {
    ok = !decided && error->domain == REG_EVAL_ERROR && error->code == REG_EVAL_ERROR_DATA &&
         strcmp(error->message, t->message) == 0;
    if (!ok)
      g_string_append_printf(why, "    expected the data error \"%s\", got %s%s%s\n", t->message,
                             decided ? "a decision: " : "the error \"",
                             decided ? out->str : error->message, decided ? "" : "\"");
  } else if (!decided) {
    g_string_append_printf(why, "    no decision: %s\n", error->message);
    ok = FALSE;
  } else {
    g_autoptr(JsonValue) actual = jv_parse(out->str, out->len, NULL);
    GPtrArray *diffs = g_ptr_array_new_with_free_func(g_free);
    ok = actual && jv_subset(t->expect, actual, "", diffs);
    for (guint i = 0; i < diffs->len; i++)
      g_string_append_printf(why, "    %s\n", (char *) g_ptr_array_index(diffs, i));
    g_ptr_array_unref(diffs);
  }
  if (error)
    g_error_free(error);
  g_string_free(out, TRUE);
  return ok;
}

