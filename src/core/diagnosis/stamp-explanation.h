/* stamp-explanation.h
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


#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * StampDiagnosisQuery:
 * @text: (nullable): the server's reply (all its lines), or a failure's
 *   message when there is no reply
 * @code: the reply's basic code, or 0
 * @enhanced: (nullable): the reply's enhanced status code, like "5.7.139"
 * @error: (nullable): the failure's #StampError nick, like "timed-out"
 * @provider_id: (nullable): the account's provider
 * @host: (nullable): the server's host name
 * @port: the server's port, or 0
 * @address: (nullable): the signed-in mailbox, for commands
 * @from: (nullable): the sender address, for commands
 * @check: (nullable): the pre-flight check asking (stamp-preflight.c), like
 *   "submission-port"; entries that name checks answer only those
 *
 * What is known about one failure, or about settings before they are used.
 */
typedef struct
{
  const char *text;
  int         code;
  const char *enhanced;
  const char *error;
  const char *provider_id;
  const char *host;
  guint16     port;
  const char *address;
  const char *from;
  const char *check;
} StampDiagnosisQuery;

#define STAMP_TYPE_EXPLANATION (stamp_explanation_get_type ())

G_DECLARE_FINAL_TYPE (StampExplanation, stamp_explanation, STAMP, EXPLANATION, GObject)

StampExplanation   *stamp_explanation_new_from_json (JsonObject                *object,
                                                     GError                   **error);
const char         *stamp_explanation_get_id        (StampExplanation          *self);
const char         *stamp_explanation_get_title     (StampExplanation          *self);
const char * const *stamp_explanation_get_causes    (StampExplanation          *self);
const char * const *stamp_explanation_get_steps     (StampExplanation          *self);
const char         *stamp_explanation_get_command   (StampExplanation          *self);
const char         *stamp_explanation_get_link      (StampExplanation          *self);
const char         *stamp_explanation_get_fix       (StampExplanation          *self);
gboolean            stamp_explanation_matches       (StampExplanation          *self,
                                                     const StampDiagnosisQuery *query,
                                                     guint                     *score);
StampExplanation   *stamp_explanation_fill          (StampExplanation          *self,
                                                     const StampDiagnosisQuery *query);
char               *stamp_explanation_to_text       (StampExplanation          *self);
char               *stamp_explanation_to_markdown   (StampExplanation          *self);
JsonNode           *stamp_explanation_to_json       (StampExplanation          *self);

G_END_DECLS
