/* stamp-test-view.c
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

#define G_LOG_DOMAIN "stamp-test-view"

#include "config.h"

#include <glib/gi18n.h>

#include "stamp-accessible.h"
#include "stamp-announce.h"
#include "stamp-application.h"
#include "stamp-core.h"
#include "stamp-step-row.h"
#include "stamp-test-view-private.h"

/* The view's face: status line, checklist, failure card and transcript. The
 * send itself is in stamp-test-view-send.c, the checklist and transcript in
 * stamp-test-view-steps.c and the failure card's filling in
 * stamp-test-view-card.c; the struct, with its purpose, is in
 * stamp-test-view-private.h. */

enum {
  PROP_0,
  PROP_ACCOUNT,
  PROP_RECIPIENT,
  PROP_BUSY,
  PROP_SUCCEEDED,
  N_PROPS
};

enum {
  FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (StampTestView, stamp_test_view, GTK_TYPE_WIDGET)

void
_stamp_test_view_update_actions (StampTestView *self)
{
  gboolean busy = self->state == STAMP_TEST_VIEW_RUNNING;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "test-view.start",
                                 !busy && self->account != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "test-view.cancel", busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "test-view.copy-command",
                                 self->explanation != NULL
                                 && stamp_explanation_get_command (self->explanation) != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "test-view.copy-transcript",
                                 self->result != NULL);
  _stamp_test_view_update_graph_actions (self);
}

/* The outcome */

static void
set_status_icon (StampTestView *self,
                 const char    *icon_name,
                 const char    *css_class)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_image), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_image), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_image), "dim-label");
  gtk_image_set_from_icon_name (self->status_image, icon_name);
  if (css_class != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_image), css_class);
}

void
_stamp_test_view_set_description (StampTestView *self,
                                  const char    *text)
{
  gtk_label_set_label (self->status_description, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_description), text != NULL);
}

static void
describe_route (StampTestView *self)
{
  g_autofree char *route = NULL;

  if (self->account == NULL)
    {
      _stamp_test_view_set_description (self, NULL);
      return;
    }

  route = _stamp_test_view_dup_route (self);
  _stamp_test_view_set_description (self, route);
}

static void
update_status (StampTestView *self)
{
  gboolean running = self->state == STAMP_TEST_VIEW_RUNNING;
  const char *button_label = NULL;
  const char *button_action = "test-view.start";

  gtk_spinner_set_spinning (self->status_spinner, running);
  gtk_widget_set_visible (GTK_WIDGET (self->status_spinner), running);
  gtk_widget_set_visible (GTK_WIDGET (self->status_image), !running);
  gtk_widget_set_visible (GTK_WIDGET (self->reply_label), self->state == STAMP_TEST_VIEW_SUCCEEDED);
  gtk_widget_set_visible (self->failure_card, self->state == STAMP_TEST_VIEW_FAILED);

  switch (self->state)
    {
    case STAMP_TEST_VIEW_IDLE:
      gtk_label_set_label (self->status_title, _("Test Message"));
      set_status_icon (self, "mail-send-symbolic", "dim-label");
      describe_route (self);
      button_label = _("_Send");
      break;

    case STAMP_TEST_VIEW_RUNNING:
      gtk_label_set_label (self->status_title, _("Sending Test Message…"));
      describe_route (self);
      button_label = _("_Cancel");
      button_action = "test-view.cancel";
      break;

    case STAMP_TEST_VIEW_SUCCEEDED:
      {
        g_autofree char *sent = _stamp_test_view_dup_accepted (self);
        g_autofree char *reply = _stamp_test_view_dup_reply (self);

        gtk_label_set_label (self->status_title, _("Test Message Sent"));
        set_status_icon (self, "emblem-ok-symbolic", "success");
        _stamp_test_view_set_description (self, sent);
        gtk_label_set_label (self->reply_label, reply);
        button_label = _("Send _Again");
      }
      break;

    case STAMP_TEST_VIEW_FAILED:
      {
        StampSmtpStep *step = self->result != NULL
                              ? stamp_smtp_result_get_failed_step (self->result) : NULL;
        g_autofree char *where = NULL;

        gtk_label_set_label (self->status_title, _("Test Message Not Sent"));
        set_status_icon (self, "dialog-error-symbolic", "error");
        if (step != NULL)
          /* Translators: the title of the step that failed, like “Sign in”. */
          where = g_strdup_printf (_("It stopped at the step “%s”."),
                                   stamp_smtp_step_get_title (step));
        _stamp_test_view_set_description (self, where);
        _stamp_test_view_show_failure (self);
      }
      break;

    case STAMP_TEST_VIEW_CANCELLED:
      gtk_label_set_label (self->status_title, _("Cancelled"));
      set_status_icon (self, "process-stop-symbolic", "dim-label");
      _stamp_test_view_set_description (self, _("The test message was not sent."));
      button_label = _("_Retry");
      break;

    default:
      g_assert_not_reached ();
    }

  gtk_widget_set_visible (self->status_button, button_label != NULL);
  if (button_label != NULL)
    {
      stamp_button_set_mnemonic_label (GTK_BUTTON (self->status_button), button_label);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->status_button), button_action);
    }
  /* Sending is what the page is for, until a send went through. */
  if (self->state == STAMP_TEST_VIEW_IDLE || self->state == STAMP_TEST_VIEW_CANCELLED)
    gtk_widget_add_css_class (self->status_button, "suggested-action");
  else
    gtk_widget_remove_css_class (self->status_button, "suggested-action");

  _stamp_test_view_update_actions (self);
}

/* The status line as one sentence, for a screen reader. */
static void
announce_status (StampTestView *self)
{
  g_autofree char *message = NULL;
  const char *detail = gtk_widget_get_visible (GTK_WIDGET (self->status_description))
                       ? gtk_label_get_text (self->status_description) : NULL;

  if (self->state == STAMP_TEST_VIEW_FAILED)
    detail = gtk_label_get_text (self->failure_title);

  /* Translators: a status and what it means, read by a screen reader:
   * "Test Message Not Sent. SMTP AUTH is turned off for this mailbox" */
  message = detail != NULL && *detail != '\0'
            ? g_strdup_printf (_("%s. %s"), gtk_label_get_text (self->status_title), detail)
            : g_strdup (gtk_label_get_text (self->status_title));
  stamp_announce (GTK_WIDGET (self), message);
}

static void
set_state (StampTestView *self,
           StampTestViewState      state)
{
  gboolean was_busy = self->state == STAMP_TEST_VIEW_RUNNING;
  gboolean had_succeeded = self->state == STAMP_TEST_VIEW_SUCCEEDED;

  self->state = state;
  update_status (self);

  if (was_busy != (state == STAMP_TEST_VIEW_RUNNING))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  if (had_succeeded != (state == STAMP_TEST_VIEW_SUCCEEDED))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUCCEEDED]);
}

/* The pre-flight check's advice, one row each, shown while it applies. */
void
_stamp_test_view_set_advice (StampTestView *self,
                             GPtrArray     *advice)
{
  GtkWidget *row;

  while ((row = GTK_WIDGET (gtk_list_box_get_row_at_index (self->advice_list, 0))) != NULL)
    gtk_list_box_remove (self->advice_list, row);

  g_clear_pointer (&self->advice, g_ptr_array_unref);
  self->advice = advice != NULL ? g_ptr_array_ref (advice) : NULL;

  for (guint i = 0; advice != NULL && i < advice->len; i++)
    {
      StampExplanation *explanation = g_ptr_array_index (advice, i);
      g_autofree char *steps = g_strjoinv ("\n", (GStrv) stamp_explanation_get_steps (explanation));
      GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     stamp_explanation_get_title (explanation));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), steps);
      gtk_widget_add_css_class (icon, "warning");
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      gtk_list_box_append (self->advice_list, row);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->advice_list), advice != NULL && advice->len > 0);
}

/* A run starts: the last outcome goes. */
void
_stamp_test_view_begin (StampTestView *self)
{
  g_clear_object (&self->reply);
  g_clear_object (&self->explanation);
  g_clear_error (&self->error);
  _stamp_test_view_set_result (self, NULL);
  set_state (self, STAMP_TEST_VIEW_RUNNING);
  announce_status (self);
}

/* The run ends with @state: the view shows it, then tells. */
void
_stamp_test_view_end (StampTestView      *self,
                      StampTestViewState  state)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  gboolean focus_on_button = focus != NULL && (focus == self->status_button
                                               || gtk_widget_is_ancestor (focus,
                                                                          self->status_button));

  g_assert (state != STAMP_TEST_VIEW_IDLE && state != STAMP_TEST_VIEW_RUNNING);

  self->run = NULL;
  g_clear_object (&self->cancellable);
  if (state == STAMP_TEST_VIEW_CANCELLED)
    _stamp_test_view_stop_steps (self, STAMP_STEP_ROW_CANCELLED);
  else if (state == STAMP_TEST_VIEW_FAILED)
    _stamp_test_view_stop_steps (self, STAMP_STEP_ROW_SEND_FAILED);

  set_state (self, state);

  /* A failure hides Cancel: the focus goes on to Retry rather than being
   * lost with it. */
  if (state == STAMP_TEST_VIEW_FAILED && (focus == NULL || focus_on_button))
    gtk_widget_grab_focus (self->retry_button);
  announce_status (self);

  g_signal_emit (self, signals[FINISHED], 0, state == STAMP_TEST_VIEW_SUCCEEDED);
}

/* The outcome on show is for settings that have since changed: it goes,
 * and the view waits for a new send. */
static void
forget_outcome (StampTestView *self)
{
  if (self->state == STAMP_TEST_VIEW_IDLE || self->state == STAMP_TEST_VIEW_RUNNING)
    return;

  g_clear_object (&self->reply);
  g_clear_object (&self->explanation);
  g_clear_error (&self->error);
  _stamp_test_view_set_result (self, NULL);
  set_state (self, STAMP_TEST_VIEW_IDLE);
}

static void
account_changed_cb (StampTestView *self,
                    GParamSpec    *pspec)
{
  /* Recording a test's result changes no setting. */
  if (!g_str_has_prefix (pspec->name, "last-test-"))
    forget_outcome (self);
}

/* Actions */

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  stamp_test_view_start (STAMP_TEST_VIEW (widget));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  stamp_test_view_cancel (STAMP_TEST_VIEW (widget));
}

static void
copy_command_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  StampTestView *self = STAMP_TEST_VIEW (widget);

  if (self->explanation != NULL && stamp_explanation_get_command (self->explanation) != NULL)
    gdk_clipboard_set_text (gtk_widget_get_clipboard (widget),
                            stamp_explanation_get_command (self->explanation));
}

static void
copy_transcript_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  StampTestView *self = STAMP_TEST_VIEW (widget);
  g_autofree char *text = NULL;

  if (self->result == NULL)
    return;

  /* The transcript is the single redaction point: no secret is in it. */
  text = stamp_transcript_format (stamp_smtp_result_get_transcript (self->result));
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
}

/* GObject */

static void
stamp_test_view_dispose (GObject *object)
{
  StampTestView *self = (StampTestView *)object;
  GtkWidget *child;

  /* The pending callbacks own the run; cancelled and unreferenced by the
   * view, they only free it. */
  if (self->run != NULL)
    g_cancellable_cancel (self->cancellable);
  self->run = NULL;
  g_clear_object (&self->cancellable);

  if (self->result != NULL)
    {
      g_signal_handlers_disconnect_by_data (stamp_smtp_result_get_steps (self->result), self);
      g_signal_handlers_disconnect_by_data (stamp_smtp_result_get_transcript (self->result), self);
    }

  if (self->account != NULL)
    g_signal_handlers_disconnect_by_func (self->account, account_changed_cb, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), STAMP_TYPE_TEST_VIEW);

  /* A plain GtkWidget unparents its children itself. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->account);
  g_clear_object (&self->settings);
  g_clear_object (&self->credentials);
  g_clear_object (&self->result);
  g_clear_object (&self->reply);
  g_clear_object (&self->explanation);
  g_clear_pointer (&self->advice, g_ptr_array_unref);
  g_clear_pointer (&self->plaintext_host, g_free);
  g_clear_error (&self->error);
  _stamp_test_view_dispose_graph (self);

  G_OBJECT_CLASS (stamp_test_view_parent_class)->dispose (object);
}

static void
stamp_test_view_finalize (GObject *object)
{
  StampTestView *self = (StampTestView *)object;

  stamp_clear_secret (&self->secret);
  g_clear_pointer (&self->recipient, g_free);
  g_clear_pointer (&self->effective_recipient, g_free);

  G_OBJECT_CLASS (stamp_test_view_parent_class)->finalize (object);
}

static void
stamp_test_view_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  StampTestView *self = STAMP_TEST_VIEW (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;

    case PROP_RECIPIENT:
      g_value_set_string (value, stamp_test_view_get_recipient (self));
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, stamp_test_view_get_busy (self));
      break;

    case PROP_SUCCEEDED:
      g_value_set_boolean (value, stamp_test_view_get_succeeded (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stamp_test_view_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  StampTestView *self = STAMP_TEST_VIEW (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      stamp_test_view_set_account (self, g_value_get_object (value));
      break;

    case PROP_RECIPIENT:
      stamp_test_view_set_recipient (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stamp_test_view_class_init (StampTestViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = stamp_test_view_dispose;
  object_class->finalize = stamp_test_view_finalize;
  object_class->get_property = stamp_test_view_get_property;
  object_class->set_property = stamp_test_view_set_property;

  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL,
                         STAMP_TYPE_ACCOUNT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_RECIPIENT] =
    g_param_spec_string ("recipient", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_SUCCEEDED] =
    g_param_spec_boolean ("succeeded", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * StampTestView::finished:
   * @self: a #StampTestView
   * @ok: %TRUE when the server accepted the message
   *
   * Emitted once per run when it ends: sent, failed or cancelled. The
   * "busy" property is already %FALSE.
   */
  signals[FINISHED] =
    g_signal_new ("finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_BOOLEAN);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/ui/stamp-test-view.ui");
  gtk_widget_class_bind_template_child (widget_class, StampTestView, advice_list);
  gtk_widget_class_bind_template_child (widget_class, StampTestView, causes_box);
  gtk_widget_class_bind_template_child (widget_class, StampTestView, causes_grid);
  gtk_widget_class_bind_template_child (widget_class, StampTestView, command_box);
  gtk_widget_class_bind_template_child (widget_class, StampTestView, command_label);
  gtk_widget_class_bind_template_child (widget_class, StampTestView, details_expander);
  gtk_widget_class_bind_template_child (widget_class, StampTestView, details_label);
  gtk_widget_class_bind_template_child (widget_class, StampTestView, failure_card);
  gtk_widget_class_bind_template_child (widget_class, StampTestView, failure_title);
  gtk_widget_class_bind_template_child (widget_class, StampTestView, learn_more_button);
  gtk_widget_class_bind_template_child (widget_class, StampTestView, remedy_grid);
  gtk_widget_class_bind_template_child (widget_class, StampTestView, reply_label);
  gtk_widget_class_bind_template_child (widget_class, StampTestView, retry_button);
  gtk_widget_class_bind_template_child (widget_class, StampTestView, status_button);
  gtk_widget_class_bind_template_child (widget_class, StampTestView, status_description);
  gtk_widget_class_bind_template_child (widget_class, StampTestView, status_image);
  gtk_widget_class_bind_template_child (widget_class, StampTestView, status_spinner);
  gtk_widget_class_bind_template_child (widget_class, StampTestView, status_title);
  gtk_widget_class_bind_template_child (widget_class, StampTestView, steps_box);
  gtk_widget_class_bind_template_child (widget_class, StampTestView, steps_list);
  gtk_widget_class_bind_template_child (widget_class, StampTestView, transcript_expander);
  gtk_widget_class_bind_template_child (widget_class, StampTestView, transcript_view);

  _stamp_test_view_class_init_graph (widget_class);

  gtk_widget_class_install_action (widget_class, "test-view.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "test-view.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "test-view.copy-command", NULL,
                                   copy_command_action);
  gtk_widget_class_install_action (widget_class, "test-view.copy-transcript", NULL,
                                   copy_transcript_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
stamp_test_view_init (StampTestView *self)
{
  g_autoptr(PangoAttrList) no_hyphens = pango_attr_list_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  stamp_name_mnemonic_buttons (GTK_WIDGET (self));
  /* A closed expander's child is out of the tree: named on its own. */
  stamp_name_mnemonic_buttons (gtk_expander_get_child (self->transcript_expander));
  stamp_expander_hide_closed_child (self->details_expander);
  stamp_expander_hide_closed_child (self->transcript_expander);

  /* Wrapped commands and server replies get no hyphens that are not in
   * them: a person may type them from the screen. */
  pango_attr_list_insert (no_hyphens, pango_attr_insert_hyphens_new (FALSE));
  gtk_label_set_attributes (self->command_label, no_hyphens);
  gtk_label_set_attributes (self->consent_link_label, no_hyphens);
  gtk_label_set_attributes (self->details_label, no_hyphens);
  gtk_label_set_attributes (self->reply_label, no_hyphens);
  gtk_text_buffer_create_tag (gtk_text_view_get_buffer (self->transcript_view), "no-hyphens",
                              "insert-hyphens", FALSE, NULL);

  self->settings = g_settings_new (STAMP_SETTINGS_SCHEMA_ID);
  update_status (self);
}

/**
 * stamp_test_view_new:
 *
 * Returns: (transfer full): a new #StampTestView
 */
GtkWidget *
stamp_test_view_new (void)
{
  return g_object_new (STAMP_TYPE_TEST_VIEW, NULL);
}

/**
 * stamp_test_view_set_account:
 * @self: a #StampTestView
 * @account: (nullable): the account to send with
 *
 * Sets the account whose server, security, sign-in method, user name and
 * certificate authority the next test uses. A run under way keeps its own.
 */
void
stamp_test_view_set_account (StampTestView *self,
                             StampAccount  *account)
{
  g_return_if_fail (STAMP_IS_TEST_VIEW (self));
  g_return_if_fail (account == NULL || STAMP_IS_ACCOUNT (account));

  if (self->account == account)
    return;

  if (self->account != NULL)
    g_signal_handlers_disconnect_by_func (self->account, account_changed_cb, self);
  g_set_object (&self->account, account);
  if (account != NULL)
    g_signal_connect_object (account, "notify", G_CALLBACK (account_changed_cb), self,
                             G_CONNECT_SWAPPED);
  forget_outcome (self);

  /* A consent to sign in without encryption was for the last account. */
  g_clear_pointer (&self->plaintext_host, g_free);
  _stamp_test_view_set_advice (self, NULL);

  if (self->state == STAMP_TEST_VIEW_IDLE)
    update_status (self);
  _stamp_test_view_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECIPIENT]);
}

/**
 * stamp_test_view_get_account:
 * @self: a #StampTestView
 *
 * Returns: (transfer none) (nullable): the account
 */
StampAccount *
stamp_test_view_get_account (StampTestView *self)
{
  g_return_val_if_fail (STAMP_IS_TEST_VIEW (self), NULL);

  return self->account;
}

/**
 * stamp_test_view_set_secret:
 * @self: a #StampTestView
 * @secret: (nullable): a password, an OAuth access token, or %NULL
 * @is_token: whether @secret is an access token
 *
 * Gives the secret to sign in with, for an account whose secret is not
 * stored yet. With %NULL the view finds it itself: a current access token
 * for OAuth accounts, else the password in the keyring, if any.
 */
void
stamp_test_view_set_secret (StampTestView *self,
                            const char    *secret,
                            gboolean       is_token)
{
  g_return_if_fail (STAMP_IS_TEST_VIEW (self));

  if (g_strcmp0 (secret, self->secret) == 0 && (secret != NULL && is_token) == self->is_token)
    return;

  stamp_clear_secret (&self->secret);
  self->secret = g_strdup (secret);
  self->is_token = secret != NULL && is_token;
  forget_outcome (self);
}

/**
 * stamp_test_view_set_recipient:
 * @self: a #StampTestView
 * @recipient: (nullable): where the test message goes, or %NULL for the
 *   default-test-recipient setting, else the account's own address
 */
void
stamp_test_view_set_recipient (StampTestView *self,
                               const char    *recipient)
{
  g_return_if_fail (STAMP_IS_TEST_VIEW (self));

  if (recipient != NULL && *recipient == '\0')
    recipient = NULL;

  if (!stamp_set_str (&self->recipient, recipient))
    return;

  if (self->state == STAMP_TEST_VIEW_IDLE)
    update_status (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECIPIENT]);
}

/**
 * stamp_test_view_get_recipient:
 * @self: a #StampTestView
 *
 * Returns: (nullable): the address the next test goes to: the one set with
 *   stamp_test_view_set_recipient(), else the default-test-recipient
 *   setting, else the account's own address
 */
const char *
stamp_test_view_get_recipient (StampTestView *self)
{
  g_autofree char *setting = NULL;

  g_return_val_if_fail (STAMP_IS_TEST_VIEW (self), NULL);

  if (self->recipient != NULL)
    return self->recipient;

  setting = g_settings_get_string (self->settings, "default-test-recipient");
  if (*setting != '\0')
    stamp_set_str (&self->effective_recipient, setting);
  else
    stamp_set_str (&self->effective_recipient,
                   self->account != NULL ? stamp_account_get_address (self->account) : NULL);

  return self->effective_recipient;
}

/**
 * stamp_test_view_get_busy:
 * @self: a #StampTestView
 *
 * Returns: whether a test send is under way
 */
gboolean
stamp_test_view_get_busy (StampTestView *self)
{
  g_return_val_if_fail (STAMP_IS_TEST_VIEW (self), FALSE);

  return self->state == STAMP_TEST_VIEW_RUNNING;
}

/**
 * stamp_test_view_get_succeeded:
 * @self: a #StampTestView
 *
 * Returns: whether the last test send was accepted by the server
 */
gboolean
stamp_test_view_get_succeeded (StampTestView *self)
{
  g_return_val_if_fail (STAMP_IS_TEST_VIEW (self), FALSE);

  return self->state == STAMP_TEST_VIEW_SUCCEEDED;
}

/**
 * stamp_test_view_dup_failure_summary:
 * @self: a #StampTestView
 *
 * Returns: (transfer full) (nullable): a one-line cause of the last failed
 *   send (the explanation's title, else the error), or %NULL
 */
char *
stamp_test_view_dup_failure_summary (StampTestView *self)
{
  g_return_val_if_fail (STAMP_IS_TEST_VIEW (self), NULL);

  if (self->explanation != NULL)
    return g_strdup (stamp_explanation_get_title (self->explanation));
  if (self->error != NULL)
    return g_strndup (self->error->message, strcspn (self->error->message, "\n"));

  return NULL;
}
