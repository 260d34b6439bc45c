/* cmd-test.c: `regel test`: runs the criteria's own test cases, with condition coverage. */
#include <string.h>

#include "coverage-private.h"
#include "evaluator-private.h"
#include "regel.h"
#include "testfile.h"

typedef struct {
  GPtrArray *sources; /* criteria files (char*) */
  GPtrArray *tests;   /* test files (char*) */
} Inputs;

static void
add_dir(Inputs *in, const char *dir, gboolean tests_too)
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
      add_dir(in, path, FALSE);
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

static void
xml_escape(GString *s, const char *t)
{
  for (; *t; t++) {
    switch (*t) {
    case '<':
      g_string_append(s, "&lt;");
      break;
    case '>':
      g_string_append(s, "&gt;");
      break;
    case '&':
      g_string_append(s, "&amp;");
      break;
    case '"':
      g_string_append(s, "&quot;");
      break;
    default:
      g_string_append_c(s, *t);
    }
  }
}

/* Compiles the criteria with one more source; the diagnostics stay in @c. */
static RegProgram *
compile_with(Inputs *in, const char *extra_name, const char *extra, RegCompiler *c)
{
  for (guint i = 0; i < in->sources->len; i++)
    reg_compiler_add_path(c, g_ptr_array_index(in->sources, i), NULL);
  if (extra)
    reg_compiler_add_source(c, extra_name, extra, -1);
  return reg_compiler_compile(c, NULL);
}

/* Runs one case; appends a description of what went wrong to @why. */
static gboolean
run_case(RegProgram *program, Inputs *in, TestCase *t, RegCoverage *cov, GString *why)
{
  if (t->kind == TC_DIAGNOSTIC) {
    g_autoptr(RegCompiler) c = reg_compiler_new();
    char *name = g_strdup_printf("%s:%u", t->file, t->line);
    RegProgram *p = compile_with(in, name, t->snippet, c);
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

int
regel_test(int argc, char **argv)
{
  const char *junit = NULL;
  gboolean coverage = FALSE, verbose = FALSE;
  double min_coverage = -1;
  Inputs in = { g_ptr_array_new_with_free_func(g_free), g_ptr_array_new_with_free_func(g_free) };
  GPtrArray *paths = g_ptr_array_new();
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--junit") == 0 && i + 1 < argc)
      junit = argv[++i];
    else if (strcmp(argv[i], "--coverage") == 0)
      coverage = TRUE;
    else if (strcmp(argv[i], "--min-coverage") == 0 && i + 1 < argc) {
      coverage = TRUE;
      min_coverage = g_ascii_strtod(argv[++i], NULL);
    } else if (strcmp(argv[i], "--verbose") == 0 || strcmp(argv[i], "-v") == 0)
      verbose = TRUE;
    else if (strcmp(argv[i], "--help") == 0) {
      printf("usage: regel test [--junit FILE] [--coverage] [--min-coverage PCT] [PATH...]\n"
             "  Runs the test cases (*.regeltest, also in a tests/ directory) of the criteria\n"
             "  in PATH (default: rules). Prints a diff for each failure; the last line is\n"
             "  'N passed, N failed'. Exit 1 on any failure or coverage below PCT.\n");
      g_ptr_array_unref(paths);
      return REGEL_OK;
    } else if (argv[i][0] == '-' && argv[i][1] == '-') {
      fprintf(stderr, "regel test: unknown option %s\n", argv[i]);
      g_ptr_array_unref(paths);
      return REGEL_USAGE;
    } else
      g_ptr_array_add(paths, argv[i]);
  }
  if (paths->len == 0)
    g_ptr_array_add(paths, "rules");
  for (guint i = 0; i < paths->len; i++) {
    const char *p = g_ptr_array_index(paths, i);
    if (g_file_test(p, G_FILE_TEST_IS_DIR))
      add_dir(&in, p, TRUE);
    else if (g_str_has_suffix(p, ".regeltest"))
      g_ptr_array_add(in.tests, g_strdup(p));
    else
      g_ptr_array_add(in.sources, g_strdup(p));
  }
  g_ptr_array_unref(paths);

  int rc = REGEL_OK;
  g_autoptr(RegCompiler) c = reg_compiler_new();
  RegProgram *program = compile_with(&in, NULL, NULL, c);
  if (!program) {
    g_autofree char *d = reg_compiler_format_diagnostics(c);
    fputs(d, stderr);
    fprintf(stderr, "regel test: the criteria do not compile\n");
    rc = REGEL_USAGE;
    goto out;
  }
  GPtrArray *cases = g_ptr_array_new_with_free_func((GDestroyNotify) test_case_free);
  for (guint i = 0; i < in.tests->len; i++) {
    GError *error = NULL;
    if (!test_file_read(g_ptr_array_index(in.tests, i), cases, &error)) {
      fprintf(stderr, "regel test: %s\n", error->message);
      g_error_free(error);
      rc = REGEL_USAGE;
    }
  }
  RegCoverage *cov = coverage ? reg_coverage_new(program) : NULL;
  guint passed = 0, failed = 0;
  GString *xml = g_string_new(NULL);
  for (guint i = 0; i < cases->len; i++) {
    TestCase *t = g_ptr_array_index(cases, i);
    GString *why = g_string_new(NULL);
    gboolean ok = run_case(program, &in, t, cov, why);
    if (ok) {
      passed++;
      if (verbose)
        printf("ok   %s:%u %s\n", t->file, t->line, t->name);
    } else {
      failed++;
      printf("FAIL %s:%u %s\n%s", t->file, t->line, t->name, why->str);
    }
    g_string_append(xml, "  <testcase classname=\"");
    xml_escape(xml, t->file);
    g_string_append(xml, "\" name=\"");
    xml_escape(xml, t->name);
    g_string_append(xml, "\"");
    if (ok) {
      g_string_append(xml, "/>\n");
    } else {
      g_string_append(xml, ">\n    <failure message=\"criteria test failed\">");
      xml_escape(xml, why->str);
      g_string_append(xml, "</failure>\n  </testcase>\n");
    }
    g_string_free(why, TRUE);
  }
  if (cov) {
    GString *report = g_string_new(NULL);
    double pct = reg_coverage_report(cov, report, FALSE);
    fputs(report->str, stdout);
    g_string_free(report, TRUE);
    if (min_coverage >= 0 && pct + 1e-9 < min_coverage) {
      printf("condition coverage %.1f%% is below the required %.1f%%\n", pct, min_coverage);
      rc = REGEL_FAIL;
    }
    reg_coverage_free(cov);
  }
  if (junit) {
    GString *doc = g_string_new("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    g_string_append_printf(doc, "<testsuite name=\"regel test\" tests=\"%u\" failures=\"%u\">\n",
                           passed + failed, failed);
    g_string_append(doc, xml->str);
    g_string_append(doc, "</testsuite>\n");
    GError *error = NULL;
    if (!g_file_set_contents(junit, doc->str, (gssize) doc->len, &error)) {
      fprintf(stderr, "regel test: %s\n", error->message);
      g_error_free(error);
      rc = REGEL_USAGE;
    }
    g_string_free(doc, TRUE);
  }
  g_string_free(xml, TRUE);
  printf("%u passed, %u failed\n", passed, failed);
  if (failed && rc == REGEL_OK)
    rc = REGEL_FAIL;
  g_ptr_array_unref(cases);
  reg_program_unref(program);
out:
  g_ptr_array_unref(in.sources);
  g_ptr_array_unref(in.tests);
  return rc;
}
