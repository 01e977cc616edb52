/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "assay-growing-file.h"

struct _AssayGrowingFile
{
  GObject  parent_instance;

  int      fd;
  char    *path;
  GMutex   lock;     /* guards everything below */
  GCond    grown;    /* signalled when available, complete or error change, or on cancel */
  goffset  available;
  goffset  total;
  gboolean complete;
  GError  *error;
};

G_DEFINE_FINAL_TYPE (AssayGrowingFile, assay_growing_file, G_TYPE_OBJECT)

static void
assay_growing_file_finalize (GObject *object)
{
  AssayGrowingFile *self = ASSAY_GROWING_FILE (object);

  if (self->fd >= 0)
    close (self->fd);
  g_free (self->path);
  g_clear_error (&self->error);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->grown);
  G_OBJECT_CLASS (assay_growing_file_parent_class)->finalize (object);
}

static void
assay_growing_file_class_init (AssayGrowingFileClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = assay_growing_file_finalize;
}

static void
assay_growing_file_init (AssayGrowingFile *self)
{
  self->fd = -1;
  self->total = -1;
  g_mutex_init (&self->lock);
  g_cond_init (&self->grown);
}

AssayGrowingFile *
assay_growing_file_new (const char  *path,
                        goffset      total,
                        GError     **error)
{
  g_autoptr(AssayGrowingFile) self = NULL;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);
  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int e = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (e),
                   _("Cannot read the recording being fetched (%s): %s"), path, g_strerror (e));
      return NULL;
    }
  self = g_object_new (ASSAY_TYPE_GROWING_FILE, NULL);
  self->fd = fd;
  self->path = g_strdup (path);
  self->total = total;
  return g_steal_pointer (&self);
}

void
assay_growing_file_set_available (AssayGrowingFile *self,
                                  goffset           available)
{
  g_return_if_fail (ASSAY_IS_GROWING_FILE (self));
  g_mutex_lock (&self->lock);
  if (available > self->available)
    self->available = available;
  g_cond_broadcast (&self->grown);
  g_mutex_unlock (&self->lock);
}

void
assay_growing_file_complete (AssayGrowingFile *self)
{
  g_return_if_fail (ASSAY_IS_GROWING_FILE (self));
  g_mutex_lock (&self->lock);
  self->complete = TRUE;
  self->total = self->available;
  g_cond_broadcast (&self->grown);
  g_mutex_unlock (&self->lock);
}

void
assay_growing_file_fail (AssayGrowingFile *self,
                         const GError     *error)
{
  g_return_if_fail (ASSAY_IS_GROWING_FILE (self));
  g_return_if_fail (error != NULL);
  g_mutex_lock (&self->lock);
  if (self->error == NULL && !self->complete)
    self->error = g_error_copy (error);
  g_cond_broadcast (&self->grown);
  g_mutex_unlock (&self->lock);
}

goffset
assay_growing_file_get_available (AssayGrowingFile *self)
{
  goffset available;

  g_return_val_if_fail (ASSAY_IS_GROWING_FILE (self), 0);
  g_mutex_lock (&self->lock);
  available = self->available;
  g_mutex_unlock (&self->lock);
  return available;
}

goffset
assay_growing_file_get_total (AssayGrowingFile *self)
{
  goffset total;

  g_return_val_if_fail (ASSAY_IS_GROWING_FILE (self), -1);
  g_mutex_lock (&self->lock);
  total = self->total;
  g_mutex_unlock (&self->lock);
  return total;
}

gboolean
assay_growing_file_is_complete (AssayGrowingFile *self)
{
  gboolean complete;

  g_return_val_if_fail (ASSAY_IS_GROWING_FILE (self), FALSE);
  g_mutex_lock (&self->lock);
  complete = self->complete;
  g_mutex_unlock (&self->lock);
  return complete;
}

static void
cancelled_cb (GCancellable     *cancellable,
              AssayGrowingFile *self)
{
  g_mutex_lock (&self->lock);
  g_cond_broadcast (&self->grown);
  g_mutex_unlock (&self->lock);
}

gssize
assay_growing_file_read_at (AssayGrowingFile *self,
                            void             *buffer,
                            gsize             count,
                            goffset           offset,
                            guint             timeout_ms,
                            GCancellable     *cancellable,
                            GError          **error)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  gulong handler = 0;
  goffset available;
  gssize n;

  g_return_val_if_fail (ASSAY_IS_GROWING_FILE (self), -1);
  g_return_val_if_fail (offset >= 0, -1);

  if (count == 0)
    return 0;
  if (cancellable != NULL)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (cancelled_cb), self, NULL);

  g_mutex_lock (&self->lock);
  while (offset >= self->available && !self->complete && self->error == NULL
         && (self->total < 0 || offset < self->total)
         && !g_cancellable_is_cancelled (cancellable))
    if (!g_cond_wait_until (&self->grown, &self->lock, deadline))
      break;
  available = self->available;
  if (offset < available)
    ;
  else if (self->complete || (self->total >= 0 && offset >= self->total))
    available = -1;  /* the end */
  else if (g_cancellable_set_error_if_cancelled (cancellable, error))
    available = -2;
  else if (self->error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->error));
      available = -2;
    }
  else
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                   _("The recording is still arriving from the central service, more slowly "
                     "than it plays. Wait a moment and press play again."));
      available = -2;
    }
  g_mutex_unlock (&self->lock);
  if (handler != 0)
    g_cancellable_disconnect (cancellable, handler);

  if (available == -1)
    return 0;
  if (available == -2)
    return -1;
  count = MIN (count, (gsize) (available - offset));
  do
    n = pread (self->fd, buffer, count, offset);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    {
      int e = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (e),
                   _("Cannot read the recording being fetched (%s): %s"), self->path,
                   g_strerror (e));
      return -1;
    }
  return n;
}
