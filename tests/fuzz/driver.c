/* driver.c: runs a fuzz target without libFuzzer: each input file (or file in a directory) once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

static int
cmp_str(gconstpointer a, gconstpointer b)
{
  return strcmp(*(char *const *) a, *(char *const *) b);
}

/* Adds @path, or every file below it when it is a directory (dot files skipped), in name order. */
static void
collect(const char *path, GPtrArray *files)
{
  if (!g_file_test(path, G_FILE_TEST_IS_DIR)) {
    g_ptr_array_add(files, g_strdup(path));
    return;
  }
  GError *err = NULL;
  GDir *dir = g_dir_open(path, 0, &err);
  if (!dir) {
    fprintf(stderr, "%s\n", err->message);
    exit(2);
  }
  GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
  const char *name;
  while ((name = g_dir_read_name(dir)) != NULL)
    if (name[0] != '.')
      g_ptr_array_add(names, g_build_filename(path, name, NULL));
  g_dir_close(dir);
  g_ptr_array_sort(names, cmp_str);
  for (guint i = 0; i < names->len; i++)
    collect(g_ptr_array_index(names, i), files);
  g_ptr_array_unref(names);
}

int
main(int argc, char **argv)
{
  LLVMFuzzerInitialize(&argc, &argv);
  GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
  for (int i = 1; i < argc; i++)
    collect(argv[i], files);
  if (files->len == 0) {
    /* an empty corpus would make the replay pass without testing anything */
    fprintf(stderr, "usage: %s FILE|DIR... (no inputs found)\n", argv[0]);
    return 2;
  }
  for (guint i = 0; i < files->len; i++) {
    const char *path = g_ptr_array_index(files, i);
    char *data = NULL;
    gsize len = 0;
    GError *err = NULL;
    if (!g_file_get_contents(path, &data, &len, &err)) {
      fprintf(stderr, "%s\n", err->message);
      return 2;
    }
    /* named first, so that a crash says which input it was */
    fprintf(stderr, "%s (%zu bytes)\n", path, (size_t) len);
    /* a copy of exactly @len bytes, so that ASan sees any read past the end */
    uint8_t *copy = g_malloc(len ? len : 1);
    memcpy(copy, data, len);
    g_free(data);
    LLVMFuzzerTestOneInput(copy, len);
    g_free(copy);
  }
  printf("%u inputs replayed\n", files->len);
  g_ptr_array_unref(files);
  return 0;
}
