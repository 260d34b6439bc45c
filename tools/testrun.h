/* testrun.h: running criteria test cases (shared by regel test and regel mutate). */
#pragma once

#include "coverage-private.h"
#include "libreg/libreg.h"
#include "testfile.h"

typedef struct {
  GPtrArray *sources; /* criteria files (char*) */
  GPtrArray *tests;   /* test files (char*) */
} Inputs;

/* Adds a directory's *.regel files, and with @tests_too its *.regeltest files and tests/. */
void test_inputs_add_dir(Inputs *in, const char *dir, gboolean tests_too);
/* Adds each of @paths: a directory (test_inputs_add_dir with tests), a .regeltest file, or a
 * criteria file; no paths means the directory rules. */
void test_inputs_add_paths(Inputs *in, GPtrArray *paths);
/* Compiles the criteria files, plus @extra (a source named @extra_name) when given. */
RegProgram *test_compile_with(Inputs *in, const char *extra_name, const char *extra,
                              RegCompiler *c);
/* Runs one case; what went wrong is appended to @why. */
gboolean test_run_case(RegProgram *program, Inputs *in, TestCase *t, RegCoverage *cov,
                       GString *why);
