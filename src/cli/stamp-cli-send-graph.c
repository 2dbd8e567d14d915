/* stamp-cli-send-graph.c
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

#define G_LOG_DOMAIN "stamp-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "stamp-core.h"
#include "stamp-cli-commands.h"
#include "stamp-cli-output.h"
#include "stamp-cli-send-private.h"
#include "stamp-cli-wait.h"

/* `stamp-cli send` through Microsoft Graph: a saved Graph account through
 * StampAccountSend (its token for Graph from the keyring, refreshed once
 * when Graph refuses it), or a one-off send with a token from standard
 * input. The checklist and the transcript print as the SMTP send's do. */

static void
print_step_once_done (StampSmtpStep *step,
                      GParamSpec    *pspec,
                      SendRun       *run)
{
  if (stamp_smtp_step_get_state (step) == STAMP_STEP_RUNNING)
    return;

  g_signal_handlers_disconnect_by_data (step, run);
  stamp_cli_print_step (step);
}

static void
watch (SendRun  *run,
       gpointer  object)
{
  if (run->watched == NULL)
    run->watched = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (run->watched, g_object_ref (object));
}

/* A step is listed when it begins, and printed when it ends. */
static void
steps_changed_cb (GListModel *steps,
                  guint       position,
                  guint       removed,
                  guint       added,
                  SendRun    *run)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(StampSmtpStep) step = g_list_model_get_item (steps, i);

      if (stamp_smtp_step_get_state (step) != STAMP_STEP_RUNNING)
        {
          stamp_cli_print_step (step);
          continue;
        }

      watch (run, step);
      g_signal_connect (step, "notify::state", G_CALLBACK (print_step_once_done), run);
    }
}


/*
 * watch_result:
 * @run: the send under way
 * @result: an attempt that begins
 *
 * Prints the attempt as it goes, as the SMTP send does: a line saying
 * where it goes, each step when it ends, and with --transcript, each line
 * of the redacted transcript. Nothing with --json.
 */
static void
watch_result (SendRun         *run,
              StampSmtpResult *result)
{
  GListModel *steps;

  if (run->json || result == NULL)
    return;

  g_print (_("Sending a test message from %s to %s through Microsoft Graph (%s)…\n"),
           run->from, run->to, run->graph_url);

  steps = stamp_smtp_result_get_steps (result);
  watch (run, steps);
  g_signal_connect (steps, "items-changed", G_CALLBACK (steps_changed_cb), run);
  steps_changed_cb (steps, 0, 0, g_list_model_get_n_items (steps), run);

  if (run->show_transcript)
    {
      GListModel *transcript = G_LIST_MODEL (stamp_smtp_result_get_transcript (result));

      watch (run, transcript);
      g_signal_connect (transcript, "items-changed",
                        G_CALLBACK (stamp_cli_print_new_transcript_lines), run);
      stamp_cli_print_new_transcript_lines (transcript, 0, 0, g_list_model_get_n_items (transcript),
                                            NULL);
    }
}

/* The run is over: nothing it watched may call back into it. */
void
stamp_cli_send_unwatch (SendRun *run)
{
  for (guint i = 0; run->watched != NULL && i < run->watched->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (run->watched, i), run);
  g_clear_pointer (&run->watched, g_ptr_array_unref);
}

/* An attempt begins: the account's first, or its one retry with a new
 * token. */
static void
result_changed_cb (GObject    *sender,
                   GParamSpec *pspec,
                   SendRun    *run)
{
  g_autoptr(StampSmtpResult) result = NULL;

  g_object_get (sender, "result", &result, NULL);
  watch_result (run, result);
}

static void
retrying_cb (StampAccountSend *send,
             SendRun          *run)
{
  if (!run->json)
    g_print ("%s\n", _("Microsoft Graph refused the stored token; trying once more with a new "
                       "one…"));
}

static StampMessage *
build_message (SendRun                *run,
               const SendGraphOptions *options)
{
  g_autofree char *settings = NULL;

  if (options->body != NULL)
    return stamp_message_new (run->from, run->to,
                              options->subject != NULL ? options->subject
                                                       : _("Stamp test message"),
                              options->body);

  /* TRANSLATORS: the settings a test message names in its body */
  settings = g_strdup_printf (_("Sent through Microsoft Graph (%s), with an OAuth token"),
                              run->graph_url);
  return stamp_message_new_test (run->from, run->to, options->subject, settings);
}

static void
send_one_off (SendRun                *run,
              const SendGraphOptions *options,
              StampCliWait           *wait)
{
  g_autoptr(StampGraphClient) client = NULL;
  g_autoptr(StampMessage) message = build_message (run, options);

  client = stamp_graph_client_new (run->graph_url, &run->error);
  if (client == NULL)
    return;

  stamp_graph_client_set_access_token (client, options->token);
  if (options->timeout > 0)
    stamp_graph_client_set_timeout (client, options->timeout);
  if (options->max_wait >= 0)
    stamp_graph_client_set_max_wait (client, options->max_wait);

  g_signal_connect (client, "notify::result", G_CALLBACK (result_changed_cb), run);
  stamp_graph_client_send_async (client, message, stamp_cli_wait_get_cancellable (wait),
                                 stamp_cli_wait_cb, wait);
  run->result = stamp_graph_client_send_finish (client, stamp_cli_wait_run (wait), &run->error);
  g_signal_handlers_disconnect_by_data (client, run);

  /* A refused send still has its steps and transcript to show. */
  if (run->result == NULL && stamp_graph_client_get_result (client) != NULL)
    run->result = g_object_ref (stamp_graph_client_get_result (client));
}

static void
send_with_account (SendRun                *run,
                   const SendGraphOptions *options,
                   StampCliWait           *wait)
{
  g_autoptr(StampCredentials) credentials = stamp_credentials_new (stamp_cli_get_secret_store ());
  g_autoptr(StampAccountSend) send = stamp_account_send_new (options->account, credentials);

  if (options->graph_url != NULL)
    stamp_account_send_set_graph_url (send, options->graph_url);

  g_signal_connect (send, "notify::result", G_CALLBACK (result_changed_cb), run);
  g_signal_connect (send, "retrying", G_CALLBACK (retrying_cb), run);
  stamp_account_send_run_async (send, run->from, run->to, options->subject,
                                stamp_cli_wait_get_cancellable (wait), stamp_cli_wait_cb, wait);
  run->result = stamp_account_send_run_finish (send, stamp_cli_wait_run (wait), &run->error);
  g_signal_handlers_disconnect_by_data (send, run);
}

/**
 * stamp_cli_send_graph:
 * @run: the send, with its addresses and output choices
 * @options: the rest of the command line
 *
 * Sends the test message through Microsoft Graph and says how it went.
 *
 * Returns: the exit status, as for an SMTP send
 */
int
stamp_cli_send_graph (SendRun                *run,
                      const SendGraphOptions *options)
{
  g_autoptr(StampCliWait) wait = stamp_cli_wait_new ();
  g_autofree char *graph_url = NULL;

  if (options->graph_url != NULL)
    graph_url = g_strdup (options->graph_url);
  else if (options->account != NULL)
    graph_url = stamp_account_dup_effective_graph_url (options->account);
  else
    graph_url = g_strdup (STAMP_GRAPH_DEFAULT_URL);
  run->graph_url = graph_url;

  if (options->account != NULL)
    send_with_account (run, options, wait);
  else
    send_one_off (run, options, wait);

  return stamp_cli_send_conclude (run, options->account, options->report_path);
}
