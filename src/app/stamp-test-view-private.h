/* stamp-test-view-private.h
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

#include "stamp-core.h"
#include "stamp-step-row.h"
#include "stamp-test-view.h"

G_BEGIN_DECLS

/* Where the view stands; "busy" is RUNNING and "succeeded" SUCCEEDED. */
typedef enum
{
  STAMP_TEST_VIEW_IDLE,
  STAMP_TEST_VIEW_RUNNING,
  STAMP_TEST_VIEW_SUCCEEDED,
  STAMP_TEST_VIEW_FAILED,
  STAMP_TEST_VIEW_CANCELLED,
} StampTestViewState;

/*
 * StampTestView:
 *
 * Sends a real test message with an account and shows it happen: a live
 * checklist bound to the send's steps, the redacted transcript, and when
 * the send fails, the diagnosis table's explanation with a Retry button.
 * It finds the secret itself (keyring password, or a current OAuth token
 * refreshed once more when the server refuses it) unless one is given.
 *
 * stamp-test-view.c shows it; stamp-test-view-card.c fills the failure card;
 * stamp-test-view-send.c runs the send; stamp-test-view-graph.c has what
 * differs for Microsoft Graph, and the switch to it when SMTP AUTH is off.
 */
struct _StampTestView
{
  GtkWidget           parent_instance;

  /* Owned */
  StampAccount       *account;
  StampAccountStore  *store;
  char               *consent_url;
  char               *consent_request;
  char               *secret;
  gboolean            is_token;
  char               *recipient;
  char               *effective_recipient;
  GSettings          *settings;
  StampCredentials   *credentials;
  StampSmtpResult    *result;        /* the attempt under way, or the last */
  StampSmtpReply     *reply;
  GError             *error;
  StampExplanation   *explanation;
  GPtrArray          *advice;        /* StampExplanation, from the pre-flight check */
  char               *plaintext_host; /* the person allowed a sign-in in clear to it */
  StampTestViewState  state;
  GCancellable       *cancellable;   /* the run's */

  /* Borrowed */
  gpointer            run;           /* the run under way, or NULL */

  /* Template children */
  GtkListBox         *advice_list;
  GtkWidget          *causes_box;
  GtkGrid            *causes_grid;
  GtkWidget          *command_box;
  GtkButton          *consent_copy_link_button;
  GtkButton          *consent_copy_message_button;
  GtkWidget          *consent_box;
  GtkLabel           *consent_link_label;
  GtkLabel           *command_label;
  GtkExpander        *details_expander;
  GtkLabel           *details_label;
  GtkWidget          *failure_card;
  GtkLabel           *failure_title;
  GtkWidget          *graph_box;
  GtkWidget          *graph_button;
  GtkLinkButton      *learn_more_button;
  GtkGrid            *remedy_grid;
  GtkLabel           *reply_label;
  GtkWidget          *retry_button;
  GtkWidget          *status_button;
  GtkLabel           *status_description;
  GtkImage           *status_image;
  GtkSpinner         *status_spinner;
  GtkLabel           *status_title;
  GtkListBox         *steps_list;
  GtkWidget          *steps_box;
  GtkExpander        *transcript_expander;
  GtkTextView        *transcript_view;
};

void _stamp_test_view_update_actions  (StampTestView      *self);
void _stamp_test_view_set_result      (StampTestView      *self,
                                       StampSmtpResult    *result);
void _stamp_test_view_stop_steps      (StampTestView      *self,
                                       StampStepRowStop    why);
void _stamp_test_view_set_description (StampTestView      *self,
                                       const char         *text);
void _stamp_test_view_set_advice (StampTestView *self,
                                  GPtrArray     *advice);
void _stamp_test_view_begin           (StampTestView      *self);
void _stamp_test_view_end             (StampTestView      *self,
                                       StampTestViewState  state);
void _stamp_test_view_show_failure    (StampTestView      *self);

/* stamp-test-view-graph.c */
gboolean _stamp_test_view_is_graph          (StampTestView  *self);
char    *_stamp_test_view_dup_route         (StampTestView  *self);
char    *_stamp_test_view_dup_accepted      (StampTestView  *self);
char    *_stamp_test_view_dup_reply         (StampTestView  *self);
void     _stamp_test_view_show_graph_remedies (StampTestView *self);
void     _stamp_test_view_update_graph_actions (StampTestView *self);
void     _stamp_test_view_dispose_graph     (StampTestView  *self);
void     _stamp_test_view_class_init_graph  (GtkWidgetClass *widget_class);

G_END_DECLS
