/* stamp-file-lock.c
 *
 * Copyright 2026 The Stamp authors
 *
 * This program is free software: you can redistribute it and/or modify
 * it under the terms of the GNU General Public License as published by
 * the Free Software Foundation, either version 3 of the License, or
 * (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "stamp-file-lock"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "stamp-error.h"
#include "stamp-file-lock.h"
#include "stamp-net.h"

/*
 * An exclusive flock() on a lock file serialises work between threads (each
 * opens its own descriptor) and between processes: saving the account file,
 * and refreshing one account's sign-in, which a provider that revokes used
 * refresh tokens does not forgive when done twice at once. A lock file is
 * never removed: removing it would let two holders lock two files.
 */

/**
 * stamp_file_lock_acquire:
 * @path: the lock file; it and its folder are made when missing
 * @timeout: seconds to wait for another holder
 * @cancellable: (nullable): a #GCancellable
 * @error: where to put an error: %STAMP_ERROR_TIMED_OUT, the cancellation,
 *   or why the file cannot be opened
 *
 * Waits for and takes the lock, from a worker thread: it sleeps between
 * tries. A file system that cannot lock gets an unlocked descriptor, as
 * locking would never succeed there.
 *
 * Returns: a descriptor for stamp_file_lock_release(), or -1
 */
int
stamp_file_lock_acquire (const char    *path,
                         guint          timeout,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autofree char *folder = g_path_get_dirname (path);
  gint64 deadline = stamp_deadline_from_now (timeout);
  gulong pause = 1000;
  int fd;

  g_return_val_if_fail (path != NULL, -1);

  g_mkdir_with_parents (folder, 0700);
  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not open the lock file “%s”: %s"), path, g_strerror (saved_errno));
      return -1;
    }

  while (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      int saved_errno = errno;

      if (saved_errno == EINTR)
        continue;

      /* Some network file systems cannot lock. */
      if (saved_errno == ENOLCK || saved_errno == EOPNOTSUPP || saved_errno == ENOSYS)
        {
          g_debug ("Cannot lock “%s”: %s", path, g_strerror (saved_errno));
          return fd;
        }

      if (saved_errno != EWOULDBLOCK)
        g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                     _("Could not lock “%s”: %s"), path, g_strerror (saved_errno));
      else if (g_get_monotonic_time () >= deadline)
        g_set_error (error, STAMP_ERROR, STAMP_ERROR_TIMED_OUT,
                     _("Another program has held “%s” for more than %u seconds"), path, timeout);
      else if (!g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          g_usleep (pause);
          pause = MIN (pause * 2, 20000);
          continue;
        }

      g_close (fd, NULL);
      return -1;
    }

  return fd;
}

typedef struct
{
  char  *path;
  guint  timeout;
} LockRequest;

static void
lock_request_free (gpointer data)
{
  LockRequest *request = data;

  g_free (request->path);
  g_free (request);
}

static void
acquire_in_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  LockRequest *request = task_data;
  GError *error = NULL;
  int fd = stamp_file_lock_acquire (request->path, request->timeout, cancellable, &error);

  if (fd < 0)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, fd);
}

/**
 * stamp_file_lock_acquire_async:
 * @path: the lock file
 * @timeout: seconds to wait for another holder
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the caller's main context with the lock
 * @user_data: data for @callback
 *
 * Takes the lock without blocking the caller's thread.
 */
void
stamp_file_lock_acquire_async (const char          *path,
                               guint                timeout,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  LockRequest *request = g_new0 (LockRequest, 1);

  g_return_if_fail (path != NULL);

  request->path = g_strdup (path);
  request->timeout = timeout;
  g_task_set_source_tag (task, stamp_file_lock_acquire_async);
  g_task_set_task_data (task, request, lock_request_free);
  /* Once taken, the lock goes to the caller even if it was cancelled
   * meanwhile: a descriptor dropped here would hold the lock for good. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_run_in_thread (task, acquire_in_thread);
}

/**
 * stamp_file_lock_acquire_finish:
 * @result: the #GAsyncResult
 * @error: where to put an error
 *
 * Returns: a descriptor for stamp_file_lock_release(), or -1
 */
int
stamp_file_lock_acquire_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), -1);

  return (int) g_task_propagate_int (G_TASK (result), error);
}

/**
 * stamp_file_lock_release:
 * @fd: a descriptor from stamp_file_lock_acquire(), or -1
 *
 * Lets the lock go.
 */
void
stamp_file_lock_release (int fd)
{
  if (fd < 0)
    return;

  flock (fd, LOCK_UN);
  g_close (fd, NULL);
}
