/* cmd-compile.c: `regel compile PATH... -o FILE`: write the compiled criteria. */
#include <string.h>

#include "regel.h"

int
regel_compile(int argc, char **argv)
{
  const char *out = NULL;
  GPtrArray *paths = g_ptr_array_new();
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
      out = argv[++i];
    else if (strcmp(argv[i], "--help") == 0) {
      printf("usage: regel compile PATH... -o FILE\n"
             "  Compiles criteria sources and writes the verified bytecode to FILE.\n");
      g_ptr_array_unref(paths);
      return REGEL_OK;
    } else
      g_ptr_array_add(paths, argv[i]);
  }
  if (!out || paths->len == 0) {
    fprintf(stderr, "usage: regel compile PATH... -o FILE\n");
    g_ptr_array_unref(paths);
    return REGEL_USAGE;
  }
  g_autoptr(GError) error = NULL;
  g_autoptr(RegProgram) p =
    regel_compile_paths((char **) paths->pdata, (int) paths->len, TRUE, &error);
  g_ptr_array_unref(paths);
  if (!p) {
    fprintf(stderr, "regel compile: %s\n", error->message);
    return REGEL_FAIL;
  }
  g_autoptr(GBytes) bytes = reg_program_get_bytes(p);
  gsize len;
  const char *data = g_bytes_get_data(bytes, &len);
  if (!g_file_set_contents(out, data, (gssize) len, &error)) {
    fprintf(stderr, "regel compile: %s\n", error->message);
    return REGEL_FAIL;
  }
  return REGEL_OK;
}
