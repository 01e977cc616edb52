/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "assay-file.h"

#define TARGET_KEY "assay-file-target"
#define TEMP_KEY   "assay-file-temp"

/* "cannot write PATH: REASON" (@what: "cannot write in the folder", ...) */
static gboolean
fail_errno (GError     **error,
            int          saved,
            const char  *what,
            const char  *path)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s %s: %s", what, path,
               g_strerror (saved));
  return FALSE;
}

/* 0666 less the umask, as open() would give a new file; read from /proc, since umask() cannot be
 * read without setting it, and setting it races with other threads */
static mode_t
new_file_mode (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (g_file_get_contents ("/proc/self/status", &status, NULL, NULL)
      && (line = strstr (status, "\nUmask:")) != NULL)
    return 0666 & ~(mode_t) g_ascii_strtoull (line + 7, NULL, 8);
  return 0644;
}

GOutputStream *
assay_file_replace_begin (const char  *path,
                          GError     **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *temp = NULL;
  g_autoptr(GFile) temp_file = NULL;
  g_autoptr(GFileOutputStream) stream = NULL;
  GStatBuf st;
  mode_t mode;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  if (g_stat (path, &st) == 0)
    {
      if (S_ISDIR (st.st_mode))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY,
                       "%s is a folder: give a file name inside it", path);
          return NULL;
        }
      if (!S_ISREG (st.st_mode))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                       "%s is not a regular file (a pipe or a device): give a file name", path);
          return NULL;
        }
      mode = st.st_mode & 07777;
    }
  else
    mode = new_file_mode ();

  dir = g_path_get_dirname (path);
  base = g_path_get_basename (path);
  temp = g_strdup_printf ("%s%c.%s.XXXXXX", dir, G_DIR_SEPARATOR, base);
  fd = g_mkstemp_full (temp, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;

      if (saved == ENOENT || saved == ENOTDIR)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                     "the folder %s does not exist: create it or choose another", dir);
      else
        fail_errno (error, saved, "cannot write in the folder", dir);
      return NULL;
    }
  /* the file gets the target's permissions, or the usual ones for a new file */
  if (fchmod (fd, mode) != 0)
    g_debug ("cannot set the mode of %s: %s", temp, g_strerror (errno));
  close (fd);

  temp_file = g_file_new_for_path (temp);
  stream = g_file_append_to (temp_file, G_FILE_CREATE_NONE, NULL, error);
  if (stream == NULL)
    {
      g_unlink (temp);
      return NULL;
    }
  g_object_set_data_full (G_OBJECT (stream), TARGET_KEY, g_strdup (path), g_free);
  g_object_set_data_full (G_OBJECT (stream), TEMP_KEY, g_steal_pointer (&temp), g_free);
  return G_OUTPUT_STREAM (g_steal_pointer (&stream));
}

void
assay_file_replace_abort (GOutputStream *stream)
{
  const char *temp;

  g_return_if_fail (G_IS_OUTPUT_STREAM (stream));

  temp = g_object_get_data (G_OBJECT (stream), TEMP_KEY);
  if (!g_output_stream_is_closed (stream))
    g_output_stream_close (stream, NULL, NULL);
  if (temp != NULL)
    g_unlink (temp);
  g_object_set_data (G_OBJECT (stream), TEMP_KEY, NULL);
}

static gboolean
sync_path (const char  *path,
           int          flags,
           GError     **error)
{
  int fd = g_open (path, flags | O_CLOEXEC, 0);

  if (fd < 0)
    return fail_errno (error, errno, "cannot write", path);
  if (fsync (fd) != 0 && errno != EINVAL)
    {
      int saved = errno;

      close (fd);
      return fail_errno (error, saved, "cannot write", path);
    }
  close (fd);
  return TRUE;
}

gboolean
assay_file_replace_commit (GOutputStream  *stream,
                           GCancellable   *cancellable,
                           GError        **error)
{
  const char *target, *temp;
  g_autofree char *dir = NULL;

  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);

  target = g_object_get_data (G_OBJECT (stream), TARGET_KEY);
  temp = g_object_get_data (G_OBJECT (stream), TEMP_KEY);
  g_return_val_if_fail (target != NULL && temp != NULL, FALSE);

  if (!g_output_stream_close (stream, cancellable, error)
      || !sync_path (temp, O_RDONLY, error))
    {
      assay_file_replace_abort (stream);
      return FALSE;
    }
  if (g_rename (temp, target) != 0)
    {
      int saved = errno;

      assay_file_replace_abort (stream);
      if (saved == EISDIR)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY,
                     "%s is a folder: give a file name inside it", target);
      else
        fail_errno (error, saved, "cannot write", target);
      return FALSE;
    }
  g_object_set_data (G_OBJECT (stream), TEMP_KEY, NULL);
  /* the rename itself reaches the disk with the folder */
  dir = g_path_get_dirname (target);
  sync_path (dir, O_RDONLY | O_DIRECTORY, NULL);
  return TRUE;
}

gboolean
assay_file_write_atomic (const char    *path,
                         const void    *data,
                         gsize          length,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autoptr(GOutputStream) stream = assay_file_replace_begin (path, error);

  if (stream == NULL)
    return FALSE;
  if (!g_output_stream_write_all (stream, data, length, NULL, cancellable, error))
    {
      assay_file_replace_abort (stream);
      return FALSE;
    }
  return assay_file_replace_commit (stream, cancellable, error);
}

static void
write_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  g_autofree char *path = g_file_get_path (G_FILE (source));
  GBytes *bytes = task_data;
  GError *error = NULL;
  gsize length = 0;
  const void *data = g_bytes_get_data (bytes, &length);

  if (path == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               "only a local file can be written: choose a folder on this "
                               "computer");
      return;
    }
  if (!assay_file_write_atomic (path, data, length, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
assay_file_write_atomic_async (GFile               *file,
                               GBytes              *bytes,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (bytes != NULL);

  task = g_task_new (file, cancellable, callback, user_data);
  g_task_set_source_tag (task, assay_file_write_atomic_async);
  g_task_set_task_data (task, g_bytes_ref (bytes), (GDestroyNotify) g_bytes_unref);
  g_task_run_in_thread (task, write_thread);
}

gboolean
assay_file_write_atomic_finish (GFile         *file,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, file), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
