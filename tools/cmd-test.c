/* cmd-test.c: `regel test`: runs the criteria's own test cases, with condition coverage. */
#include <string.h>

#include "coverage-private.h"
#include "evaluator-private.h"
#include "regel.h"
#include "testfile.h"
#include "testrun.h"

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
  test_inputs_add_paths(&in, paths);
  g_ptr_array_unref(paths);

  int rc = REGEL_OK;
  g_autoptr(RegCompiler) c = reg_compiler_new();
  RegProgram *program = test_compile_with(&in, NULL, NULL, c);
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
    gboolean ok = test_run_case(program, &in, t, cov, why);
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
