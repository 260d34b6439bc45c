/* coverage-private.h: which conditions evaluations made true and false, and which rules ran. */
#pragma once

#include "vm-private.h"

typedef struct RegCoverage RegCoverage;

RegCoverage *reg_coverage_new(const RegProgram *p);
void reg_coverage_free(RegCoverage *c);
const RegTraceHooks *reg_coverage_hooks(RegCoverage *c);
/* Adds what @src saw to @dst (both of the same program). */
void reg_coverage_merge(RegCoverage *dst, const RegCoverage *src);
/*
 * A report per source file and rule: each condition with T (seen true) and F
 * (seen false). Returns the condition coverage in percent (outcomes seen of
 * twice the number of conditions; 100 when there are none).
 */
double reg_coverage_report(const RegCoverage *c, GString *out, gboolean only_missing);
