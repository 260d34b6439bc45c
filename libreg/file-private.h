/* file-private.h: reading a whole file with a limit on its size. */
#pragma once

#include <glib.h>

typedef enum {
  REG_READ_FILE_OK,
  REG_READ_FILE_TOO_LARGE, /* more than the limit: nothing is returned */
  REG_READ_FILE_IO,        /* cannot be opened or read: *error says why */
} RegReadFileResult;

/*
 * Reads all of @path into a new buffer (NUL-terminated, *len without the NUL), unless it
 * holds more than @max bytes. Unlike g_file_get_contents(), a FIFO, a device such as
 * /dev/zero or a file that grows while it is read never makes it read more than @max + 1
 * bytes. On REG_READ_FILE_TOO_LARGE, *len is the size when the file system knows it
 * (regular files), else @max + 1.
 */
RegReadFileResult reg_read_file_limited(const char *path, gsize max, char **data, gsize *len,
                                        GError **error);
