/* fcm-timeline.c: the event timeline (filter, search, rows, details)
 *
 * The rows are a GtkListView (virtualized: only the rows around the visible
 * ones have widgets) of FcmTimelineRows under an FcmTimelineHeader, over
 * GtkSingleSelection over GtkFilterListModel over an FcmTimelineBatch over
 * the FcmEventLog; the selected row's message shows in the details pane
 * below.
 *
 * This file is the widget: its template, properties, actions and the
 * divider between rows and details. The rest is split by concern:
 *   fcm-timeline-batch.c    the log's changes, at most once a frame
 *   fcm-timeline-columns.c  the columns: geometry and the cells' texts
 *   fcm-timeline-row.c      a row, its cells drawn as text
 *   fcm-timeline-header.c   the column titles; resizing a column
 *   fcm-timeline-filter.c   the type drop-down, the search, the empty state
 *   fcm-timeline-scroll.c   following new rows, "Jump to Latest"
 *   fcm-timeline-export.c   copy JSON, export as NDJSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "FcmTimeline"

#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "fcm-timeline.h"
#include "fcm-timeline-private.h"

G_DEFINE_FINAL_TYPE (FcmTimeline, fcm_timeline, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_EVENT_LOG,
  PROP_SELECTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ------------------------------------------------------------------ divider */

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

/* for the screenshots: the first split again, whatever the start-up's
 * sequence of sizes left (a pixel either way changes the picture) */
void
_fcm_timeline_reset_divider (FcmTimeline *self)
{
  self->paned_share = 0.55;
  paned_max_position_cb (self);
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

/* ----------------------------------------------------------------- activate */

static guint
find_event_row (FcmTimeline *self,
                const char  *event_id)
{
  GListModel *model = G_LIST_MODEL (self->selection);
  guint n = g_list_model_get_n_items (model);

  /* the newest row for the id (a resend repeats it) */
  for (guint i = n; i > 0; i--)
    {
      g_autoptr(FcmEventLogEntry) entry = g_list_model_get_item (model, i - 1);

      if (g_strcmp0 (fcm_event_log_entry_get_event_id (entry), event_id) == 0)
        return i - 1;
    }
  return GTK_INVALID_LIST_POSITION;
}

/**
 * _fcm_timeline_show_row:
 *
 * Selects @position and scrolls it into view; the timeline stops following.
 */
void
_fcm_timeline_show_row (FcmTimeline *self,
                        guint        position)
{
  _fcm_timeline_set_following (self, FALSE);
  gtk_single_selection_set_selected (self->selection, position);
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", position);
}

/* A syncerror row links to the row of the event it names (C-63): Enter or
 * a double click there selects that row (all types shown if need be). */
static gboolean
activate_entry (FcmTimeline      *self,
                FcmEventLogEntry *entry)
{
  FcmEvent *event = fcm_event_log_entry_get_event (entry);
  const char *failed_id = NULL;
  guint target;

  if (event == NULL || !fcm_event_has_name (event, FCM_EVENT_SYNCERROR))
    return FALSE;
  fcm_event_get_syncerror_details (event, &failed_id, NULL, NULL, NULL);
  if (failed_id == NULL)
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return TRUE;
    }
  target = find_event_row (self, failed_id);
  if (target == GTK_INVALID_LIST_POSITION &&
      (self->type != FCM_TIMELINE_TYPE_FILTER_ALL || self->needle != NULL))
    {
      /* filtered out: show every row, then look again */
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
      gtk_drop_down_set_selected (self->type_filter, FCM_TIMELINE_TYPE_FILTER_ALL);
      _fcm_timeline_refilter_now (self);
      target = find_event_row (self, failed_id);
    }
  if (target == GTK_INVALID_LIST_POSITION)
    {
      /* before the timeline's oldest row, or cleared */
      gtk_widget_error_bell (GTK_WIDGET (self));
      return TRUE;
    }
  _fcm_timeline_show_row (self, target);
  return TRUE;
}

static void
row_activated_cb (FcmTimeline *self,
                  guint        position)
{
  g_autoptr(FcmEventLogEntry) entry = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

  if (entry != NULL)
    activate_entry (self, entry);
}

/* the row's entry at (@x, @y) of the list, NULL below the rows */
static FcmEventLogEntry *
entry_at (FcmTimeline *self,
          double       x,
          double       y)
{
  GtkWidget *picked = gtk_widget_pick (GTK_WIDGET (self->list_view), x, y, GTK_PICK_DEFAULT);

  for (GtkWidget *w = picked; w != NULL && w != GTK_WIDGET (self->list_view); w = gtk_widget_get_parent (w))
    if (FCM_IS_TIMELINE_ROW (w))
      return _fcm_timeline_row_get_entry (FCM_TIMELINE_ROW (w));
  return NULL;
}

/**
 * _fcm_timeline_click:
 * @n_press: 1 for a click, 2 for the second of a double click
 * @x, @y: where, in the list
 *
 * A double click on a row activates it, as Enter does. The list
 * counts clicks itself (in the capture phase, before the rows): in GTK 4.8
 * a row in a GtkPaned never sees a double click (the paned's drag gesture
 * breaks its count), and a row selects itself on every release, which would
 * undo the jump to the row a syncerror names. The row is the one under the
 * first click: that click selects it, which stops the timeline following
 * and may scroll the list a little, so the second click can land on another
 * row.
 *
 * Returns: for a first click, whether it was on a row; for a second,
 *   whether it activated a syncerror row (the rows must not see it)
 */
gboolean
_fcm_timeline_click (FcmTimeline *self,
                     int          n_press,
                     double       x,
                     double       y)
{
  g_autoptr(FcmEventLogEntry) entry = NULL;

  if (n_press != 2)
    {
      FcmEventLogEntry *pressed = entry_at (self, x, y);

      g_set_object (&self->pressed_entry, pressed);
      return pressed != NULL;
    }
  entry = g_steal_pointer (&self->pressed_entry);
  if (entry == NULL && entry_at (self, x, y) != NULL)
    entry = g_object_ref (entry_at (self, x, y));
  return entry != NULL && activate_entry (self, entry);
}

static void
click_pressed_cb (GtkGestureClick *gesture,
                  int              n_press,
                  double           x,
                  double           y,
                  FcmTimeline     *self)
{
  /* a click is the row's to select; a double click on a syncerror row is
   * ours: the rows do not see it, so they do not select it again */
  if (_fcm_timeline_click (self, n_press, x, y) && n_press == 2)
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

/* ------------------------------------------------------------------ actions */

/**
 * _fcm_timeline_tell:
 * @toast: (transfer full): what an action did
 *
 * Shows @toast in the window's toast overlay. Without one (the timeline
 * on its own) it is dropped, as "dismissed".
 */
void
_fcm_timeline_tell (FcmTimeline *self,
                    AdwToast    *toast)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  g_set_weak_pointer (&self->feedback, toast);
  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  else
    {
      adw_toast_dismiss (toast);
      g_object_unref (toast);
    }
}

typedef struct
{
  GWeakRef  timeline;
  GWeakRef  log;
  gboolean  undone;
} Clear;

static void
clear_free (gpointer data)
{
  Clear *c = data;

  g_weak_ref_clear (&c->timeline);
  g_weak_ref_clear (&c->log);
  g_free (c);
}

static void
clear_undo_cb (AdwToast *toast,
               Clear    *c)
{
  g_autoptr(FcmTimeline) self = g_weak_ref_get (&c->timeline);
  g_autoptr(GListModel) log = g_weak_ref_get (&c->log);

  c->undone = TRUE;
  if (self != NULL && log != NULL && G_LIST_MODEL (self->event_log) == log)
    _fcm_timeline_batch_show_all (self->batch);
}

/* the undo is no longer offered: clear the log for real */
static void
clear_dismissed_cb (AdwToast *toast,
                    Clear    *c)
{
  g_autoptr(GListModel) log = g_weak_ref_get (&c->log);

  if (!c->undone && log != NULL)
    _fcm_timeline_commit_clear (log);
}

/* Clear Timeline, with Undo (issue 11.8): the rows go at once, the log's
 * memory when the toast goes */
static void
clear_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  FcmTimeline *self = FCM_TIMELINE (widget);
  g_autofree char *count = NULL;
  g_autofree char *title = NULL;
  AdwToast *toast;
  Clear *c;
  guint n;

  _fcm_timeline_set_following (self, TRUE);
  if (self->event_log == NULL)
    return;
  n = _fcm_timeline_batch_hide_all (self->batch);
  if (n == 0)
    return;

  count = _fcm_format_count (n);
  /* Translators: %s is a number of messages, e.g. "1,204" */
  title = g_strdup_printf (ngettext ("Cleared %s message", "Cleared %s messages", n), count);
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_timeout (toast, 8);
  c = g_new0 (Clear, 1);
  g_weak_ref_init (&c->timeline, self);
  g_weak_ref_init (&c->log, self->event_log);
  g_signal_connect (toast, "button-clicked", G_CALLBACK (clear_undo_cb), c);
  g_signal_connect_data (toast, "dismissed", G_CALLBACK (clear_dismissed_cb), c,
                         (GClosureNotify) (void (*) (void)) clear_free, 0);
  _fcm_timeline_tell (self, toast);
}

static void
focus_search_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  FcmTimeline *self = FCM_TIMELINE (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* ------------------------------------------------------------------ rows */

static void
row_setup_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              FcmTimeline              *self)
{
  gtk_list_item_set_child (item, _fcm_timeline_row_new (self));
}

static void
row_bind_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             FcmTimeline              *self)
{
  _fcm_timeline_row_set_entry (FCM_TIMELINE_ROW (gtk_list_item_get_child (item)), gtk_list_item_get_item (item));
}

/* ------------------------------------------------------------------ GObject */

static void
fcm_timeline_realize (GtkWidget *widget)
{
  FcmTimeline *self = FCM_TIMELINE (widget);

  GTK_WIDGET_CLASS (fcm_timeline_parent_class)->realize (widget);

  _fcm_timeline_watch_frame_clock (self);
  _fcm_timeline_batch_watch_frame_clock (self->batch, gtk_widget_get_frame_clock (widget));
  if (self->warm_up_id == 0)
    self->warm_up_id = g_idle_add_full (G_PRIORITY_LOW, _fcm_timeline_warm_up_cells, self, NULL);
}

static void
fcm_timeline_unrealize (GtkWidget *widget)
{
  FcmTimeline *self = FCM_TIMELINE (widget);

  _fcm_timeline_unwatch_frame_clock (self);
  _fcm_timeline_batch_watch_frame_clock (self->batch, NULL);
  g_clear_handle_id (&self->warm_up_id, g_source_remove);

  GTK_WIDGET_CLASS (fcm_timeline_parent_class)->unrealize (widget);
}

static void
fcm_timeline_dispose (GObject *object)
{
  FcmTimeline *self = FCM_TIMELINE (object);
  GtkWidget *child;

  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);
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
  g_clear_weak_pointer (&self->feedback);
  g_clear_object (&self->pressed_entry);

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
  gtk_widget_class_bind_template_child (widget_class, FcmTimeline, list_view);
  gtk_widget_class_bind_template_child (widget_class, FcmTimeline, empty_page);
  gtk_widget_class_bind_template_child (widget_class, FcmTimeline, jump_revealer);
  gtk_widget_class_bind_template_child (widget_class, FcmTimeline, jump_button);
  gtk_widget_class_bind_template_child (widget_class, FcmTimeline, jump_label);
  gtk_widget_class_bind_template_child (widget_class, FcmTimeline, count_label);
  gtk_widget_class_bind_template_child (widget_class, FcmTimeline, details);
  gtk_widget_class_bind_template_child (widget_class, FcmTimeline, paned);

  gtk_widget_class_install_action (widget_class, "timeline.copy-json", NULL, _fcm_timeline_copy_json_action);
  gtk_widget_class_install_action (widget_class, "timeline.export", NULL, _fcm_timeline_export_action);
  gtk_widget_class_install_action (widget_class, "timeline.clear", NULL, clear_action);
  gtk_widget_class_install_action (widget_class, "timeline.focus-search", NULL, focus_search_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "timeline.focus-search", NULL);

  gtk_widget_class_set_css_name (widget_class, "fcm-timeline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
fcm_timeline_init (FcmTimeline *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->batch = g_object_new (FCM_TYPE_TIMELINE_BATCH, NULL);
  g_signal_connect_object (self->batch, "items-changed", G_CALLBACK (_fcm_timeline_rows_moving_cb),
                           self, G_CONNECT_SWAPPED);
  self->filter_model = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->batch)), NULL);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->filter_model)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  _fcm_timeline_setup_columns (self);
  {
    g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
    GtkWidget *overlay = gtk_widget_get_parent (GTK_WIDGET (self->scroller));
    GtkWidget *rows_box = gtk_widget_get_parent (overlay);

    g_signal_connect (factory, "setup", G_CALLBACK (row_setup_cb), self);
    g_signal_connect (factory, "bind", G_CALLBACK (row_bind_cb), self);
    gtk_list_view_set_factory (self->list_view, factory);
    gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
    /* the header takes the rows in, to lay them out before its titles */
    g_object_ref (overlay);
    gtk_box_remove (GTK_BOX (rows_box), overlay);
    self->header = _fcm_timeline_header_new (self, overlay, gtk_scrolled_window_get_hadjustment (self->scroller));
    g_object_unref (overlay);
    gtk_widget_set_vexpand (self->header, TRUE);
    gtk_box_prepend (GTK_BOX (rows_box), self->header);
  }
  _fcm_timeline_setup_filter (self);
  _fcm_timeline_setup_scrolling (self);

  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->list_view, "activate",
                           G_CALLBACK (row_activated_cb), self, G_CONNECT_SWAPPED);
  {
    GtkGesture *click = gtk_gesture_click_new ();

    gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
    gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
    g_signal_connect_object (click, "pressed", G_CALLBACK (click_pressed_cb), self, 0);
    gtk_widget_add_controller (GTK_WIDGET (self->list_view), GTK_EVENT_CONTROLLER (click));
  }
  self->paned_share = 0.55;
  g_signal_connect_object (self->paned, "notify::max-position",
                           G_CALLBACK (paned_max_position_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->paned, "notify::position",
                           G_CALLBACK (paned_position_cb), self, G_CONNECT_SWAPPED);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timeline.copy-json", FALSE);
  _fcm_timeline_update_empty_state (self);
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
  _fcm_timeline_set_following (self, TRUE);
  _fcm_timeline_batch_set_source (self->batch, G_LIST_MODEL (log));
  _fcm_timeline_update_empty_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EVENT_LOG]);
}

/**
 * fcm_timeline_set_recorder:
 * @recorder: (nullable): the recorder of the shown log's connection
 *
 * Shows a row only once @recorder has written its line to the recording,
 * so that a crash loses nothing that was shown (issue 16.5). Rows are held
 * back for no longer than the write takes; none once @recorder failed.
 */
void
fcm_timeline_set_recorder (FcmTimeline *self,
                           FcmRecorder *recorder)
{
  g_return_if_fail (FCM_IS_TIMELINE (self));
  g_return_if_fail (recorder == NULL || FCM_IS_RECORDER (recorder));

  _fcm_timeline_batch_set_recorder (self->batch, recorder);
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

/**
 * fcm_timeline_get_rows:
 *
 * Returns: (transfer none): the list of rows: what has the keyboard focus
 *   when a user moves among the messages (F6 goes there)
 */
GtkWidget *
fcm_timeline_get_rows (FcmTimeline *self)
{
  g_return_val_if_fail (FCM_IS_TIMELINE (self), NULL);
  return GTK_WIDGET (self->list_view);
}

/* ------------------------------------------------------------------ private, for tests */

GtkListView *
_fcm_timeline_get_list_view (FcmTimeline *self)
{
  return self->list_view;
}

GtkWidget *
_fcm_timeline_get_header (FcmTimeline *self)
{
  return self->header;
}

GListModel *
_fcm_timeline_get_model (FcmTimeline *self)
{
  return G_LIST_MODEL (gtk_list_view_get_model (self->list_view));
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

AdwToast *
_fcm_timeline_get_feedback (FcmTimeline *self)
{
  return self->feedback;
}

const char *
_fcm_timeline_get_count_text (FcmTimeline *self)
{
  return gtk_inscription_get_text (self->count_label);
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
