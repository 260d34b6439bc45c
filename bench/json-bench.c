/* json-bench.c: throughput of reg_json_validate over a JSON Lines file, one line at a time. */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json-private.h"

int
main(int argc, char **argv)
{
  if (argc < 2 || argc > 3) {
    fprintf(stderr, "usage: %s FILE.jsonl [REPEATS]\n", argv[0]);
    return 2;
  }
  int repeats = argc == 3 ? atoi(argv[2]) : 5;
  if (repeats < 1)
    repeats = 1;

  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gsize size = 0;
  if (!g_file_get_contents(argv[1], &data, &size, &error)) {
    fprintf(stderr, "%s\n", error->message);
    return 1;
  }

  /* Line boundaries first, so the timing covers reg_json_validate only. */
  g_autoptr(GArray) starts = g_array_new(FALSE, FALSE, sizeof(size_t));
  g_autoptr(GArray) lens = g_array_new(FALSE, FALSE, sizeof(size_t));
  for (const char *p = data, *end = data + size; p < end;) {
    const char *nl = memchr(p, '\n', (size_t) (end - p));
    const char *le = nl != NULL ? nl : end;
    if (le > p) {
      size_t off = (size_t) (p - data), len = (size_t) (le - p);
      g_array_append_val(starts, off);
      g_array_append_val(lens, len);
    }
    p = nl != NULL ? nl + 1 : end;
  }
  size_t lines = starts->len, bytes = 0, invalid = 0;
  for (size_t i = 0; i < lines; i++)
    bytes += g_array_index(lens, size_t, i);

  /* Best of REPEATS runs over all lines. */
  gint64 best = G_MAXINT64;
  for (int r = 0; r < repeats; r++) {
    invalid = 0;
    gint64 t0 = g_get_monotonic_time();
    for (size_t i = 0; i < lines; i++)
      invalid += reg_json_validate(data + g_array_index(starts, size_t, i), g_array_index(lens, size_t, i), 64) != REG_JSON_OK;
    gint64 t = g_get_monotonic_time() - t0;
    if (t < best)
      best = t;
  }
  double secs = (double) best / 1e6;
  printf("lines %zu  invalid %zu  bytes %zu (without newlines)  seconds %.4f  MB/s %.1f  (best of %d)\n",
         lines, invalid, bytes, secs, secs > 0 ? (double) bytes / 1e6 / secs : 0.0, repeats);
  return invalid ? 1 : 0;
}
