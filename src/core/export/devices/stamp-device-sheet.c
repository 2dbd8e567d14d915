/* stamp-device-sheet.c
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

#define G_LOG_DOMAIN "stamp-device-sheet"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "stamp-device-guide.h"
#include "stamp-device-sheet-private.h"
#include "stamp-device-sheet.h"
#include "stamp-exporter-private.h"

/* The one-page settings sheet for a person standing at the printer's web
 * page. It is built once as a list of items (title, table rows, bullets)
 * from the guide's decision, then written as text or drawn with pango. */

#define TEXT_WIDTH        78
#define TEXT_LABEL_WIDTH  32

static void
item_free (gpointer data)
{
  StampSheetItem *item = data;

  g_free (item->lead);
  g_free (item->text);
  g_free (item);
}

static void
add (GPtrArray          *items,
     StampSheetItemKind  kind,
     const char         *lead,
     const char         *text)
{
  StampSheetItem *item = g_new0 (StampSheetItem, 1);

  item->kind = kind;
  item->lead = g_strdup (lead);
  item->text = g_strdup (text);
  g_ptr_array_add (items, item);
}

static void
add_take (GPtrArray          *items,
          StampSheetItemKind  kind,
          char               *lead,
          char               *text)
{
  add (items, kind, lead, text);
  g_free (lead);
  g_free (text);
}

/* A vendor's choice as the sheet names it: quoted when it is the device's
 * own word, as is when it only describes (the generic make). */
static char *
choice (const StampDeviceVendor *vendor,
        const char              *text)
{
  if (text == NULL)
    return g_strdup (_("the matching choice (its name varies by model)"));
  if (vendor->generic)
    return g_strdup (_(text));
  return g_strdup_printf ("“%s”", text);
}

static char *
security_value (const StampDeviceGuide *guide,
                const StampDeviceLabel *label)
{
  const StampDeviceVendor *vendor = guide->vendor;
  gboolean checkbox = (label->flags & STAMP_DEVICE_LABEL_CHECKBOX) != 0;
  gboolean by_port = (label->flags & STAMP_DEVICE_LABEL_TLS_BY_PORT) != 0;
  GString *value = g_string_new (NULL);
  g_autofree char *on = NULL;
  g_autofree char *tls = NULL;
  g_autofree char *off = NULL;

  on = checkbox ? g_strdup (_("ticked (on)")) : label->on != NULL ? choice (vendor, label->on) : NULL;
  tls = checkbox && by_port ? g_strdup (on) : label->tls != NULL ? choice (vendor, label->tls) : NULL;

  switch (guide->security)
    {
    case STAMP_SECURITY_TLS:
      if (tls == NULL)
        g_string_append (value, _("no choice for TLS from the first byte (port 465): use your "
                                  "provider’s STARTTLS port (usually 587), or a relay on your "
                                  "network"));
      else if (by_port)
        g_string_append_printf (value, _("%s: with port %u it means TLS from the first byte"),
                                tls, guide->port);
      else if (vendor->generic)
        g_string_append_printf (value, _("%s; not %s, which is STARTTLS"), tls, on);
      else if (on != NULL)
        g_string_append_printf (value, _("%s (TLS from the first byte); not %s, which is "
                                         "STARTTLS"), tls, on);
      else
        g_string_append_printf (value, _("%s (TLS from the first byte)"), tls);
      break;

    case STAMP_SECURITY_NONE:
      if (checkbox)
        g_string_append (value, _("not ticked (off)"));
      else if (label->off != NULL)
        {
          off = choice (vendor, label->off);
          g_string_append (value, off);
        }
      else
        g_string_append (value, _("no encryption"));
      break;

    case STAMP_SECURITY_STARTTLS:
    default:
      if (on == NULL)
        g_string_append (value, "STARTTLS");
      else if (by_port)
        g_string_append_printf (value, _("%s: with port %u it means STARTTLS"), on, guide->port);
      else if (tls != NULL && (vendor->generic || g_strcmp0 (label->on, "STARTTLS") == 0))
        g_string_append_printf (value, _("%s; not %s, which is TLS from the first byte, for "
                                         "port 465"), on, tls);
      else if (tls != NULL)
        g_string_append_printf (value, _("%s (STARTTLS); not %s, which is TLS from the first "
                                         "byte, for port 465"), on, tls);
      else if (checkbox)
        g_string_append_printf (value, _("%s: the device then uses STARTTLS"), on);
      else
        g_string_append_printf (value, _("%s (STARTTLS)"), on);
      break;
    }

  if (guide->security != STAMP_SECURITY_NONE && (label->flags & STAMP_DEVICE_LABEL_UNVERIFIED))
    g_string_append (value, _(" (not confirmed for this make: if the test scan fails, check "
                              "its manual)"));

  return g_string_free (value, FALSE);
}

static char *
auth_value (const StampDeviceGuide *guide,
            const StampDeviceLabel *label)
{
  const StampDeviceVendor *vendor = guide->vendor;
  gboolean checkbox = (label->flags & STAMP_DEVICE_LABEL_CHECKBOX) != 0;

  if (guide->path == STAMP_DEVICE_PATH_SUBMISSION_OAUTH)
    return label->oauth != NULL ? choice (vendor, label->oauth)
           : guide->microsoft365 ? g_strdup (_("OAuth 2.0, where the device offers it (see "
                                               "“OAuth on this device”)"))
           : g_strdup (_("OAuth 2.0, where the device offers it"));
  if (guide->sign_in)
    return checkbox ? g_strdup (_("ticked (on)"))
           : label->on != NULL ? choice (vendor, label->on)
           : g_strdup (_("the user name and password choice (its name varies by model)"));
  return checkbox ? g_strdup (_("not ticked (off)"))
         : label->off != NULL ? choice (vendor, label->off)
         : g_strdup (_("no authentication"));
}

static char *
server_value (const StampDeviceGuide *guide)
{
  if (guide->host == NULL && guide->path == STAMP_DEVICE_PATH_LOCAL_RELAY)
    return g_strdup (_("your relay’s address on your network"));
  if (guide->host == NULL)
    return g_strdup (_("your tenant’s MX host (Microsoft 365 admin center → Settings → Domains)"));
  if (guide->path == STAMP_DEVICE_PATH_RELAY_CONNECTOR && guide->tenant_mx_guessed)
    /* Translators: a host name, marked as a guess */
    return g_strdup_printf (_("%s (GUESSED: see below)"), guide->host);
  return g_strdup (guide->host);
}

static char *
password_value (StampExportContext     *context,
                const StampDeviceGuide *guide)
{
  StampProvider *provider = stamp_export_context_get_provider (context);

  if (guide->path == STAMP_DEVICE_PATH_SUBMISSION_OAUTH)
    return g_strdup (_("(none: the device signs in with OAuth)"));
  if (!guide->password)
    return g_strdup (_("(leave empty)"));
  if (guide->path == STAMP_DEVICE_PATH_STAMP_RELAY)
    return guide->prints_secret
           ? g_strdup (stamp_export_context_get_relay (context)->password)
           : g_strdup (_("(the password the device already has — not printed)"));
  if (guide->prints_secret)
    return g_strdup (stamp_export_context_get_secret (context));
  if (stamp_export_context_get_auth (context) == STAMP_EXPORT_AUTH_OAUTH
      || (provider != NULL && stamp_provider_needs_app_password (provider)))
    return g_strdup (_("(your app password — not printed)"));
  return g_strdup (_("(your password — not printed)"));
}

/* Through Stamp Relay the device signs in as itself, not as the account. */
static const char *
user_value (StampExportContext     *context,
            const StampDeviceGuide *guide)
{
  if (!guide->sign_in)
    return _("(leave empty)");
  if (guide->path == STAMP_DEVICE_PATH_STAMP_RELAY)
    return stamp_export_context_get_relay (context)->user;
  return stamp_export_username (context);
}

static void
add_rows (GPtrArray              *items,
          StampExportContext     *context,
          const StampDeviceGuide *guide)
{
  const StampDeviceVendor *vendor = guide->vendor;
  StampAccount *account = stamp_export_context_get_account (context);
  const char *leave_empty = _("(leave empty)");

  add (items, STAMP_SHEET_ROW, _("Where"), stamp_device_vendor_text (vendor, vendor->menu));

  for (guint i = 0; i < G_N_ELEMENTS (vendor->labels) && vendor->labels[i].label != NULL; i++)
    {
      const StampDeviceLabel *label = &vendor->labels[i];
      const char *name = stamp_device_vendor_text (vendor, label->label);
      const char *display_name;

      switch (label->field)
        {
        case STAMP_DEVICE_FIELD_SERVER:
          add_take (items, STAMP_SHEET_ROW, g_strdup (name), server_value (guide));
          break;
        case STAMP_DEVICE_FIELD_PORT:
          add_take (items, STAMP_SHEET_ROW, g_strdup (name), g_strdup_printf ("%u", guide->port));
          break;
        case STAMP_DEVICE_FIELD_SECURITY:
          add_take (items, STAMP_SHEET_ROW, g_strdup (name), security_value (guide, label));
          break;
        case STAMP_DEVICE_FIELD_AUTH:
          add_take (items, STAMP_SHEET_ROW, g_strdup (name), auth_value (guide, label));
          break;
        case STAMP_DEVICE_FIELD_CREDENTIALS:
          add_take (items, STAMP_SHEET_ROW, g_strdup (name),
                    choice (vendor, guide->sign_in ? label->on : label->off));
          break;
        case STAMP_DEVICE_FIELD_AUTH_ADDRESS:
          add (items, STAMP_SHEET_ROW, name,
               guide->sign_in ? stamp_export_from_address (context) : leave_empty);
          break;
        case STAMP_DEVICE_FIELD_USER:
          add (items, STAMP_SHEET_ROW, name, user_value (context, guide));
          break;
        case STAMP_DEVICE_FIELD_PASSWORD:
          add_take (items, STAMP_SHEET_ROW, g_strdup (name), password_value (context, guide));
          break;
        case STAMP_DEVICE_FIELD_SENDER:
          add (items, STAMP_SHEET_ROW, name, stamp_export_from_address (context));
          break;
        case STAMP_DEVICE_FIELD_SENDER_NAME:
          display_name = stamp_account_get_display_name (account);
          if (display_name != NULL && *display_name != '\0')
            add (items, STAMP_SHEET_ROW, name, display_name);
          break;
        default:
          g_assert_not_reached ();
        }
    }
}

char *
_stamp_device_sheet_title (const StampDeviceVendor *vendor)
{
  if (vendor->generic)
    return g_strdup (_("Scan to email: your printer or scanner"));
  /* Translators: %s is a printer make, "Brother" */
  return g_strdup_printf (_("Scan to email: %s"), vendor->name);
}

static GPtrArray *
build_items (StampExportContext *context,
             StampDeviceGuide   *guide)
{
  const StampDeviceVendor *vendor = guide->vendor;
  StampProvider *provider = stamp_export_context_get_provider (context);
  gboolean m365 = stamp_export_context_is_microsoft365 (context);
  GPtrArray *items = g_ptr_array_new_with_free_func (item_free);
  const char *where = provider != NULL ? stamp_provider_get_name (provider)
                      : stamp_account_get_host (stamp_export_context_get_account (context));
  char *subtitle;

  add_take (items, STAMP_SHEET_TITLE, NULL, _stamp_device_sheet_title (vendor));
  if (vendor->generic)
    /* Translators: "alice@contoso.com (Microsoft 365) · any make: …" */
    subtitle = g_strdup_printf (_("%s (%s) · any make: the names below are the usual ones"),
                                stamp_export_from_address (context), where);
  else
    /* Translators: "alice@contoso.com (Microsoft 365) · Brother Web Based Management" */
    subtitle = g_strdup_printf (_("%s (%s) · %s %s"), stamp_export_from_address (context), where,
                                vendor->name, vendor->interface);
  add_take (items, STAMP_SHEET_SUBTITLE, NULL, subtitle);

  add_take (items, STAMP_SHEET_HEADING, NULL,
            g_strdup_printf (_("Path: %s"), stamp_device_path_get_title (guide->path)));
  add (items, STAMP_SHEET_TEXT, NULL, guide->why);

  add_take (items, STAMP_SHEET_TABLE_HEAD,
            vendor->generic ? g_strdup (_("Field (as your device may call it)"))
                            /* Translators: %s is a printer make, "Brother" */
                            : g_strdup_printf (_("Field (as your %s calls it)"), vendor->name),
            g_strdup (_("Value")));
  add_rows (items, context, guide);

  if (guide->path == STAMP_DEVICE_PATH_SUBMISSION_OAUTH && m365)
    {
      add (items, STAMP_SHEET_HEADING, NULL, _("OAuth on this device"));
      switch (vendor->oauth)
        {
        case STAMP_DEVICE_OAUTH_YES:
          /* Translators: %s is a printer make, "Canon" */
          add_take (items, STAMP_SHEET_BULLET, g_strdup (_("Status")),
                    g_strdup_printf (_("%s supports it on newer models or firmware (source "
                                       "below)."), vendor->name));
          add (items, STAMP_SHEET_BULLET, _("How"), _(vendor->oauth_how));
          break;
        case STAMP_DEVICE_OAUTH_UNVERIFIED:
          add_take (items, STAMP_SHEET_BULLET, g_strdup (_("Status")),
                    g_strdup_printf (_("unverified: no vendor source confirms that %s signs in "
                                       "with Microsoft 365 itself."), vendor->name));
          if (vendor->oauth_how != NULL)
            add (items, STAMP_SHEET_BULLET, _("Note"), _(vendor->oauth_how));
          add (items, STAMP_SHEET_BULLET, _("What to do"),
               _("look for “OAuth 2.0” or “Microsoft” in the e-mail settings and in the "
                 "firmware’s release notes; if there is none, use another path below."));
          break;
        case STAMP_DEVICE_OAUTH_UNKNOWN:
        default:
          add (items, STAMP_SHEET_BULLET, _("Status"), _(vendor->oauth_how));
          break;
        }
      if (vendor->source != NULL)
        add_take (items, STAMP_SHEET_SMALL, NULL, g_strdup_printf (_("Source: %s"), vendor->source));
    }

  if (guide->before->len > 0)
    {
      add (items, STAMP_SHEET_HEADING, NULL, _("Before it works"));
      for (guint i = 0; i < guide->before->len; i++)
        add (items, STAMP_SHEET_BULLET, NULL, g_ptr_array_index (guide->before, i));
    }

  if (guide->cautions->len > 0)
    {
      add (items, STAMP_SHEET_HEADING, NULL, _("Watch out"));
      for (guint i = 0; i < guide->cautions->len; i++)
        add (items, STAMP_SHEET_BULLET, NULL, g_ptr_array_index (guide->cautions, i));
    }

  if (m365)
    {
      add (items, STAMP_SHEET_HEADING, NULL, _("Microsoft 365 MX host"));
      if (guide->tenant_mx == NULL)
        add (items, STAMP_SHEET_WARNING, NULL,
             _("Not looked up: find it in the Microsoft 365 admin center, Settings → Domains."));
      else if (guide->tenant_mx_guessed)
        add_take (items, STAMP_SHEET_WARNING, NULL,
                  g_strdup_printf (_("%s: guessed, because DNS did not show a Microsoft 365 MX "
                                     "host. Check it in the Microsoft 365 admin center (Settings → "
                                     "Domains) before you use it."), guide->tenant_mx));
      else
        add_take (items, STAMP_SHEET_TEXT, NULL,
                  g_strdup_printf (_("%s (found in DNS). The relay connector and Direct Send "
                                     "use it."), guide->tenant_mx));
    }

  if (guide->others->len > 0)
    add (items, STAMP_SHEET_HEADING, NULL, _("Other paths"));
  for (guint i = 0; i < guide->others->len; i++)
    {
      StampDeviceOption *option = g_ptr_array_index (guide->others, i);

      add (items, STAMP_SHEET_BULLET, stamp_device_path_get_title (option->path), option->when);
    }

  add (items, STAMP_SHEET_HEADING, NULL, _("After saving"));
  for (guint i = 0; i < guide->checks->len; i++)
    add (items, STAMP_SHEET_BULLET, NULL, g_ptr_array_index (guide->checks, i));

  add (items, STAMP_SHEET_SMALL, NULL,
       _("Names vary by model and firmware: where one differs, use the nearest match. Made by "
         "Stamp."));

  return items;
}

GPtrArray *
_stamp_device_sheet_build (StampExportContext  *context,
                           gboolean            *prints_secret,
                           GError             **error)
{
  g_autoptr(StampDeviceGuide) guide = stamp_device_guide_new (context, error);

  if (guide == NULL)
    return NULL;
  if (prints_secret != NULL)
    *prints_secret = guide->prints_secret;
  return build_items (context, guide);
}

/* Plain text */

/* Lines of at most @width characters, broken at spaces; a word longer
 * than that (a URL) is cut. */
static GPtrArray *
wrap (const char *text,
      guint       width)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) words = g_strsplit (text != NULL ? text : "", " ", -1);
  GString *line = g_string_new (NULL);
  guint line_len = 0;

  for (guint i = 0; words[i] != NULL; i++)
    {
      const char *word = words[i];
      guint len = g_utf8_strlen (word, -1);

      if (line_len > 0 && line_len + 1 + len > width)
        {
          g_ptr_array_add (lines, g_strdup (line->str));
          g_string_truncate (line, 0);
          line_len = 0;
        }
      while (len > width)
        {
          const char *cut = g_utf8_offset_to_pointer (word, width);

          g_ptr_array_add (lines, g_strndup (word, cut - word));
          word = cut;
          len -= width;
        }
      if (line_len > 0)
        {
          g_string_append_c (line, ' ');
          line_len++;
        }
      g_string_append (line, word);
      line_len += len;
    }
  if (line_len > 0 || lines->len == 0)
    g_ptr_array_add (lines, g_strdup (line->str));

  g_string_free (line, TRUE);
  return lines;
}

static void
append_wrapped (GString    *out,
                const char *first_prefix,
                const char *prefix,
                const char *text,
                guint       width)
{
  g_autoptr(GPtrArray) lines = wrap (text, width - g_utf8_strlen (prefix, -1));

  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf (out, "%s%s\n", i == 0 ? first_prefix : prefix,
                            (char *) g_ptr_array_index (lines, i));
}

static void
append_padded (GString    *out,
               const char *text,
               guint       width)
{
  g_string_append (out, text);
  for (guint n = g_utf8_strlen (text, -1); n < width; n++)
    g_string_append_c (out, ' ');
}

static void
append_row (GString    *out,
            const char *label,
            const char *value)
{
  g_autoptr(GPtrArray) left = wrap (label, TEXT_LABEL_WIDTH);
  g_autoptr(GPtrArray) right = wrap (value, TEXT_WIDTH - TEXT_LABEL_WIDTH - 4);

  for (guint i = 0; i < MAX (left->len, right->len); i++)
    {
      g_string_append (out, "  ");
      if (i < right->len)
        {
          append_padded (out, i < left->len ? g_ptr_array_index (left, i) : "", TEXT_LABEL_WIDTH + 2);
          g_string_append (out, g_ptr_array_index (right, i));
        }
      else
        g_string_append (out, (char *) g_ptr_array_index (left, i));
      g_string_append_c (out, '\n');
    }
}

static void
append_rule (GString *out,
             char     c,
             guint    len)
{
  for (guint i = 0; i < len; i++)
    g_string_append_c (out, c);
  g_string_append_c (out, '\n');
}

/**
 * stamp_device_sheet_to_text:
 * @context: the account, device make and abilities, and tenant MX host
 * @prints_secret: (out) (optional): whether the password is on the sheet
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the sheet as plain text
 */
GString *
stamp_device_sheet_to_text (StampExportContext  *context,
                            gboolean            *prints_secret,
                            GError             **error)
{
  g_autoptr(GPtrArray) items = NULL;
  GString *out;

  g_return_val_if_fail (STAMP_IS_EXPORT_CONTEXT (context), NULL);

  items = _stamp_device_sheet_build (context, prints_secret, error);
  if (items == NULL)
    return NULL;

  out = g_string_new (NULL);
  for (guint i = 0; i < items->len; i++)
    {
      StampSheetItem *item = g_ptr_array_index (items, i);
      g_autofree char *bullet = NULL;

      switch (item->kind)
        {
        case STAMP_SHEET_TITLE:
          g_string_append_printf (out, "%s\n", item->text);
          append_rule (out, '=', g_utf8_strlen (item->text, -1));
          break;
        case STAMP_SHEET_SUBTITLE:
          append_wrapped (out, "", "", item->text, TEXT_WIDTH);
          break;
        case STAMP_SHEET_HEADING:
          g_string_append_printf (out, "\n%s\n", item->text);
          append_rule (out, '-', g_utf8_strlen (item->text, -1));
          break;
        case STAMP_SHEET_TEXT:
          append_wrapped (out, "", "", item->text, TEXT_WIDTH);
          break;
        case STAMP_SHEET_TABLE_HEAD:
          g_string_append_c (out, '\n');
          append_row (out, item->lead, item->text);
          g_string_append (out, "  ");
          append_rule (out, '-', TEXT_WIDTH - 2);
          break;
        case STAMP_SHEET_ROW:
          append_row (out, item->lead, item->text);
          break;
        case STAMP_SHEET_BULLET:
          bullet = item->lead != NULL ? g_strdup_printf ("%s: %s", item->lead, item->text)
                                      : g_strdup (item->text);
          append_wrapped (out, "- ", "  ", bullet, TEXT_WIDTH);
          break;
        case STAMP_SHEET_WARNING:
          append_wrapped (out, "!! ", "   ", item->text, TEXT_WIDTH);
          break;
        case STAMP_SHEET_SMALL:
          g_string_append_c (out, '\n');
          append_wrapped (out, "", "", item->text, TEXT_WIDTH);
          break;
        default:
          g_assert_not_reached ();
        }
    }

  return out;
}
