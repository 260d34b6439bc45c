/* cmd-fmt.c: `regel fmt [--check] PATH...`: lays criteria files out in the canonical way. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "compiler-private.h"
#include "file-private.h"
#include "format.h"
#include "regel.h"

static int
usage(FILE *out, int status)
{
  fprintf(out,
          "usage: regel fmt [--check] PATH...\n"
          "  Rewrites criteria files (or the *.regel files of directories) in the canonical\n"
          "  layout: one declaration per line group, fields indented two spaces, 'geldt vanaf'\n"
          "  and 'bron' on lines of their own, spaces around operators, long expressions\n"
          "  broken at en/of/anders. Comments are kept, and keywords keep their language.\n"
          "  Only files that change are written; their names are printed.\n"
          "  A file that does not parse is left alone and its diagnostics are printed.\n"
          "  PATH '-' reads standard input and writes the result to standard output.\n"
          "\n"
          "  --check  write nothing; list the files that are not formatted (exit 1 if any)\n"
          "\n"
          "  Exit 0 when every file is (or now is) formatted, 1 when a file is not formatted\n"
          "  (--check) or does not parse, 2 on a usage or file error.\n");
  return status;
}

static gint
cmp_str(gconstpointer a, gconstpointer b)
{
  return strcmp(*(char *const *) a, *(char *const *) b);
}

/* The files a path stands for: itself, or the *.regel files of a directory. */
static gboolean
expand(const char *path, GPtrArray *files)
{
  if (strcmp(path, "-") == 0 || !g_file_test(path, G_FILE_TEST_IS_DIR)) {
    g_ptr_array_add(files, g_strdup(path));
    return TRUE;
  }
  g_autoptr(GError) error = NULL;
  GDir *dir = g_dir_open(path, 0, &error);
  if (!dir) {
    fprintf(stderr, "regel fmt: %s\n", error->message);
    return FALSE;
  }
  GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
  const char *n;
  while ((n = g_dir_read_name(dir)) != NULL)
    if (g_str_has_suffix(n, ".regel"))
      g_ptr_array_add(names, g_build_filename(path, n, NULL));
  g_dir_close(dir);
  g_ptr_array_sort(names, cmp_str);
  if (names->len == 0)
    fprintf(stderr, "regel fmt: %s: no *.regel files\n", path);
  gboolean ok = names->len > 0;
  for (guint i = 0; i < names->len; i++)
    g_ptr_array_add(files, g_strdup(g_ptr_array_index(names, i)));
  g_ptr_array_unref(names);
  return ok;
}

/* REGEL_OK, REGEL_FAIL (not formatted under --check, or a syntax error) or REGEL_USAGE. */
static int
format_one(const char *path, gboolean check)
{
  gboolean is_stdin = strcmp(path, "-") == 0;
  const char *shown = is_stdin ? "<stdin>" : path;
  g_autofree char *text = NULL;
  gsize len = 0;
  g_autoptr(GError) error = NULL;
  /* criteria files have the compiler's size limit here too */
  switch (reg_read_file_limited(is_stdin ? "/dev/stdin" : path, REG_MAX_SOURCE_SIZE, &text, &len,
                                &error)) {
  case REG_READ_FILE_TOO_LARGE:
    fprintf(stderr, "regel fmt: %s: criteria file is %zu bytes; the limit is %u\n", shown,
            (size_t) len, REG_MAX_SOURCE_SIZE);
    return REGEL_USAGE;
  case REG_READ_FILE_IO:
    fprintf(stderr, "regel fmt: %s\n", error->message);
    return REGEL_USAGE;
  case REG_READ_FILE_OK:
  default:
    break;
  }
  g_autofree char *out = reg_format_source(shown, text, len, &error);
  if (!out) {
    if (g_error_matches(error, REG_FORMAT_ERROR, REG_FORMAT_ERROR_SYNTAX)) {
      fputs(error->message, stderr);
      fprintf(stderr, "regel fmt: %s does not parse; not formatted\n", shown);
      return REGEL_FAIL;
    }
    fprintf(stderr, "regel fmt: %s\n", error->message);
    return REGEL_USAGE;
  }
  gsize outlen = strlen(out);
  gboolean changed = outlen != len || memcmp(out, text, len) != 0;
  if (is_stdin) {
    if (check) {
      if (changed)
        printf("%s\n", shown);
      return changed ? REGEL_FAIL : REGEL_OK;
    }
    fwrite(out, 1, outlen, stdout);
    return REGEL_OK;
  }
  if (!changed)
    return REGEL_OK;
  printf("%s\n", path);
  if (check)
    return REGEL_FAIL;
  struct stat st;
  int mode = stat(path, &st) == 0 ? (int) (st.st_mode & 07777) : 0644;
  if (!g_file_set_contents_full(path, out, (gssize) outlen, G_FILE_SET_CONTENTS_CONSISTENT, mode,
                                &error)) {
    fprintf(stderr, "regel fmt: %s\n", error->message);
    return REGEL_USAGE;
  }
  return REGEL_OK;
}

int
regel_fmt(int argc, char **argv)
{
  gboolean check = FALSE;
  int first = 1;
  for (; first < argc && argv[first][0] == '-' && argv[first][1] != '\0'; first++) {
    if (strcmp(argv[first], "--help") == 0 || strcmp(argv[first], "-h") == 0)
      return usage(stdout, REGEL_OK);
    if (strcmp(argv[first], "--check") == 0) {
      check = TRUE;
    } else if (strcmp(argv[first], "--") == 0) {
      first++;
      break;
    } else {
      fprintf(stderr, "regel fmt: unknown option '%s'\n", argv[first]);
      return usage(stderr, REGEL_USAGE);
    }
  }
  if (first >= argc)
    return usage(stderr, REGEL_USAGE);
  GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
  int status = REGEL_OK;
  for (int i = first; i < argc; i++)
    if (!expand(argv[i], files))
      status = REGEL_USAGE;
  for (guint i = 0; i < files->len; i++) {
    int s = format_one(g_ptr_array_index(files, i), check);
    if (s > status)
      status = s;
  }
  g_ptr_array_unref(files);
  return status;
}
