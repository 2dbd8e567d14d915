/* stamp-async.c
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

#define G_LOG_DOMAIN "stamp-async"

#include "config.h"

#include "stamp-async.h"

/**
 * stamp_task_idle:
 * @task: a running #GTask
 * @func: called once with @task as its data
 *
 * Runs @func on @task's own main context, from an idle. For work that must
 * not run where it is triggered: in a cancellable's handler, which may be
 * on another thread and must not disconnect itself.
 */
void
stamp_task_idle (GTask       *task,
                 GSourceFunc  func)
{
  g_autoptr(GSource) idle = g_idle_source_new ();

  g_source_set_callback (idle, func, g_object_ref (task), g_object_unref);
  g_source_attach (idle, g_task_get_context (task));
}
