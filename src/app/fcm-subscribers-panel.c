/* fcm-subscribers-panel.c: the subscribers of the shown hub's topic
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "FcmSubscribersPanel"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "fcm-subscribers-panel-private.h"

/**
 * FcmSubscribersPanel:
 *
 * For integration developers: who else is in the session and how each one
 * acks. For the built-in hub the figures come from the hub object itself
 * (fcm_hub_list_subscribers()): name, events, acks, refused and missed
 * acks, the last ack's latency, whether it is connected. The hub tells of
 * changes at most every FCM_HUB_SUBSCRIBERS_CHANGED_INTERVAL_MS, so a burst
 * of events costs the panel nothing per event; while the panel is hidden it
 * only notes that it is out of date.
 *
 * A remote hub does not share its subscribers: the panel shows our own
 * subscription and says so, except for a hub on this computer that serves
 * our /admin/subscribers (`fhircast hub --admin`), which it asks every 2 s
 * while shown (fcm-subscribers-panel-admin.c).
 *
 * Endpoint ids are bearer tickets (C-09, H-02): only their first
 * characters are ever shown.
 */
G_DEFINE_FINAL_TYPE (FcmSubscribersPanel, fcm_subscribers_panel, GTK_TYPE_WIDGET)

typedef struct
{
  GtkWidget *row;
  GtkLabel  *name;
  GtkWidget *tag;
  GtkLabel  *events;
  GtkLabel  *figures;
  GtkLabel  *detail;
} Row;

/* ------------------------------------------------------------------ views */

void
_fcm_subscriber_view_free (FcmSubscriberView *view)
{
  if (view == NULL)
    return;
  g_free (view->key);
  g_free (view->name);
  g_strfreev (view->events);
  g_free (view->endpoint);
  g_free (view);
}

/* The first four characters of an endpoint id (or URL's last segment) */
char *
_fcm_subscribers_redact (const char *endpoint)
{
  const char *slash;

  if (endpoint == NULL || *endpoint == '\0')
    return NULL;
  slash = strrchr (endpoint, '/');
  if (slash != NULL)
    endpoint = slash + 1;
  return g_strdup_printf ("%.4s…", endpoint);
}

static const char *
client_state_text (FcmClientState state)
{
  switch (state)
    {
    case FCM_CLIENT_STATE_ACTIVE:
    case FCM_CLIENT_STATE_RENEWING:
      return _("Connected");
    case FCM_CLIENT_STATE_SUBSCRIBING:
    case FCM_CLIENT_STATE_CONNECTING:
      return _("Connecting…");
    case FCM_CLIENT_STATE_RECONNECTING:
      return _("Reconnecting…");
    case FCM_CLIENT_STATE_DENIED:
      return _("Denied by the hub");
    case FCM_CLIENT_STATE_DISCONNECTED:
    case FCM_CLIENT_STATE_ERROR:
    default:
      return _("Not connected");
    }
}

static GPtrArray *
views_from_hub (FcmSubscribersPanel *self)
{
  FcmHubClient *client = fcm_connection_get_client (self->connection);
  g_autoptr(GPtrArray) list = fcm_hub_list_subscribers (self->hub, fcm_hub_client_get_topic (client));
  guint64 own = fcm_hub_get_subscriber_serial (self->hub, fcm_hub_client_get_endpoint (client));
  GPtrArray *views = g_ptr_array_new_with_free_func ((GDestroyNotify) _fcm_subscriber_view_free);

  for (guint i = 0; i < list->len; i++)
    {
      FcmHubSubscriberInfo *info = g_ptr_array_index (list, i);
      FcmSubscriberView *view = g_new0 (FcmSubscriberView, 1);

      view->key = g_strdup_printf ("hub:%" G_GUINT64_FORMAT, info->serial);
      view->name = g_strdup (info->name);
      view->events = g_strdupv (info->events);
      view->endpoint = g_strdup (info->endpoint);   /* redacted by the hub */
      view->state = info->connected ? _("Connected") : _("Not connected");
      view->is_self = own != 0 && info->serial == own;
      view->has_figures = TRUE;
      view->acks = info->acks;
      view->refused_acks = info->refused_acks;
      view->missed_acks = info->missed_acks;
      view->pending_acks = info->pending_acks;
      view->last_ack_latency = info->last_ack_latency;
      g_ptr_array_add (views, view);
    }
  return views;
}

/* A remote hub: what our own client knows of its subscription */
static GPtrArray *
views_from_client (FcmSubscribersPanel *self)
{
  FcmHubClient *client = fcm_connection_get_client (self->connection);
  GPtrArray *views = g_ptr_array_new_with_free_func ((GDestroyNotify) _fcm_subscriber_view_free);
  FcmSubscriberView *view = g_new0 (FcmSubscriberView, 1);
  const char * const *events = fcm_hub_client_get_granted_events (client);

  if (events == NULL || events[0] == NULL)
    events = fcm_hub_client_get_events (client);
  view->key = g_strdup ("own");
  view->name = g_strdup (fcm_hub_client_get_subscriber_name (client));
  view->events = g_strdupv ((char **) events);
  view->endpoint = _fcm_subscribers_redact (fcm_hub_client_get_endpoint (client));
  view->state = client_state_text (fcm_hub_client_get_state (client));
  view->is_self = TRUE;
  view->last_ack_latency = -1;
  g_ptr_array_add (views, view);
  return views;
}

/* ------------------------------------------------------------------- text */

/* "DiagnosticReport-open/close/update/select, SyncError": the events
 * grouped by resource, in the order subscribed */
static char *
events_summary (char **events)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *group = NULL;

  for (guint i = 0; events != NULL && events[i] != NULL; i++)
    {
      const char *dash = strrchr (events[i], '-');
      g_autofree char *prefix = dash != NULL ? g_strndup (events[i], dash - events[i]) : NULL;

      if (prefix != NULL && group != NULL && g_str_equal (prefix, group))
        {
          g_string_append_c (text, '/');
          g_string_append (text, dash + 1);
          continue;
        }
      if (text->len > 0)
        g_string_append (text, ", ");
      g_string_append (text, events[i]);
      g_free (group);
      group = g_steal_pointer (&prefix);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
latency_text (gint64 usec)
{
  if (usec < 10 * 1000)
    /* Translators: an ack's latency in milliseconds, with one decimal */
    return g_strdup_printf (_("%.1f ms"), (double) usec / 1000.0);
  if (usec < 10 * G_USEC_PER_SEC)
    /* Translators: an ack's latency in milliseconds */
    return g_strdup_printf (_("%.0f ms"), (double) usec / 1000.0);
  /* Translators: an ack's latency in seconds */
  return g_strdup_printf (_("%.1f s"), (double) usec / G_USEC_PER_SEC);
}

static char *
figures_text (FcmSubscriberView *view)
{
  g_autofree char *acks = NULL;

  if (!view->has_figures)
    return NULL;
  /* Translators: how many acks a subscriber sent */
  acks = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%llu ack", "%llu acks", view->acks),
                          (unsigned long long) view->acks);
  /* Translators: 1: "N acks", 2: how many of them were not 2xx, 3: notifications never acked in time */
  return g_strdup_printf (_("%s · %llu refused · %llu missed"), acks,
                          (unsigned long long) view->refused_acks, (unsigned long long) view->missed_acks);
}

static char *
detail_text (FcmSubscriberView *view)
{
  g_autoptr(GString) text = g_string_new (view->state);

  if (view->has_figures)
    {
      if (view->last_ack_latency >= 0)
        {
          g_autofree char *latency = latency_text (view->last_ack_latency);

          /* Translators: %s is a latency such as "3.2 ms" */
          g_string_append_printf (text, _(" · last ack %s"), latency);
        }
      else
        g_string_append (text, _(" · no ack yet"));
      if (view->pending_acks > 0)
        /* Translators: notifications the hub waits for an ack of */
        g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, " · %u waiting", " · %u waiting",
                                                   view->pending_acks), view->pending_acks);
    }
  if (view->endpoint != NULL)
    /* Translators: %s is the shortened endpoint id, e.g. "3f2a…" */
    g_string_append_printf (text, _(" · endpoint %s"), view->endpoint);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
set_label (GtkLabel   *label,
           const char *text)
{
  if (g_strcmp0 (gtk_label_get_text (label), text != NULL ? text : "") != 0)
    gtk_label_set_text (label, text);
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
}

/* ------------------------------------------------------------------- rows */

static GtkLabel *
row_label (GtkWidget  *box,
           const char *css)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  /* a narrow natural width: folded over the timeline, the panel takes
   * what it needs, not the whole window */
  gtk_label_set_max_width_chars (GTK_LABEL (label), 30);
  if (css != NULL)
    gtk_widget_add_css_class (label, css);
  gtk_box_append (GTK_BOX (box), label);
  return GTK_LABEL (label);
}

static Row *
row_new (void)
{
  Row *row = g_new0 (Row, 1);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *name = gtk_label_new (NULL);

  row->row = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row->row), FALSE);
  gtk_widget_add_css_class (row->row, "subscriber-row");
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row->row), box);

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (name), 24);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_widget_add_css_class (name, "heading");
  row->name = GTK_LABEL (name);
  gtk_box_append (GTK_BOX (line), name);
  row->tag = gtk_label_new (_("This app"));
  gtk_widget_add_css_class (row->tag, "fcm-badge");
  gtk_widget_add_css_class (row->tag, "accent");
  gtk_widget_set_valign (row->tag, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (line), row->tag);
  gtk_box_append (GTK_BOX (box), line);

  row->events = row_label (box, "caption");
  gtk_widget_add_css_class (GTK_WIDGET (row->events), "dim-label");
  row->figures = row_label (box, "subscriber-figures");
  row->detail = row_label (box, "caption");
  gtk_widget_add_css_class (GTK_WIDGET (row->detail), "subscriber-figures");
  return row;
}

static void
row_update (Row               *row,
            FcmSubscriberView *view)
{
  g_autofree char *events = events_summary (view->events);
  g_autofree char *figures = figures_text (view);
  g_autofree char *detail = detail_text (view);
  g_autofree char *all_events = view->events != NULL ? g_strjoinv ("\n", view->events) : NULL;
  g_autoptr(GString) accessible = NULL;
  const char *name = view->name != NULL ? view->name : _("Unnamed subscriber");

  if (g_strcmp0 (gtk_label_get_text (row->name), name) != 0)
    {
      gtk_label_set_text (row->name, name);
      /* in full, when "This app" leaves it too little room */
      gtk_widget_set_tooltip_text (GTK_WIDGET (row->name), name);
    }
  gtk_widget_set_visible (row->tag, view->is_self);
  if (g_strcmp0 (gtk_label_get_text (row->events), events) != 0)
    {
      gtk_label_set_text (row->events, events);
      /* every event as subscribed, spelled as the subscriber spelled it */
      gtk_widget_set_tooltip_text (GTK_WIDGET (row->events), all_events);
    }
  set_label (row->figures, figures);
  set_label (row->detail, detail);

  /* what a screen reader says for the row, set only when it changed */
  accessible = g_string_new (name);
  if (view->is_self)
    g_string_append_printf (accessible, " (%s)", _("This app"));
  g_string_append_printf (accessible, ". %s", detail);
  if (figures != NULL)
    g_string_append_printf (accessible, ". %s", figures);
  /* Translators: before the list of events a subscriber subscribed to */
  g_string_append_printf (accessible, ". %s %s", _("Events:"), events);
  g_string_replace (accessible, " · ", ", ", 0);
  if (g_strcmp0 (g_object_get_data (G_OBJECT (row->row), "fcm-a11y-label"), accessible->str) != 0)
    {
      gtk_accessible_update_property (GTK_ACCESSIBLE (row->row), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible->str, -1);
      g_object_set_data_full (G_OBJECT (row->row), "fcm-a11y-label",
                              g_string_free (g_steal_pointer (&accessible), FALSE), g_free);
    }
}

static const char *
source_text (FcmSubscribersPanel *self)
{
  switch (self->source)
    {
    case FCM_SUBSCRIBERS_SOURCE_HUB:
      return _("From the built-in hub itself, updated as acks arrive. Endpoint ids are shortened: "
               "each one is a secret.");
    case FCM_SUBSCRIBERS_SOURCE_ADMIN:
      return _("From this hub’s /admin/subscribers (a “fhircast hub --admin” on this computer), "
               "every 2 seconds while shown. Endpoint ids are shortened: each one is a secret.");
    case FCM_SUBSCRIBERS_SOURCE_OWN:
      return _("Only this app’s own subscription is known: this hub does not share its subscribers. "
               "Ack counts show for the built-in hub, and for a “fhircast hub --admin” on this computer.");
    case FCM_SUBSCRIBERS_SOURCE_NONE:
    default:
      return _("Not connected to a hub.");
    }
}

static void
apply (FcmSubscribersPanel *self,
       GPtrArray           *views)
{
  g_autoptr(GHashTable) keep = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer key, value;
  g_autofree char *count = NULL;
  guint n = views != NULL ? views->len : 0;

  for (guint i = 0; i < n; i++)
    g_hash_table_add (keep, ((FcmSubscriberView *) g_ptr_array_index (views, i))->key);

  /* the ones gone first, so that positions below are right */
  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!g_hash_table_contains (keep, key))
      {
        gtk_list_box_remove (self->list, ((Row *) value)->row);
        g_hash_table_iter_remove (&iter);
      }

  for (guint i = 0; i < n; i++)
    {
      FcmSubscriberView *view = g_ptr_array_index (views, i);
      Row *row = g_hash_table_lookup (self->rows, view->key);

      if (row == NULL)
        {
          row = row_new ();
          g_hash_table_insert (self->rows, g_strdup (view->key), row);
          gtk_list_box_insert (self->list, row->row, (int) i);
        }
      row_update (row, view);
    }

  /* Translators: how many subscribers the topic has */
  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u subscriber", "%u subscribers", n), n);
  set_label (self->count_label, self->source == FCM_SUBSCRIBERS_SOURCE_NONE ||
                                self->source == FCM_SUBSCRIBERS_SOURCE_OWN ? NULL : count);
  set_label (self->source_label, source_text (self));
  self->n_updates++;
}

/* Reads the source again and updates the rows in place. Only while
 * shown: hidden, the panel notes it is out of date (queue_refresh). */
void
_fcm_subscribers_panel_refresh (FcmSubscribersPanel *self)
{
  g_autoptr(GPtrArray) views = NULL;

  self->dirty = FALSE;
  if (self->connection == NULL)
    self->source = FCM_SUBSCRIBERS_SOURCE_NONE;
  else if (self->hub != NULL)
    {
      self->source = FCM_SUBSCRIBERS_SOURCE_HUB;
      views = views_from_hub (self);
    }
  else if (self->admin_views != NULL)
    {
      self->source = FCM_SUBSCRIBERS_SOURCE_ADMIN;
      views = g_ptr_array_ref (self->admin_views);
    }
  else
    {
      self->source = FCM_SUBSCRIBERS_SOURCE_OWN;
      views = views_from_client (self);
    }
  apply (self, views);
}

static void
queue_refresh (FcmSubscribersPanel *self)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    _fcm_subscribers_panel_refresh (self);
  else
    self->dirty = TRUE;
}

/* at most every FCM_HUB_SUBSCRIBERS_CHANGED_INTERVAL_MS, whatever the load */
static void
hub_subscribers_changed_cb (FcmSubscribersPanel *self,
                            const char          *topic)
{
  if (g_strcmp0 (topic, fcm_hub_client_get_topic (fcm_connection_get_client (self->connection))) == 0)
    queue_refresh (self);
}

/* -------------------------------------------------------------- public API */

/**
 * fcm_subscribers_panel_new:
 *
 * Returns: a new #FcmSubscribersPanel without a connection
 */
GtkWidget *
fcm_subscribers_panel_new (void)
{
  return g_object_new (FCM_TYPE_SUBSCRIBERS_PANEL, NULL);
}

FcmConnection *
fcm_subscribers_panel_get_connection (FcmSubscribersPanel *self)
{
  g_return_val_if_fail (FCM_IS_SUBSCRIBERS_PANEL (self), NULL);
  return self->connection;
}

static void
unwatch (FcmSubscribersPanel *self)
{
  _fcm_subscribers_admin_stop (self);
  g_clear_pointer (&self->admin_views, g_ptr_array_unref);
  if (self->hub != NULL)
    g_signal_handlers_disconnect_by_data (self->hub, self);
  if (self->connection != NULL)
    g_signal_handlers_disconnect_by_data (fcm_connection_get_client (self->connection), self);
  g_clear_object (&self->hub);
  g_clear_object (&self->connection);
}

/**
 * fcm_subscribers_panel_set_connection:
 * @connection: (nullable): the shown hub connection
 */
void
fcm_subscribers_panel_set_connection (FcmSubscribersPanel *self,
                                      FcmConnection       *connection)
{
  g_return_if_fail (FCM_IS_SUBSCRIBERS_PANEL (self));
  g_return_if_fail (connection == NULL || FCM_IS_CONNECTION (connection));

  if (self->connection == connection)
    return;

  unwatch (self);
  /* another hub's subscribers: none of the rows stay */
  apply (self, NULL);

  if (connection != NULL)
    {
      FcmHub *hub = fcm_connection_get_hub (connection);

      self->connection = g_object_ref (connection);
      if (hub != NULL)
        {
          self->hub = g_object_ref (hub);
          g_signal_connect_object (hub, "subscribers-changed",
                                   G_CALLBACK (hub_subscribers_changed_cb), self, G_CONNECT_SWAPPED);
        }
      /* our own subscription comes and goes with the client's state */
      g_signal_connect_object (fcm_connection_get_client (connection), "notify::state",
                               G_CALLBACK (queue_refresh), self, G_CONNECT_SWAPPED);
      if (hub == NULL && gtk_widget_get_mapped (GTK_WIDGET (self)))
        _fcm_subscribers_admin_start (self);
    }
  queue_refresh (self);
}

/* ------------------------------------------------------------------ widget */

static void
fcm_subscribers_panel_map (GtkWidget *widget)
{
  FcmSubscribersPanel *self = FCM_SUBSCRIBERS_PANEL (widget);

  GTK_WIDGET_CLASS (fcm_subscribers_panel_parent_class)->map (widget);
  if (self->dirty)
    _fcm_subscribers_panel_refresh (self);
  if (self->connection != NULL && self->hub == NULL)
    _fcm_subscribers_admin_start (self);
}

static void
fcm_subscribers_panel_unmap (GtkWidget *widget)
{
  _fcm_subscribers_admin_stop (FCM_SUBSCRIBERS_PANEL (widget));
  GTK_WIDGET_CLASS (fcm_subscribers_panel_parent_class)->unmap (widget);
}

static void
fcm_subscribers_panel_dispose (GObject *object)
{
  FcmSubscribersPanel *self = FCM_SUBSCRIBERS_PANEL (object);
  GtkWidget *child;

  unwatch (self);
  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), FCM_TYPE_SUBSCRIBERS_PANEL);
  /* the template's top-level box is not a bound child */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (fcm_subscribers_panel_parent_class)->dispose (object);
}

static void
fcm_subscribers_panel_class_init (FcmSubscribersPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fcm_subscribers_panel_dispose;
  widget_class->map = fcm_subscribers_panel_map;
  widget_class->unmap = fcm_subscribers_panel_unmap;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/fhircastmonitor/FhircastMonitor/"
                                               "fcm-subscribers-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, FcmSubscribersPanel, count_label);
  gtk_widget_class_bind_template_child (widget_class, FcmSubscribersPanel, source_label);
  gtk_widget_class_bind_template_child (widget_class, FcmSubscribersPanel, list);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "subscriberspanel");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
fcm_subscribers_panel_init (FcmSubscribersPanel *self)
{
  GtkWidget *placeholder;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  placeholder = gtk_label_new (_("No subscribers"));
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 12);
  gtk_widget_set_margin_bottom (placeholder, 12);
  gtk_list_box_set_placeholder (self->list, placeholder);
  apply (self, NULL);
}

/* ------------------------------------------------------------------- tests */

guint
_fcm_subscribers_panel_get_n_rows (FcmSubscribersPanel *self)
{
  return g_hash_table_size (self->rows);
}

GtkWidget *
_fcm_subscribers_panel_get_row (FcmSubscribersPanel *self,
                                guint                index)
{
  return GTK_WIDGET (gtk_list_box_get_row_at_index (self->list, (int) index));
}

/* Every visible text of row @index, one line each */
char *
_fcm_subscribers_panel_dup_row_text (FcmSubscribersPanel *self,
                                     guint                index)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->list, (int) index);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();

  if (row == NULL)
    return NULL;
  g_ptr_array_add (stack, row);
  while (stack->len > 0)
    {
      GtkWidget *widget = g_ptr_array_steal_index (stack, stack->len - 1);

      if (!gtk_widget_get_visible (widget))
        continue;
      if (GTK_IS_LABEL (widget))
        g_string_append_printf (text, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));
      for (GtkWidget *child = gtk_widget_get_last_child (widget); child; child = gtk_widget_get_prev_sibling (child))
        g_ptr_array_add (stack, child);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

const char *
_fcm_subscribers_panel_get_source_text (FcmSubscribersPanel *self)
{
  return gtk_label_get_text (self->source_label);
}

guint
_fcm_subscribers_panel_get_n_updates (FcmSubscribersPanel *self)
{
  return self->n_updates;
}

FcmSubscribersSource
_fcm_subscribers_panel_get_source (FcmSubscribersPanel *self)
{
  return self->source;
}
