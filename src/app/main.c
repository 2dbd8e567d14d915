/* main.c
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

#define G_LOG_DOMAIN "stamp"

#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>

#include "stamp-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(StampApplication) app = NULL;

  setlocale (LC_ALL, "");
  stamp_bind_text_domain ();

  app = stamp_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
