/* fcm-timeline.c: the event timeline (filter, search, column view, details)
 *
 * The rows are a GtkColumnView (virtualized: only the visible rows have
 * widgets) over GtkSingleSelection over GtkFilterListModel over an
 * FcmTimelineBatch over the FcmEventLog; the selected row's message shows
 * in the details pane below.
 *
 * This file is the widget: its template, properties, actions and the
 * divider between rows and details. The rest is split by concern:
 *   fcm-timeline-batch.c    the log's changes, at most once a frame
 *   fcm-timeline-columns.c  the columns and their cells
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
clear_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  FcmTimeline *self = FCM_TIMELINE (widget);

  if (self->event_log != NULL)
    fcm_event_log_clear (self->event_log);
  _fcm_timeline_batch_flush (self->batch);
  _fcm_timeline_set_following (self, TRUE);
}

static void
focus_search_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  FcmTimeline *self = FCM_TIMELINE (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* ------------------------------------------------------------------ GObject */

static void
fcm_timeline_realize (GtkWidget *widget)
{
  FcmTimeline *self = FCM_TIMELINE (widget);

  GTK_WIDGET_CLASS (fcm_timeline_parent_class)->realize (widget);

  _fcm_timeline_watch_frame_clock (self);
}

static void
fcm_timeline_unrealize (GtkWidget *widget)
{
  FcmTimeline *self = FCM_TIMELINE (widget);

  _fcm_timeline_unwatch_frame_clock (self);

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
  self->filter_model = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->batch)), NULL);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->filter_model)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  _fcm_timeline_add_columns (self);
  _fcm_timeline_setup_filter (self);
  _fcm_timeline_setup_scrolling (self);

  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
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
