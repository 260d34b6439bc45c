/* common.c: loading criteria for the subcommands (source or compiled), with diagnostics on stderr. */
#include <string.h>

#include "regel.h"

RegProgram *
regel_compile_paths(char **paths, int n, gboolean print_diagnostics, GError **error)
{
  g_autoptr(RegCompiler) c = reg_compiler_new();
  for (int i = 0; i < n; i++) {
    GError *local = NULL;
    if (!reg_compiler_add_path(c, paths[i], &local)) {
      g_propagate_error(error, local);
      return NULL;
    }
  }
  RegProgram *p = reg_compiler_compile(c, error);
  if (print_diagnostics && reg_compiler_get_n_diagnostics(c) > 0) {
    g_autofree char *text = reg_compiler_format_diagnostics(c);
    fputs(text, stderr);
  }
  return p;
}

static gboolean
is_compiled_file(const char *path)
{
  if (g_file_test(path, G_FILE_TEST_IS_DIR))
    return FALSE;
  FILE *f = fopen(path, "rb");
  if (!f)
    return FALSE;
  char magic[8] = { 0 };
  size_t n = fread(magic, 1, sizeof magic, f);
  fclose(f);
  return n == sizeof magic && memcmp(magic, "LREGBC\r\n", 8) == 0;
}

RegProgram *
regel_load_rules(const char *path, GError **error)
{
  if (is_compiled_file(path))
    return reg_program_new_from_file(path, error);
  char *paths[1] = { (char *) path };
  return regel_compile_paths(paths, 1, TRUE, error);
}
