/* stamp-setup-assistant-graph.c
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

#define G_LOG_DOMAIN "stamp-setup-assistant"

#include "config.h"

#include <glib/gi18n.h>

#include "stamp-announce.h"
#include "stamp-setup-assistant-private.h"

/* The test page's failure card offers Microsoft Graph when the tenant has
 * SMTP AUTH off. The account being set up is a draft that is not saved
 * yet, so the assistant takes the switch over: Graph chosen on the sign-in
 * page, whose sign-in then asks for Graph's permission and opens at once;
 * once signed in, back to the test page and the test once more. */

static gboolean
use_graph_cb (StampSetupAssistant *self)
{
  stamp_sign_in_page_set_send_method (self->sign_in_page, STAMP_SEND_METHOD_GRAPH);
  _stamp_setup_assistant_show_page (self, PAGE_SIGN_IN);
  self->switching_to_graph = TRUE;
  stamp_announce (GTK_WIDGET (self), _("Sending through Microsoft Graph: sign in to allow it."));
  stamp_sign_in_page_start (self->sign_in_page);

  return TRUE;
}

static void
signed_in_cb (StampSetupAssistant *self)
{
  g_autoptr(GError) error = NULL;

  if (!self->switching_to_graph || self->page != PAGE_SIGN_IN
      || !stamp_sign_in_page_get_complete (self->sign_in_page))
    return;

  self->switching_to_graph = FALSE;
  if (!_stamp_setup_assistant_build_draft (self, PAGE_SIGN_IN, &error))
    {
      _stamp_setup_assistant_show_problem (self, error);
      return;
    }

  _stamp_setup_assistant_prepare_test (self);
  _stamp_setup_assistant_show_page (self, PAGE_TEST);
  stamp_test_view_start (self->test_view);
}

void
_stamp_setup_assistant_init_graph (StampSetupAssistant *self)
{
  g_signal_connect_object (self->test_view, "use-graph",
                           G_CALLBACK (use_graph_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sign_in_page, "notify::complete",
                           G_CALLBACK (signed_in_cb), self, G_CONNECT_SWAPPED);
}
