/* file.c: reading a whole file with a limit on its size. */
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file-private.h"

RegReadFileResult
reg_read_file_limited(const char *path, gsize max, char **data, gsize *len, GError **error)
{
  *data = NULL;
  *len = 0;
  int fd = g_open(path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0) {
    int e = errno;
    g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e), "Failed to open file “%s”: %s",
                path, g_strerror(e));
    return REG_READ_FILE_IO;
  }
  struct stat st;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (guint64) st.st_size > max) {
    /* refused before it is read */
    *len = (gsize) st.st_size;
    close(fd);
    return REG_READ_FILE_TOO_LARGE;
  }
  gsize cap = 4096, n = 0;
  char *buf = g_malloc(cap);
  for (;;) {
    if (n == cap - 1) {
      if (cap - 1 > max)
        break; /* read max + 1 bytes: too large */
      cap = MIN(cap * 2, max + 2);
      buf = g_realloc(buf, cap);
    }
    ssize_t r = read(fd, buf + n, cap - 1 - n);
    if (r < 0) {
      if (errno == EINTR)
        continue;
      int e = errno;
      g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e), "Failed to read from file “%s”: %s",
                  path, g_strerror(e));
      g_free(buf);
      close(fd);
      return REG_READ_FILE_IO;
    }
    if (r == 0)
      break;
    n += (gsize) r;
  }
  close(fd);
  if (n > max) {
    g_free(buf);
    *len = n;
    return REG_READ_FILE_TOO_LARGE;
  }
  buf[n] = '\0';
  *data = buf;
  *len = n;
  return REG_READ_FILE_OK;
}
