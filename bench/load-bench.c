/* load-bench.c: how long compiling criteria and loading a compiled file take.
 *
 *   load-bench RULES [RUNS]
 *
 * RULES is a criteria file or directory (the shipped criteria: rules/). Prints one JSON
 * line: the median and minimum milliseconds over RUNS (default 200) of
 *   compile_ms   reading the sources, lexing, parsing, checking, generating, verifying
 *   load_ms      reg_program_new_from_bytes() of the compiled bytes: checks, verifier
 *   file_ms      reg_program_new_from_file() of the compiled file (written to a temporary)
 * and the size of the compiled program in bytes. The clock is read here, never in the
 * library.
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "libreg/libreg.h"

static double
now_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec * 1e3 + (double) ts.tv_nsec / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

/* median and minimum of @n timings (sorts them) */
static void
stats(double *t, int n, double *median, double *min)
{
  qsort(t, (size_t) n, sizeof *t, cmp_double);
  *median = n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
  *min = t[0];
}

static RegProgram *
compile(const char *path)
{
  g_autoptr(RegCompiler) c = reg_compiler_new();
  GError *error = NULL;
  RegProgram *p = NULL;
  if (reg_compiler_add_path(c, path, &error))
    p = reg_compiler_compile(c, &error);
  if (!p) {
    g_autofree char *d = reg_compiler_format_diagnostics(c);
    fprintf(stderr, "load-bench: %s\n%s", error ? error->message : "?", d);
    exit(2);
  }
  return p;
}

int
main(int argc, char **argv)
{
  if (argc < 2) {
    fprintf(stderr, "usage: load-bench RULES [RUNS]\n");
    return 2;
  }
  int runs = argc > 2 ? atoi(argv[2]) : 200;
  if (runs < 1)
    runs = 1;
  double *tc = g_new(double, runs), *tl = g_new(double, runs), *tf = g_new(double, runs);

  RegProgram *first = compile(argv[1]);
  GBytes *bytes = reg_program_get_bytes(first);
  g_autofree char *tmp = NULL;
  int fd = g_file_open_tmp("load-bench-XXXXXX.regb", &tmp, NULL);
  gsize size = 0;
  const void *data = g_bytes_get_data(bytes, &size);
  if (fd < 0 || !g_file_set_contents(tmp, data, (gssize) size, NULL)) {
    fprintf(stderr, "load-bench: cannot write a temporary file\n");
    return 2;
  }
  close(fd);

  for (int i = 0; i < runs; i++) {
    double t0 = now_ms();
    RegProgram *p = compile(argv[1]);
    double t1 = now_ms();
    reg_program_unref(p);
    GError *error = NULL;
    p = reg_program_new_from_bytes(bytes, &error);
    double t2 = now_ms();
    if (!p) {
      fprintf(stderr, "load-bench: %s\n", error->message);
      return 2;
    }
    reg_program_unref(p);
    p = reg_program_new_from_file(tmp, &error);
    double t3 = now_ms();
    if (!p) {
      fprintf(stderr, "load-bench: %s\n", error->message);
      return 2;
    }
    reg_program_unref(p);
    tc[i] = t1 - t0;
    tl[i] = t2 - t1;
    tf[i] = t3 - t2;
  }
  double cm, cn, lm, ln, fm, fn;
  stats(tc, runs, &cm, &cn);
  stats(tl, runs, &lm, &ln);
  stats(tf, runs, &fm, &fn);
  printf("{\"rules\":\"%s\",\"runs\":%d,\"bytes\":%" G_GSIZE_FORMAT ","
         "\"compile_ms_median\":%.3f,\"compile_ms_min\":%.3f,"
         "\"load_ms_median\":%.4f,\"load_ms_min\":%.4f,"
         "\"file_ms_median\":%.4f,\"file_ms_min\":%.4f}\n",
         argv[1], runs, size, cm, cn, lm, ln, fm, fn);
  g_unlink(tmp);
  g_bytes_unref(bytes);
  reg_program_unref(first);
  g_free(tc);
  g_free(tl);
  g_free(tf);
  return 0;
}
