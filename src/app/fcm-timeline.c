/* fcm-timeline.c: the event timeline (filter, search, column view, details)
 *
 * The rows are a GtkColumnView (virtualized: only the visible rows have
 * widgets) over GtkSingleSelection over GtkFilterListModel over the
 * FcmEventLog. Cells are GtkInscriptions, which are cheap to measure.
 *
 * Auto-scroll: while the view is at the bottom, new rows are scrolled into
 * view, once per frame however many rows arrived (a tick callback). When the
 * user scrolls up, following stops and "Jump to Latest" appears; scrolling
 * back to the bottom, or the button, resumes it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "FcmTimeline"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <adwaita.h>

#include "fcm-timeline.h"
#include "fcm-timeline-private.h"

/* ------------------------------------------------------------------ batching */

/* FcmTimelineBatch: the log as the view sees it, changed at most once per
 * main-loop turn. A list view in GTK 4.8 does work proportional to its
 * length for every items-changed, so a burst of k messages into a log of n
 * rows must not cost k signals: appends at the end and drops at the front
 * (a full log, C-69 heartbeats aside) are gathered and applied together just
 * before the next frame. Any other change resets the view. */

#define FCM_TYPE_TIMELINE_BATCH (fcm_timeline_batch_get_type ())
G_DECLARE_FINAL_TYPE (FcmTimelineBatch, fcm_timeline_batch, FCM, TIMELINE_BATCH, GObject)

struct _FcmTimelineBatch
{
  GObject     parent_instance;

  GListModel *source;
  GPtrArray  *items;          /* what the view sees (references) */
  guint       source_len;     /* the source's length after the changes seen */
  guint       front_removed;  /* pending */
  gboolean    reset;          /* pending: anything but front drops and appends */
  guint       flush_id;
};

static void fcm_timeline_batch_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FcmTimelineBatch, fcm_timeline_batch, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, fcm_timeline_batch_model_init))

static GType
fcm_timeline_batch_get_item_type (GListModel *model)
{
  return FCM_TYPE_EVENT_LOG_ENTRY;
}

static guint
fcm_timeline_batch_get_n_items (GListModel *model)
{
  return FCM_TIMELINE_BATCH (model)->items->len;
}

static gpointer
fcm_timeline_batch_get_item (GListModel *model,
                             guint       position)
{
  FcmTimelineBatch *self = FCM_TIMELINE_BATCH (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
fcm_timeline_batch_model_init (GListModelInterface *iface)
{
  iface->get_item_type = fcm_timeline_batch_get_item_type;
  iface->get_n_items = fcm_timeline_batch_get_n_items;
  iface->get_item = fcm_timeline_batch_get_item;
}

static void
fcm_timeline_batch_flush (FcmTimelineBatch *self)
{
  guint n = self->source != NULL ? g_list_model_get_n_items (self->source) : 0;
  guint old_len = self->items->len;
  guint kept;

  g_clear_handle_id (&self->flush_id, g_source_remove);

  if (self->reset)
    {
      self->reset = FALSE;
      self->front_removed = 0;
      g_ptr_array_set_size (self->items, 0);
      for (guint i = 0; i < n; i++)
        g_ptr_array_add (self->items, g_list_model_get_item (self->source, i));
      g_list_model_items_changed (G_LIST_MODEL (self), 0, old_len, n);
      return;
    }

  if (self->front_removed > 0)
    {
      guint drop = MIN (self->front_removed, self->items->len);

      self->front_removed = 0;
      g_ptr_array_remove_range (self->items, 0, drop);
      if (drop > 0)
        g_list_model_items_changed (G_LIST_MODEL (self), 0, drop, 0);
    }
  /* what is left is the start of the source: add the rest */
  kept = self->items->len;
  for (guint i = kept; i < n; i++)
    g_ptr_array_add (self->items, g_list_model_get_item (self->source, i));
  if (n > kept)
    g_list_model_items_changed (G_LIST_MODEL (self), kept, 0, n - kept);
}

static gboolean
fcm_timeline_batch_flush_cb (gpointer data)
{
  FcmTimelineBatch *self = data;

  self->flush_id = 0;
  fcm_timeline_batch_flush (self);
  return G_SOURCE_REMOVE;
}

static void
fcm_timeline_batch_source_changed_cb (GListModel       *source,
                                      guint             position,
                                      guint             removed,
                                      guint             added,
                                      FcmTimelineBatch *self)
{
  guint old_len = self->source_len;

  self->source_len = old_len - removed + added;
  if (position == 0 && added == 0)
    self->front_removed += removed;
  else if (!(removed == 0 && position == old_len))
    self->reset = TRUE;
  /* before the next frame is drawn (GDK_PRIORITY_REDRAW is HIGH_IDLE + 20),
   * after the messages that are already waiting (default priority) */
  if (self->flush_id == 0)
    self->flush_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE + 10, fcm_timeline_batch_flush_cb, self, NULL);
}

static void
fcm_timeline_batch_set_source (FcmTimelineBatch *self,
                               GListModel       *source)
{
  if (self->source != NULL)
    g_signal_handlers_disconnect_by_data (self->source, self);
  g_set_object (&self->source, source);
  self->source_len = source != NULL ? g_list_model_get_n_items (source) : 0;
  if (source != NULL)
    g_signal_connect (source, "items-changed", G_CALLBACK (fcm_timeline_batch_source_changed_cb), self);
  self->reset = TRUE;
  fcm_timeline_batch_flush (self);
}

static void
fcm_timeline_batch_dispose (GObject *object)
{
  FcmTimelineBatch *self = FCM_TIMELINE_BATCH (object);

  g_clear_handle_id (&self->flush_id, g_source_remove);
  if (self->source != NULL)
    g_signal_handlers_disconnect_by_data (self->source, self);
  g_clear_object (&self->source);
  g_clear_pointer (&self->items, g_ptr_array_unref);

  G_OBJECT_CLASS (fcm_timeline_batch_parent_class)->dispose (object);
}

static void
fcm_timeline_batch_class_init (FcmTimelineBatchClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = fcm_timeline_batch_dispose;
}

static void
fcm_timeline_batch_init (FcmTimelineBatch *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
}

typedef enum
{
  TYPE_ALL,
  TYPE_OPEN,
  TYPE_CLOSE,
  TYPE_UPDATE,
  TYPE_SELECT,
  TYPE_SYNCERROR,
  TYPE_OTHER,
} TypeFilter;

struct _FcmTimeline
{
  GtkWidget           parent_instance;

  FcmEventLog        *event_log;
  FcmTimelineBatch   *batch;
  GtkFilterListModel *filter_model;
  GtkSingleSelection *selection;
  GtkCustomFilter    *filter;

  /* the filter state */
  TypeFilter          type;
  char               *needle;        /* casefolded, NULL when not searching */
  gboolean            needle_ascii;

  /* auto-scroll */
  gboolean            following;
  gboolean            settling;      /* rows changed, the list has not laid out yet */
  double              last_value;
  guint               scroll_tick_id;
  gulong              after_paint_id;
  GdkFrameClock      *frame_clock;

  double              paned_share;
  int                 paned_max;
  gboolean            placing_divider;

  /* Template children */
  GtkDropDown        *type_filter;
  GtkSearchEntry     *search_entry;
  GtkScrolledWindow  *scroller;
  GtkColumnView      *column_view;
  AdwStatusPage      *empty_page;
  GtkRevealer        *jump_revealer;
  GtkButton          *jump_button;
  FcmEventDetails    *details;
  GtkPaned           *paned;
};

G_DEFINE_FINAL_TYPE (FcmTimeline, fcm_timeline, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_EVENT_LOG,
  PROP_SELECTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ------------------------------------------------------------------ filter */

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
type_matches (TypeFilter        type,
              FcmEventLogEntry *entry)
{
  static const char *names[] = {
    [TYPE_OPEN] = FCM_EVENT_DIAGNOSTIC_REPORT_OPEN,
    [TYPE_CLOSE] = FCM_EVENT_DIAGNOSTIC_REPORT_CLOSE,
    [TYPE_UPDATE] = FCM_EVENT_DIAGNOSTIC_REPORT_UPDATE,
    [TYPE_SELECT] = FCM_EVENT_DIAGNOSTIC_REPORT_SELECT,
    [TYPE_SYNCERROR] = FCM_EVENT_SYNCERROR,
  };
  const char *name = fcm_event_log_entry_get_name (entry);

  switch (type)
    {
    case TYPE_ALL:
      return TRUE;
    case TYPE_OPEN:
    case TYPE_CLOSE:
    case TYPE_UPDATE:
    case TYPE_SELECT:
    case TYPE_SYNCERROR:
      return name != NULL && fcm_event_name_equal (name, names[type]);
    case TYPE_OTHER:
    default:
      /* confirmations, denials, acks … and events of other types */
      for (guint i = TYPE_OPEN; i <= TYPE_SYNCERROR; i++)
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
  if (self->type == TYPE_ALL && self->needle == NULL)
    {
      gtk_filter_list_model_set_filter (self->filter_model, NULL);
      return;
    }
  if (gtk_filter_list_model_get_filter (self->filter_model) == NULL)
    gtk_filter_list_model_set_filter (self->filter_model, GTK_FILTER (self->filter));
  else
    gtk_filter_changed (GTK_FILTER (self->filter), change);
}

static void
type_filter_changed_cb (FcmTimeline *self)
{
  self->type = gtk_drop_down_get_selected (self->type_filter);
  if (self->type > TYPE_OTHER)
    self->type = TYPE_ALL;
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

/* ------------------------------------------------------------------ cells */

typedef enum
{
  COLUMN_TIME,
  COLUMN_EVENT,
  COLUMN_ID,
  COLUMN_FROM,
  COLUMN_ACK,
  COLUMN_LATENCY,
  COLUMN_VALIDATION,
} Column;

static const char *
entry_from (FcmEventLogEntry *entry)
{
  if (fcm_event_log_entry_get_own_echo (entry))
    return _("This app");
  /* Confirmations, denials and the hub's answers come from the hub; so do
   * syncerrors: hub-generated ones (H-33, RAD-155) look the same on the
   * wire as relayed ones, and both name the subscriber that caused them. */
  if (fcm_event_log_entry_get_name (entry) == NULL ||
      fcm_event_name_equal (fcm_event_log_entry_get_name (entry), FCM_EVENT_SYNCERROR))
    return _("Hub");
  return _("Other app");
}

static void
update_ack (FcmEventLogEntry *entry,
            GParamSpec       *pspec,
            GtkInscription   *inscription)
{
  guint status = fcm_event_log_entry_get_ack_status (entry);
  char buf[16];

  if (status == 0)
    gtk_inscription_set_text (inscription, "—");
  else
    {
      g_snprintf (buf, sizeof buf, "%u", status);
      gtk_inscription_set_text (inscription, buf);
    }
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          gpointer                  user_data)
{
  Column column = GPOINTER_TO_UINT (user_data);
  GtkWidget *child;

  if (column == COLUMN_VALIDATION)
    {
      child = gtk_label_new (NULL);
      gtk_widget_add_css_class (child, "fcm-badge");
      gtk_widget_set_halign (child, GTK_ALIGN_START);
      gtk_widget_set_valign (child, GTK_ALIGN_CENTER);
      gtk_label_set_single_line_mode (GTK_LABEL (child), TRUE);
      gtk_label_set_ellipsize (GTK_LABEL (child), PANGO_ELLIPSIZE_END);
    }
  else
    {
      child = gtk_inscription_new (NULL);
      gtk_inscription_set_text_overflow (GTK_INSCRIPTION (child),
                                         column == COLUMN_ID ? GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_MIDDLE
                                                             : GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
      gtk_inscription_set_min_lines (GTK_INSCRIPTION (child), 1);
      gtk_inscription_set_nat_lines (GTK_INSCRIPTION (child), 1);
      switch (column)
        {
        case COLUMN_TIME:
          gtk_inscription_set_nat_chars (GTK_INSCRIPTION (child), 12);
          gtk_widget_add_css_class (child, "numeric");
          break;
        case COLUMN_ID:
          gtk_inscription_set_nat_chars (GTK_INSCRIPTION (child), 14);
          gtk_widget_add_css_class (child, "monospace");
          break;
        case COLUMN_ACK:
        case COLUMN_LATENCY:
          gtk_inscription_set_xalign (GTK_INSCRIPTION (child), 1.0);
          gtk_widget_add_css_class (child, "numeric");
          break;
        case COLUMN_EVENT:
        case COLUMN_FROM:
        case COLUMN_VALIDATION:
        default:
          break;
        }
    }
  gtk_list_item_set_child (item, child);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         gpointer                  user_data)
{
  Column column = GPOINTER_TO_UINT (user_data);
  FcmEventLogEntry *entry = gtk_list_item_get_item (item);
  GtkWidget *child = gtk_list_item_get_child (item);
  char buf[64];

  switch (column)
    {
    case COLUMN_TIME:
      {
        gint64 usec = fcm_event_log_entry_get_received (entry);
        g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (usec / G_USEC_PER_SEC);

        if (dt != NULL)
          g_snprintf (buf, sizeof buf, "%02d:%02d:%02d.%03d",
                      g_date_time_get_hour (dt), g_date_time_get_minute (dt),
                      g_date_time_get_second (dt), (int) ((usec % G_USEC_PER_SEC) / 1000));
        else
          buf[0] = '\0';
        gtk_inscription_set_text (GTK_INSCRIPTION (child), buf);
      }
      break;
    case COLUMN_EVENT:
      gtk_inscription_set_text (GTK_INSCRIPTION (child), _fcm_entry_title (entry));
      break;
    case COLUMN_ID:
      gtk_inscription_set_text (GTK_INSCRIPTION (child), fcm_event_log_entry_get_event_id (entry));
      break;
    case COLUMN_FROM:
      gtk_inscription_set_text (GTK_INSCRIPTION (child), entry_from (entry));
      break;
    case COLUMN_ACK:
      update_ack (entry, NULL, GTK_INSCRIPTION (child));
      /* acks are sent after the row appears (C-28) */
      g_signal_connect_object (entry, "notify::ack-status", G_CALLBACK (update_ack), child, 0);
      break;
    case COLUMN_LATENCY:
      {
        gint64 ms = fcm_event_log_entry_get_latency_ms (entry);

        if (ms == G_MININT64)
          gtk_inscription_set_text (GTK_INSCRIPTION (child), "—");
        else
          {
            g_autofree char *text = NULL;

            g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, ms);
            /* TRANSLATORS: a latency in milliseconds */
            text = g_strdup_printf (_("%s ms"), buf);
            gtk_inscription_set_text (GTK_INSCRIPTION (child), text);
          }
      }
      break;
    case COLUMN_VALIDATION:
      {
        g_autofree char *badge = NULL;
        const char *css = NULL;
        const char *classes[] = { "fcm-badge", NULL, NULL };

        badge = _fcm_entry_badge (entry, &css);
        classes[1] = css;
        gtk_label_set_label (GTK_LABEL (child), badge);
        gtk_widget_set_css_classes (child, classes);
      }
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  Column column = GPOINTER_TO_UINT (user_data);
  FcmEventLogEntry *entry = gtk_list_item_get_item (item);

  if (column == COLUMN_ACK && entry != NULL)
    g_signal_handlers_disconnect_by_func (entry, update_ack, gtk_list_item_get_child (item));
}

static void
add_column (FcmTimeline *self,
            Column       column,
            const char  *title,
            int          fixed_width,
            gboolean     expand)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) col = NULL;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), GUINT_TO_POINTER (column));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), GUINT_TO_POINTER (column));
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), GUINT_TO_POINTER (column));
  col = gtk_column_view_column_new (title, g_steal_pointer (&factory));
  gtk_column_view_column_set_resizable (col, TRUE);
  gtk_column_view_column_set_expand (col, expand);
  if (fixed_width > 0)
    gtk_column_view_column_set_fixed_width (col, fixed_width);
  gtk_column_view_append_column (self->column_view, col);
}

/* ------------------------------------------------------------------ auto-scroll */

static GtkWidget *
find_list_view (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      return child;
  return NULL;
}

static void
scroll_to_last (FcmTimeline *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
  GtkWidget *list = find_list_view (GTK_WIDGET (self->column_view));

  if (n == 0 || list == NULL)
    return;
  /* GTK 4.8 has no gtk_column_view_scroll_to (); the list's action does it
   * at the next layout, when the new rows have their size */
  gtk_widget_activate_action (list, "list.scroll-to-item", "u", n - 1);
}

static void
set_following (FcmTimeline *self,
               gboolean     following)
{
  if (self->following == following)
    return;
  self->following = following;
  gtk_revealer_set_reveal_child (self->jump_revealer, !following);
  gtk_widget_set_can_target (GTK_WIDGET (self->jump_revealer), !following);
}

static gboolean
scroll_tick_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  FcmTimeline *self = FCM_TIMELINE (widget);

  self->scroll_tick_id = 0;
  if (self->following)
    scroll_to_last (self);
  return G_SOURCE_REMOVE;
}

static void
queue_scroll (FcmTimeline *self)
{
  /* many rows in one frame cost one scroll */
  if (self->scroll_tick_id == 0)
    self->scroll_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), scroll_tick_cb, NULL, NULL);
}

static gboolean
at_bottom (GtkAdjustment *adj)
{
  return gtk_adjustment_get_value (adj) + gtk_adjustment_get_page_size (adj)
         >= gtk_adjustment_get_upper (adj) - 4.0;
}

static void
vadjustment_value_changed_cb (GtkAdjustment *adj,
                              FcmTimeline   *self)
{
  double value = gtk_adjustment_get_value (adj);

  if (at_bottom (adj))
    set_following (self, TRUE);
  /* the user scrolled up; not the list moving its rows after a change */
  else if (!self->settling && value < self->last_value)
    set_following (self, FALSE);
  self->last_value = value;
}

/* the list laid out new rows (upper grew): stay at the bottom while following;
 * the scroll-to-item of the tick ran before the layout knew their height */
static void
vadjustment_changed_cb (GtkAdjustment *adj,
                        FcmTimeline   *self)
{
  if (self->following && !at_bottom (adj))
    gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj));
}

static void
after_paint_cb (GdkFrameClock *clock,
                FcmTimeline   *self)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->scroller);

  self->settling = FALSE;
  self->last_value = gtk_adjustment_get_value (adj);
}

static void
update_empty_state (FcmTimeline *self)
{
  gboolean empty = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model)) == 0;
  gboolean log_empty = self->event_log == NULL ||
                       g_list_model_get_n_items (G_LIST_MODEL (self->event_log)) == 0;

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

static void
items_changed_cb (GListModel  *model,
                  guint        position,
                  guint        removed,
                  guint        added,
                  FcmTimeline *self)
{
  self->settling = TRUE;
  if (added > 0 && self->following)
    queue_scroll (self);
  update_empty_state (self);
}

static void
jump_clicked_cb (FcmTimeline *self)
{
  set_following (self, TRUE);
  scroll_to_last (self);
}

/* The rows get a share of the height (55 % at first), kept when the
 * window is resized; dragging the divider changes the share. */
static void
paned_max_position_cb (FcmTimeline *self)
{
  int max = 0;

  g_object_get (self->paned, "max-position", &max, NULL);
  if (max <= 0 || max == G_MAXINT)
    return;
  self->paned_max = max;
  self->placing_divider = TRUE;
  gtk_paned_set_position (self->paned, (int) (max * self->paned_share));
  self->placing_divider = FALSE;
}

static void
paned_position_cb (FcmTimeline *self)
{
  int max = 0;

  if (self->placing_divider)
    return;
  g_object_get (self->paned, "max-position", &max, NULL);
  /* a move without a resize: the user's */
  if (max == self->paned_max && max > 0)
    self->paned_share = CLAMP ((double) gtk_paned_get_position (self->paned) / max, 0.1, 0.9);
}

/* ------------------------------------------------------------------ selection */

static void
selection_changed_cb (FcmTimeline *self)
{
  FcmEventLogEntry *entry = fcm_timeline_get_selected (self);

  fcm_event_details_set_entry (self->details, entry);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timeline.copy-json", entry != NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

/* ------------------------------------------------------------------ actions */

static void
copy_json_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  FcmTimeline *self = FCM_TIMELINE (widget);
  FcmEventLogEntry *entry = fcm_timeline_get_selected (self);
  g_autofree char *json = NULL;

  if (entry == NULL)
    return;
  json = fcm_event_details_format_json (entry);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), json);
}

static void
clear_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  FcmTimeline *self = FCM_TIMELINE (widget);

  if (self->event_log != NULL)
    fcm_event_log_clear (self->event_log);
  fcm_timeline_batch_flush (self->batch);
  set_following (self, TRUE);
}

static void
focus_search_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  FcmTimeline *self = FCM_TIMELINE (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
export_written_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (fcm_event_log_export_finish (FCM_EVENT_LOG (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* writes the rows shown (type filter and search applied) as NDJSON */
void
_fcm_timeline_export_to_file (FcmTimeline         *self,
                              GFile               *file,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, _fcm_timeline_export_to_file);
  if (self->event_log == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s",
                               _("There is no timeline to export: no hub connection is shown"));
      return;
    }
  fcm_event_log_export_subset_async (self->event_log, G_LIST_MODEL (self->filter_model), file,
                                     cancellable, export_written_cb, g_steal_pointer (&task));
}

gboolean
_fcm_timeline_export_finish (FcmTimeline   *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  FcmTimeline *self = FCM_TIMELINE (source);
  g_autoptr(GError) error = NULL;
  GtkWidget *dialog;
  GtkRoot *root;

  if (_fcm_timeline_export_finish (self, result, &error))
    return;
  root = gtk_widget_get_root (GTK_WIDGET (self));
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Export Failed"), error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
export_response_cb (GtkNativeDialog *native,
                    int              response,
                    FcmTimeline     *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));

      if (file != NULL)
        _fcm_timeline_export_to_file (self, file, NULL, export_done_cb, NULL);
    }
  g_object_unref (native);
  g_object_unref (self);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  FcmTimeline *self = FCM_TIMELINE (widget);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *name = g_strdup_printf ("fhircast-timeline-%s.ndjson", stamp);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *native;

  native = gtk_file_chooser_native_new (_("Export Timeline"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), name);
  gtk_file_filter_set_name (filter, _("Newline-delimited JSON"));
  gtk_file_filter_add_pattern (filter, "*.ndjson");
  gtk_file_filter_add_pattern (filter, "*.jsonl");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), filter);
  g_signal_connect (native, "response", G_CALLBACK (export_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

/* ------------------------------------------------------------------ GObject */

static void
fcm_timeline_realize (GtkWidget *widget)
{
  FcmTimeline *self = FCM_TIMELINE (widget);

  GTK_WIDGET_CLASS (fcm_timeline_parent_class)->realize (widget);

  self->frame_clock = g_object_ref (gtk_widget_get_frame_clock (widget));
  self->after_paint_id = g_signal_connect (self->frame_clock, "after-paint",
                                           G_CALLBACK (after_paint_cb), self);
}

static void
fcm_timeline_unrealize (GtkWidget *widget)
{
  FcmTimeline *self = FCM_TIMELINE (widget);

  g_clear_signal_handler (&self->after_paint_id, self->frame_clock);
  g_clear_object (&self->frame_clock);

  GTK_WIDGET_CLASS (fcm_timeline_parent_class)->unrealize (widget);
}

static void
fcm_timeline_dispose (GObject *object)
{
  FcmTimeline *self = FCM_TIMELINE (object);
  GtkWidget *child;

  if (self->scroll_tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->scroll_tick_id);
      self->scroll_tick_id = 0;
    }
  if (self->column_view != NULL)
    gtk_column_view_set_model (self->column_view, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), FCM_TYPE_TIMELINE);
  /* the template's children without a bound name (toolbar, separators) */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  if (self->filter_model != NULL)
    g_signal_handlers_disconnect_by_data (self->filter_model, self);
  g_clear_object (&self->selection);
  g_clear_object (&self->filter_model);
  g_clear_object (&self->batch);
  g_clear_object (&self->filter);
  g_clear_object (&self->event_log);

  G_OBJECT_CLASS (fcm_timeline_parent_class)->dispose (object);
}

static void
fcm_timeline_finalize (GObject *object)
{
  FcmTimeline *self = FCM_TIMELINE (object);

  g_free (self->needle);

  G_OBJECT_CLASS (fcm_timeline_parent_class)->finalize (object);
}

static void
fcm_timeline_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  FcmTimeline *self = FCM_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_EVENT_LOG:
      g_value_set_object (value, self->event_log);
      break;
    case PROP_SELECTED:
      g_value_set_object (value, fcm_timeline_get_selected (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fcm_timeline_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  FcmTimeline *self = FCM_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_EVENT_LOG:
      fcm_timeline_set_event_log (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fcm_timeline_class_init (FcmTimelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fcm_timeline_dispose;
  object_class->finalize = fcm_timeline_finalize;
  object_class->get_property = fcm_timeline_get_property;
  object_class->set_property = fcm_timeline_set_property;
  widget_class->realize = fcm_timeline_realize;
  widget_class->unrealize = fcm_timeline_unrealize;

  properties[PROP_EVENT_LOG] =
    g_param_spec_object ("event-log", NULL, NULL, FCM_TYPE_EVENT_LOG,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SELECTED] =
    g_param_spec_object ("selected", NULL, NULL, FCM_TYPE_EVENT_LOG_ENTRY,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (FCM_TYPE_EVENT_DETAILS);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/fhircastmonitor/FhircastMonitor/fcm-timeline.ui");
  gtk_widget_class_bind_template_child (widget_class, FcmTimeline, type_filter);
  gtk_widget_class_bind_template_child (widget_class, FcmTimeline, search_entry);
  gtk_widget_class_bind_template_child (widget_class, FcmTimeline, scroller);
  gtk_widget_class_bind_template_child (widget_class, FcmTimeline, column_view);
  gtk_widget_class_bind_template_child (widget_class, FcmTimeline, empty_page);
  gtk_widget_class_bind_template_child (widget_class, FcmTimeline, jump_revealer);
  gtk_widget_class_bind_template_child (widget_class, FcmTimeline, jump_button);
  gtk_widget_class_bind_template_child (widget_class, FcmTimeline, details);
  gtk_widget_class_bind_template_child (widget_class, FcmTimeline, paned);

  gtk_widget_class_install_action (widget_class, "timeline.copy-json", NULL, copy_json_action);
  gtk_widget_class_install_action (widget_class, "timeline.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "timeline.clear", NULL, clear_action);
  gtk_widget_class_install_action (widget_class, "timeline.focus-search", NULL, focus_search_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "timeline.focus-search", NULL);

  gtk_widget_class_set_css_name (widget_class, "fcm-timeline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
fcm_timeline_init (FcmTimeline *self)
{
  GtkAdjustment *vadj;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->following = TRUE;
  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->batch = g_object_new (FCM_TYPE_TIMELINE_BATCH, NULL);
  self->filter_model = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->batch)), NULL);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->filter_model)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  /* fits ~700 px: the event name whole, the id ellipsized in the middle */
  add_column (self, COLUMN_TIME, _("Time"), 96, FALSE);
  add_column (self, COLUMN_EVENT, _("Event"), 184, FALSE);
  add_column (self, COLUMN_ID, _("ID"), -1, TRUE);
  add_column (self, COLUMN_FROM, _("From"), 86, FALSE);
  add_column (self, COLUMN_ACK, _("Ack"), 44, FALSE);
  add_column (self, COLUMN_LATENCY, _("Latency"), 68, FALSE);
  add_column (self, COLUMN_VALIDATION, _("Validation"), 92, FALSE);

  g_signal_connect_object (self->filter_model, "items-changed", G_CALLBACK (items_changed_cb), self, 0);
  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->type_filter, "notify::selected",
                           G_CALLBACK (type_filter_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_entry, "search-changed",
                           G_CALLBACK (search_changed_cb), self, G_CONNECT_SWAPPED);
  self->paned_share = 0.55;
  g_signal_connect_object (self->paned, "notify::max-position",
                           G_CALLBACK (paned_max_position_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->paned, "notify::position",
                           G_CALLBACK (paned_position_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->jump_button, "clicked",
                           G_CALLBACK (jump_clicked_cb), self, G_CONNECT_SWAPPED);
  gtk_search_entry_set_key_capture_widget (self->search_entry, NULL);

  vadj = gtk_scrolled_window_get_vadjustment (self->scroller);
  g_signal_connect_object (vadj, "value-changed", G_CALLBACK (vadjustment_value_changed_cb), self, 0);
  g_signal_connect_object (vadj, "changed", G_CALLBACK (vadjustment_changed_cb), self, 0);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timeline.copy-json", FALSE);
  update_empty_state (self);
}

GtkWidget *
fcm_timeline_new (void)
{
  return g_object_new (FCM_TYPE_TIMELINE, NULL);
}

/**
 * fcm_timeline_get_event_log:
 *
 * Returns: (transfer none) (nullable):
 */
FcmEventLog *
fcm_timeline_get_event_log (FcmTimeline *self)
{
  g_return_val_if_fail (FCM_IS_TIMELINE (self), NULL);
  return self->event_log;
}

/**
 * fcm_timeline_set_event_log:
 * @log: (nullable): the log to show
 */
void
fcm_timeline_set_event_log (FcmTimeline *self,
                            FcmEventLog *log)
{
  g_return_if_fail (FCM_IS_TIMELINE (self));
  g_return_if_fail (log == NULL || FCM_IS_EVENT_LOG (log));

  if (!g_set_object (&self->event_log, log))
    return;
  set_following (self, TRUE);
  fcm_timeline_batch_set_source (self->batch, G_LIST_MODEL (log));
  update_empty_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EVENT_LOG]);
}

/**
 * fcm_timeline_get_selected:
 *
 * Returns: (transfer none) (nullable): the selected entry
 */
FcmEventLogEntry *
fcm_timeline_get_selected (FcmTimeline *self)
{
  g_return_val_if_fail (FCM_IS_TIMELINE (self), NULL);
  return gtk_single_selection_get_selected_item (self->selection);
}

/* ------------------------------------------------------------------ private, for tests */

GtkColumnView *
_fcm_timeline_get_column_view (FcmTimeline *self)
{
  return self->column_view;
}

GListModel *
_fcm_timeline_get_model (FcmTimeline *self)
{
  return G_LIST_MODEL (gtk_column_view_get_model (self->column_view));
}

GtkDropDown *
_fcm_timeline_get_type_filter (FcmTimeline *self)
{
  return self->type_filter;
}

GtkEditable *
_fcm_timeline_get_search_entry (FcmTimeline *self)
{
  return GTK_EDITABLE (self->search_entry);
}

FcmEventDetails *
_fcm_timeline_get_details (FcmTimeline *self)
{
  return self->details;
}

GtkAdjustment *
_fcm_timeline_get_vadjustment (FcmTimeline *self)
{
  return gtk_scrolled_window_get_vadjustment (self->scroller);
}

gboolean
_fcm_timeline_get_following (FcmTimeline *self)
{
  return self->following;
}

void
_fcm_timeline_select (FcmTimeline *self,
                      guint        position)
{
  gtk_single_selection_set_selected (self->selection, position);
}

void
_fcm_timeline_scroll_to_end (FcmTimeline *self)
{
  jump_clicked_cb (self);
}
