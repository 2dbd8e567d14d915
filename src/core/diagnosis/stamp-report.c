/* stamp-report.c
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


#include "config.h"

#include <glib/gi18n-lib.h>

#include "stamp-report.h"
#include "stamp-transcript.h"
#include "stamp-transcript-line.h"

/* The diagnostic report of a test send: plain Markdown a person can attach
 * to a help-desk ticket. It is built only from what the engine already
 * shows, so it holds no secret: the transcript was redacted where it was
 * written, and settings never include a password or token. */

typedef struct
{
  const char *name;
  const char *format;     /* with {n} for the number */
} LimitLabel;

/**
 * stamp_report_describe_limits:
 * @provider: (nullable): the account's provider
 *
 * Returns: (transfer full): one line per sending limit the provider
 *   documents, empty when none is known
 */
GStrv
stamp_report_describe_limits (StampProvider *provider)
{
  const LimitLabel labels[] = {
    { "messages_per_minute", N_("{n} messages a minute") },
    { "messages_per_day", N_("{n} messages a day") },
    { "recipients_per_day", N_("{n} recipients a day") },
    { "recipients_per_message", N_("{n} recipients per message") },
    { "max_message_bytes", N_("messages up to {n}") },
  };
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; provider != NULL && i < G_N_ELEMENTS (labels); i++)
    {
      gint64 value = stamp_provider_get_limit (provider, labels[i].name);
      g_autofree char *number = NULL;
      g_autoptr(GString) line = NULL;

      if (value <= 0)
        continue;

      number = g_str_equal (labels[i].name, "max_message_bytes")
               ? g_format_size_full ((guint64) value, G_FORMAT_SIZE_DEFAULT)
               : g_strdup_printf ("%'" G_GINT64_FORMAT, value);
      /* A placeholder, not a printf format: translations stay safe. */
      line = g_string_new (_(labels[i].format));
      g_string_replace (line, "{n}", number, 1);
      g_strv_builder_add (builder, line->str);
    }

  return g_strv_builder_end (builder);
}

static void
append_settings (GString         *report,
                 StampSmtpResult *result)
{
  const StampSmtpSettings *settings = stamp_smtp_result_get_settings (result);
  const char *version = stamp_smtp_result_get_tls_version (result);
  const char * const *certificates = stamp_smtp_result_get_tls_certificates (result);
  const char *username = NULL;
  StampAuthMechanism used = stamp_smtp_result_get_used_mechanism (result);

  g_string_append_printf (report, "## %s\n\n", _("Settings"));

  /* A send through Microsoft Graph has no SMTP settings. */
  if (settings == NULL)
    {
      g_string_append_printf (report, "- %s %s\n\n", _("Server:"), _("Microsoft Graph"));
      return;
    }

  username = stamp_smtp_settings_get_username (settings);
  g_string_append_printf (report, "- %s %s, %s %u, %s\n", _("Server:"),
                          stamp_smtp_settings_get_host (settings), _("port"),
                          stamp_smtp_settings_get_port (settings),
                          stamp_security_to_string (stamp_smtp_settings_get_security (settings)));
  g_string_append_printf (report, "- %s %s\n", _("Sign-in:"),
                          stamp_auth_mechanism_to_string (
                            used != STAMP_AUTH_NONE
                            ? used : stamp_smtp_settings_get_auth_mechanism (settings)));
  if (username != NULL)
    g_string_append_printf (report, "- %s %s\n", _("User:"), username);
  if (version != NULL)
    g_string_append_printf (report, "- TLS: %s, %s\n", version,
                            stamp_smtp_result_get_tls_cipher (result));
  for (guint i = 0; certificates != NULL && certificates[i] != NULL; i++)
    g_string_append_printf (report, "  - %s\n", certificates[i]);
  g_string_append_c (report, '\n');
}

static void
append_steps (GString         *report,
              StampSmtpResult *result)
{
  GListModel *steps = stamp_smtp_result_get_steps (result);

  g_string_append_printf (report, "## %s\n\n| %s | %s | %s | %s |\n|---|---|---|---|\n",
                          _("Steps"), _("Step"), _("Result"), _("Time"), _("Detail"));

  for (guint i = 0; i < g_list_model_get_n_items (steps); i++)
    {
      g_autoptr(StampSmtpStep) step = g_list_model_get_item (steps, i);
      g_autofree char *detail = g_strdup (stamp_smtp_step_get_detail (step));

      /* A table cell stays on one line and keeps its pipes literal. */
      if (detail != NULL)
        g_strdelimit (detail, "|\r\n", ' ');
      g_string_append_printf (report, "| %s | %s | %.0f ms | %s |\n",
                              stamp_smtp_step_get_title (step),
                              stamp_smtp_step_get_state (step) == STAMP_STEP_SUCCEEDED ? _("ok")
                              : stamp_smtp_step_get_state (step) == STAMP_STEP_FAILED ? _("failed")
                              : _("running"),
                              stamp_smtp_step_get_duration (step) / 1000.0,
                              detail != NULL ? detail : "");
    }
  g_string_append_c (report, '\n');
}

static void
append_transcript (GString         *report,
                   StampSmtpResult *result)
{
  GListModel *transcript = G_LIST_MODEL (stamp_smtp_result_get_transcript (result));

  g_string_append_printf (report, "## %s\n\n```\n", _("Transcript (passwords and tokens hidden)"));
  for (guint i = 0; i < g_list_model_get_n_items (transcript); i++)
    {
      g_autoptr(StampTranscriptLine) line = g_list_model_get_item (transcript, i);
      g_autofree char *text = stamp_transcript_line_format (line);
      g_auto(GStrv) pieces = g_strsplit (text, "```", -1);
      g_autofree char *fenced = g_strjoinv ("` ` `", pieces);

      g_string_append_printf (report, "%s\n", fenced);
    }
  g_string_append (report, "```\n");
}

/**
 * stamp_report_build:
 * @result: the result of a finished send
 * @error: (nullable): why it failed, or %NULL when the message was accepted
 * @explanation: (nullable): the failure's explanation
 * @provider: (nullable): the account's provider, for its limits
 *
 * Returns: (transfer full): the report, Markdown
 */
char *
stamp_report_build (StampSmtpResult  *result,
                    const GError     *error,
                    StampExplanation *explanation,
                    StampProvider    *provider)
{
  GString *report = g_string_new (NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format_iso8601 (now);
  g_auto(GStrv) limits = stamp_report_describe_limits (provider);

  g_return_val_if_fail (STAMP_IS_SMTP_RESULT (result), NULL);

  g_string_append_printf (report, "# %s\n\n", _("Stamp test send report"));
  g_string_append_printf (report, "%s %s · Stamp %s\n\n", _("Made"), date, PACKAGE_VERSION);

  g_string_append_printf (report, "## %s\n\n", _("Result"));
  if (error == NULL)
    g_string_append_printf (report, "%s\n\n", _("The server accepted the test message."));
  else
    g_string_append_printf (report, "%s %s\n\n", _("The test send failed:"), error->message);

  if (explanation != NULL)
    {
      g_autofree char *text = stamp_explanation_to_markdown (explanation);

      g_string_append_printf (report, "## %s\n\n%s\n", _("What it means"), text);
    }

  append_settings (report, result);
  append_steps (report, result);

  if (limits[0] != NULL)
    {
      g_string_append_printf (report, "## %s\n\n", _("Sending limits of the provider"));
      for (guint i = 0; limits[i] != NULL; i++)
        g_string_append_printf (report, "- %s\n", limits[i]);
      g_string_append_c (report, '\n');
    }

  append_transcript (report, result);

  return g_string_free (report, FALSE);
}
