/* sha256-bench.c: SHA-256 throughput over the lines of a JSON Lines file, one at a time and in batches. */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sha256-private.h"

typedef struct {
  size_t n, bytes;
  const uint8_t **ptrs;
  size_t *lens;
  uint8_t (*out)[REG_SHA256_LEN];
} Lines;

/* -1: reg_sha256() per line; 0: reg_sha256_many() in batches; else 1 + the implementation. */
static void
hash_all(const Lines *ls, int how, size_t batch)
{
  if (how < 0) {
    for (size_t i = 0; i < ls->n; i++)
      reg_sha256(ls->ptrs[i], ls->lens[i], ls->out[i]);
    return;
  }
  for (size_t i = 0; i < ls->n; i += batch) {
    size_t k = MIN(batch, ls->n - i);
    if (how == 0)
      reg_sha256_many(k, ls->ptrs + i, ls->lens + i, ls->out + i);
    else
      reg_sha256_many_impl((RegSha256Impl) (how - 1), k, ls->ptrs + i, ls->lens + i,
                           ls->out + i);
  }
}

/* Microseconds of CPU time this process has used. */
static gint64
cpu_time(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/*
 * Runs @how @repeats times and prints the best wall-clock and the best CPU
 * MB/s (the second is the steadier one on a busy machine). The digests must
 * equal @want.
 */
static void
measure(const char *label, const Lines *ls, int how, size_t batch, int repeats,
        uint8_t (*want)[REG_SHA256_LEN], gboolean *ok)
{
  gint64 best = G_MAXINT64, best_cpu = G_MAXINT64;
  for (int r = 0; r < repeats; r++) {
    memset(ls->out, 0, ls->n * REG_SHA256_LEN);
    gint64 t0 = g_get_monotonic_time(), c0 = cpu_time();
    hash_all(ls, how, batch);
    gint64 t = g_get_monotonic_time() - t0, c = cpu_time() - c0;
    best = MIN(best, t);
    best_cpu = MIN(best_cpu, c);
  }
  if (want && memcmp(want, ls->out, ls->n * REG_SHA256_LEN) != 0)
    *ok = FALSE;
  printf("%-30s %8.1f MB/s  (cpu %8.1f MB/s)\n", label,
         (double) ls->bytes / (double) MAX(best, 1), (double) ls->bytes / (double) MAX(best_cpu, 1));
}

int
main(int argc, char **argv)
{
  if (argc < 2 || argc > 4) {
    fprintf(stderr, "usage: %s FILE.jsonl [BATCH] [REPEATS]\n", argv[0]);
    return 2;
  }
  long batch_arg = argc >= 3 ? atol(argv[2]) : 64;
  size_t batch = batch_arg > 0 ? (size_t) batch_arg : 64;
  int repeats = argc == 4 ? atoi(argv[3]) : 5;
  if (repeats < 1)
    repeats = 1;

  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gsize size = 0;
  if (!g_file_get_contents(argv[1], &data, &size, &error)) {
    fprintf(stderr, "%s\n", error->message);
    return 1;
  }

  /* The lines, without their newlines, found once before timing. */
  Lines ls = { 0 };
  g_autoptr(GArray) ptrs = g_array_new(FALSE, FALSE, sizeof(const uint8_t *));
  g_autoptr(GArray) lens = g_array_new(FALSE, FALSE, sizeof(size_t));
  const char *p = data, *end = data + size;
  while (p < end) {
    const char *nl = memchr(p, '\n', (size_t) (end - p));
    const char *le = nl != NULL ? nl : end;
    const uint8_t *lp = (const uint8_t *) p;
    size_t len = (size_t) (le - p);
    g_array_append_val(ptrs, lp);
    g_array_append_val(lens, len);
    ls.bytes += len;
    p = nl != NULL ? nl + 1 : end;
  }
  ls.n = ptrs->len;
  ls.ptrs = (const uint8_t **) (void *) ptrs->data;
  ls.lens = (size_t *) (void *) lens->data;
  ls.out = g_malloc_n(ls.n + 1, REG_SHA256_LEN);
  uint8_t (*want)[REG_SHA256_LEN] = g_malloc_n(ls.n + 1, REG_SHA256_LEN);

  printf("lines %zu  bytes %zu (mean %.0f per line)  batch %zu  best of %d\n", ls.n, ls.bytes,
         ls.n ? (double) ls.bytes / (double) ls.n : 0.0, batch, repeats);

  gboolean ok = TRUE;
  char label[64];
  measure("reg_sha256 per line", &ls, -1, batch, repeats, NULL, &ok);
  memcpy(want, ls.out, ls.n * REG_SHA256_LEN);
  snprintf(label, sizeof label, "reg_sha256_many (%s)", reg_sha256_impl_name(reg_sha256_impl_best()));
  measure(label, &ls, 0, batch, repeats, want, &ok);
  for (int i = 0; i < REG_SHA256_N_IMPLS; i++) {
    if (!reg_sha256_impl_available((RegSha256Impl) i))
      continue;
    snprintf(label, sizeof label, "  many_impl %s", reg_sha256_impl_name((RegSha256Impl) i));
    measure(label, &ls, 1 + i, batch, repeats, want, &ok);
  }

  g_free(want);
  g_free(ls.out);
  if (!ok) {
    fprintf(stderr, "digests differ between implementations\n");
    return 1;
  }
  return 0;
}
