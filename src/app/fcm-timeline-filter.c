/* fcm-timeline-filter.c: which rows the timeline shows
 *
 * The type drop-down and the search entry filter the rows (a
 * GtkCustomFilter on the GtkFilterListModel, set only while something is
 * filtered); the status page says why the list is empty.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "FcmTimeline"

#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib/gi18n.h>

#include "fcm-timeline-private.h"

/* ASCII case-insensitive substring search: the messages are JSON, mostly
 * ASCII; @needle is already lower-case */
static gboolean
ascii_contains (const char *haystack,
                const char *needle)
{
  size_t n = strlen (needle);
  char first = needle[0];
  char first_upper = g_ascii_toupper (first);

  for (const char *p = haystack; *p != '\0'; p++)
    {
      if ((*p == first || *p == first_upper) && g_ascii_strncasecmp (p, needle, n) == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
type_matches (FcmTimelineTypeFilter  type,
              FcmEventLogEntry      *entry)
{
  static const char *names[] = {
    [FCM_TIMELINE_TYPE_FILTER_OPEN] = FCM_EVENT_DIAGNOSTIC_REPORT_OPEN,
    [FCM_TIMELINE_TYPE_FILTER_CLOSE] = FCM_EVENT_DIAGNOSTIC_REPORT_CLOSE,
    [FCM_TIMELINE_TYPE_FILTER_UPDATE] = FCM_EVENT_DIAGNOSTIC_REPORT_UPDATE,
    [FCM_TIMELINE_TYPE_FILTER_SELECT] = FCM_EVENT_DIAGNOSTIC_REPORT_SELECT,
    [FCM_TIMELINE_TYPE_FILTER_SYNCERROR] = FCM_EVENT_SYNCERROR,
  };
  const char *name = fcm_event_log_entry_get_name (entry);

  switch (type)
    {
    case FCM_TIMELINE_TYPE_FILTER_ALL:
      return TRUE;
    case FCM_TIMELINE_TYPE_FILTER_OPEN:
    case FCM_TIMELINE_TYPE_FILTER_CLOSE:
    case FCM_TIMELINE_TYPE_FILTER_UPDATE:
    case FCM_TIMELINE_TYPE_FILTER_SELECT:
    case FCM_TIMELINE_TYPE_FILTER_SYNCERROR:
      return name != NULL && fcm_event_name_equal (name, names[type]);
    case FCM_TIMELINE_TYPE_FILTER_OTHER:
    default:
      /* confirmations, denials, acks … and events of other types */
      for (guint i = FCM_TIMELINE_TYPE_FILTER_OPEN; i <= FCM_TIMELINE_TYPE_FILTER_SYNCERROR; i++)
        if (name != NULL && fcm_event_name_equal (name, names[i]))
          return FALSE;
      return TRUE;
    }
}

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  FcmTimeline *self = user_data;
  FcmEventLogEntry *entry = item;
  g_autofree char *text = NULL;

  if (!type_matches (self->type, entry))
    return FALSE;
  if (self->needle == NULL)
    return TRUE;
  /* dup, not get: get_text () would keep every decoded text with its entry */
  text = fcm_event_log_entry_dup_text (entry);
  if (self->needle_ascii)
    return ascii_contains (text, self->needle);
  else
    {
      g_autofree char *folded = g_utf8_casefold (text, -1);

      return strstr (folded, self->needle) != NULL;
    }
}

static void update_count (FcmTimeline *self);

static gboolean
is_ascii (const char *s)
{
  for (; *s != '\0'; s++)
    if ((guchar) *s >= 0x80)
      return FALSE;
  return TRUE;
}

static void
refilter (FcmTimeline       *self,
          GtkFilterChange    change)
{
  /* no filter at all when nothing is filtered: the model passes through */
  if (self->type == FCM_TIMELINE_TYPE_FILTER_ALL && self->needle == NULL)
    gtk_filter_list_model_set_filter (self->filter_model, NULL);
  else if (gtk_filter_list_model_get_filter (self->filter_model) == NULL)
    gtk_filter_list_model_set_filter (self->filter_model, GTK_FILTER (self->filter));
  else
    gtk_filter_changed (GTK_FILTER (self->filter), change);
  /* "27 of 27" vs "27 messages": no row may have changed */
  update_count (self);
}

/* the search entry waits a moment before it says "search-changed": apply
 * what the widgets say at once */
void
_fcm_timeline_refilter_now (FcmTimeline *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  if (text == NULL || text[0] == '\0')
    g_clear_pointer (&self->needle, g_free);
  self->type = gtk_drop_down_get_selected (self->type_filter);
  if (self->type > FCM_TIMELINE_TYPE_FILTER_OTHER)
    self->type = FCM_TIMELINE_TYPE_FILTER_ALL;
  refilter (self, GTK_FILTER_CHANGE_DIFFERENT);
}

static void
type_filter_changed_cb (FcmTimeline *self)
{
  self->type = gtk_drop_down_get_selected (self->type_filter);
  if (self->type > FCM_TIMELINE_TYPE_FILTER_OTHER)
    self->type = FCM_TIMELINE_TYPE_FILTER_ALL;
  refilter (self, GTK_FILTER_CHANGE_DIFFERENT);
}

static void
search_changed_cb (FcmTimeline *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *old = g_steal_pointer (&self->needle);
  GtkFilterChange change = GTK_FILTER_CHANGE_DIFFERENT;

  if (text != NULL && text[0] != '\0')
    {
      self->needle_ascii = is_ascii (text);
      self->needle = self->needle_ascii ? g_ascii_strdown (text, -1) : g_utf8_casefold (text, -1);
    }
  if (old != NULL && self->needle != NULL && strstr (self->needle, old) != NULL)
    change = GTK_FILTER_CHANGE_MORE_STRICT;
  else if (old != NULL && self->needle != NULL && strstr (old, self->needle) != NULL)
    change = GTK_FILTER_CHANGE_LESS_STRICT;
  refilter (self, change);
}

/* 1204 → "1,204": the locale's thousands separator, "," where it has none (C) */
char *
_fcm_format_count (guint n)
{
  const char *sep = localeconv ()->thousands_sep;
  g_autofree char *digits = g_strdup_printf ("%u", n);
  GString *out = g_string_new (NULL);
  size_t len = strlen (digits);

  if (sep == NULL || sep[0] == '\0')
    sep = ",";
  for (size_t i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append (out, sep);
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (out, FALSE);
}

/* next to the filter: "1,204 messages", or "27 of 1,204" while filtered */
static void
update_count (FcmTimeline *self)
{
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model));
  guint total = g_list_model_get_n_items (G_LIST_MODEL (self->batch));
  g_autofree char *shown_text = _fcm_format_count (shown);
  g_autofree char *total_text = _fcm_format_count (total);
  g_autofree char *text = NULL;
  g_autofree char *description = NULL;

  if (gtk_filter_list_model_get_filter (self->filter_model) != NULL)
    {
      /* Translators: rows shown of all rows, e.g. "27 of 1,204" */
      text = g_strdup_printf (_("%s of %s"), shown_text, total_text);
      /* Translators: the same for a screen reader */
      description = g_strdup_printf (ngettext ("%s of %s message shown", "%s of %s messages shown", total),
                                     shown_text, total_text);
    }
  else
    {
      text = g_strdup_printf (ngettext ("%s message", "%s messages", total), total_text);
      description = g_strdup (text);
    }
  if (g_strcmp0 (gtk_inscription_get_text (self->count_label), text) == 0)
    return;
  gtk_inscription_set_text (self->count_label, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->count_label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, description, -1);
}

/* over an empty list: no messages yet, or none that match; and the count */
void
_fcm_timeline_update_empty_state (FcmTimeline *self)
{
  gboolean empty = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model)) == 0;
  gboolean log_empty = self->event_log == NULL ||
                       g_list_model_get_n_items (G_LIST_MODEL (self->event_log)) == 0;

  update_count (self);
  gtk_widget_set_visible (GTK_WIDGET (self->empty_page), empty);
  if (!empty)
    return;
  if (log_empty)
    {
      adw_status_page_set_title (self->empty_page, _("No Messages Yet"));
      adw_status_page_set_description (self->empty_page, _("Messages from the hub appear here as they arrive"));
    }
  else
    {
      adw_status_page_set_title (self->empty_page, _("No Matching Messages"));
      adw_status_page_set_description (self->empty_page, _("Try another message type or search"));
    }
}

/* the filter, and the widgets that set it */
void
_fcm_timeline_setup_filter (FcmTimeline *self)
{
  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  g_signal_connect_object (self->type_filter, "notify::selected",
                           G_CALLBACK (type_filter_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_entry, "search-changed",
                           G_CALLBACK (search_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_search_entry_set_key_capture_widget (self->search_entry, NULL);
}
