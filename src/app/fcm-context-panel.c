/* fcm-context-panel.c: the current and suspended report contexts of a monitor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "FcmContextPanel"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "fcm-context-panel-internal.h"

/**
 * FcmContextPanel:
 *
 * Shows what the #FcmContextStore of a #FcmMonitor knows: the current
 * report context as a headline in large type that answers "right patient,
 * right study?" (name, sex, birth date, MRN; study description, modality,
 * date, accession; report status and who opened it), its identifiers
 * below as copyable values, the suspended contexts (C-37) as a list that
 * can resume, close or choose one, and a warning while the context may be
 * stale because the connection is down (C-68) or a version gap was seen
 * (C-33).
 *
 * Under load the store changes once per event. The panel only marks itself
 * dirty then; the changes are applied at most ten times a second
 * (fcm-view-pace.h), and only the labels whose text really changed are
 * touched.
 * Tooltips are computed when GTK asks for them (#GtkWidget::query-tooltip):
 * in GTK 4.8 setting one asks the X server for the pointer, synchronously.
 *
 * The headline's lines and the suspended rows are in
 * fcm-context-panel-text.c, what the tests look at in
 * fcm-context-panel-test.c (fcm-context-panel-internal.h).
 */
G_DEFINE_FINAL_TYPE (FcmContextPanel, fcm_context_panel, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MONITOR,
  PROP_CHOSEN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

const FcmFieldInfo _fcm_context_fields[FCM_CONTEXT_N_FIELDS] = {
  [FCM_CONTEXT_FIELD_PATIENT_NAME] = { N_("Patient"), FALSE, FALSE },
  [FCM_CONTEXT_FIELD_PATIENT_SEX] = { N_("Sex"), FALSE, FALSE },
  [FCM_CONTEXT_FIELD_BIRTH_DATE] = { N_("Birth Date"), FALSE, FALSE },
  [FCM_CONTEXT_FIELD_STUDY_DESCRIPTION] = { N_("Study Description"), FALSE, FALSE },
  [FCM_CONTEXT_FIELD_MODALITY] = { N_("Modality"), FALSE, FALSE },
  [FCM_CONTEXT_FIELD_STUDY_DATE] = { N_("Study Date"), FALSE, FALSE },
  [FCM_CONTEXT_FIELD_REPORT_STATUS] = { N_("Report Status"), FALSE, FALSE },
  [FCM_CONTEXT_FIELD_OPENED_BY] = { N_("Opened By"), FALSE, FALSE },
  [FCM_CONTEXT_FIELD_MRN] = { N_("MRN"), TRUE, TRUE },
  [FCM_CONTEXT_FIELD_ACCESSION] = { N_("Accession"), TRUE, TRUE },
  [FCM_CONTEXT_FIELD_REPORT_ID] = { N_("Report ID"), TRUE, TRUE },
  [FCM_CONTEXT_FIELD_PATIENT_ID] = { N_("Patient ID"), TRUE, TRUE },
  [FCM_CONTEXT_FIELD_STUDY_ID] = { N_("Study ID"), TRUE, TRUE },
  [FCM_CONTEXT_FIELD_STUDY_UID] = { N_("Study UID"), TRUE, TRUE },
  [FCM_CONTEXT_FIELD_VERSION_ID] = { N_("Version"), TRUE, TRUE },
  [FCM_CONTEXT_FIELD_N_CONTENT] = { N_("Content Resources"), TRUE, FALSE },
  [FCM_CONTEXT_FIELD_SELECTION] = { N_("Selection"), TRUE, TRUE },
};


/**
 * fcm_context_panel_new:
 *
 * Returns: a new #FcmContextPanel without a monitor
 */
GtkWidget *
fcm_context_panel_new (void)
{
  return g_object_new (FCM_TYPE_CONTEXT_PANEL, NULL);
}

FcmContextStore *
_fcm_context_panel_get_store (FcmContextPanel *self)
{
  return self->monitor != NULL ? fcm_monitor_get_context_store (self->monitor) : NULL;
}

gboolean
_fcm_context_panel_store_has (FcmContextPanel *self,
           FcmContextItem  *item)
{
  GListModel *store = G_LIST_MODEL (_fcm_context_panel_get_store (self));

  for (guint i = 0; store != NULL && i < g_list_model_get_n_items (store); i++)
    {
      g_autoptr(FcmContextItem) it = g_list_model_get_item (store, i);

      if (it == item)
        return TRUE;
    }
  return FALSE;
}

FcmContextItem *
_fcm_context_panel_get_current (FcmContextPanel *self)
{
  FcmContextStore *store = _fcm_context_panel_get_store (self);

  return store != NULL ? fcm_context_store_get_current (store) : NULL;
}

/* ---------------------------------------------------------------- tooltips */

char *
_fcm_context_panel_dup_tooltip (FcmContextPanel *self,
                                FcmContextField  field)
{
  FcmContextItem *item = _fcm_context_panel_get_current (self);
  const char * const *selection;

  if (item == NULL || self->shown[field] == NULL)
    return NULL;

  if (field == FCM_CONTEXT_FIELD_SELECTION)
    {
      selection = fcm_context_item_get_selection (item);
      return selection != NULL ? g_strjoinv ("\n", (char **) selection) : NULL;
    }
  if (field == FCM_CONTEXT_FIELD_OPENED_BY)
    /* Translators: %s is the id of a FHIRcast event */
    return self->opened_by_event ? g_strdup_printf (_("Opening event: %s"), self->opened_by_event) : NULL;

  /* the full value of an ellipsized one */
  return g_strdup (self->shown[field]);
}

static gboolean
on_value_query_tooltip_cb (GtkWidget  *label,
                           int         x,
                           int         y,
                           gboolean    keyboard_mode,
                           GtkTooltip *tooltip,
                           gpointer    user_data)
{
  FcmContextPanel *self = FCM_CONTEXT_PANEL (gtk_widget_get_ancestor (label, FCM_TYPE_CONTEXT_PANEL));
  g_autofree char *text = _fcm_context_panel_dup_tooltip (self, GPOINTER_TO_UINT (user_data));

  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static gboolean
on_opened_by_query_tooltip_cb (GtkWidget  *label,
                               int         x,
                               int         y,
                               gboolean    keyboard_mode,
                               GtkTooltip *tooltip,
                               gpointer    user_data)
{
  return on_value_query_tooltip_cb (label, x, y, keyboard_mode, tooltip,
                                    GUINT_TO_POINTER (FCM_CONTEXT_FIELD_OPENED_BY));
}

/* ----------------------------------------------------------------- state */

static const char *
disconnected_reason (FcmClientState state)
{
  switch (state)
    {
    case FCM_CLIENT_STATE_DISCONNECTED:
      return _("Not subscribed to the hub. Reports opened or closed in other apps are not shown.");
    case FCM_CLIENT_STATE_SUBSCRIBING:
    case FCM_CLIENT_STATE_CONNECTING:
      return _("Connecting to the hub. Until it is confirmed, reports opened or closed in other apps are not shown.");
    case FCM_CLIENT_STATE_RECONNECTING:
      return _("The connection to the hub was lost; reconnecting. Changes made meanwhile in other apps may be missing.");
    case FCM_CLIENT_STATE_DENIED:
      return _("The hub denied or ended the subscription. Reports opened or closed in other apps are not shown.");
    case FCM_CLIENT_STATE_ERROR:
      return _("Subscribing to the hub failed. Reports opened or closed in other apps are not shown.");
    case FCM_CLIENT_STATE_ACTIVE:
    case FCM_CLIENT_STATE_RENEWING:
    default:
      return NULL;
    }
}

static void
update_stale (FcmContextPanel *self)
{
  FcmContextStore *store = _fcm_context_panel_get_store (self);
  const char *reason = NULL;

  if (self->monitor != NULL)
    {
      /* C-68: without a live subscription, what we show may be out of date */
      reason = disconnected_reason (fcm_monitor_get_state (self->monitor));

      /* C-33: a priorVersionId that is not ours means an update was missed */
      if (reason == NULL && fcm_context_store_get_stale (store))
        reason = _("An update was missed (version gap). The current context is being fetched from the hub again.");
    }

  if (reason != NULL)
    gtk_label_set_text (self->stale_reason_label, reason);
  gtk_revealer_set_reveal_child (self->stale_revealer, reason != NULL);
}

static void
on_store_current_cb (FcmContextPanel *self)
{
  g_signal_group_set_target (self->item_signals, _fcm_context_panel_get_current (self));
  self->suspended_dirty = TRUE;
  _fcm_context_panel_queue_apply (self);
  update_stale (self);
}

static void
on_store_stale_cb (FcmContextPanel *self)
{
  update_stale (self);
}

static void
on_store_n_items_cb (FcmContextPanel *self)
{
  self->suspended_dirty = TRUE;
  _fcm_context_panel_queue_apply (self);
}

static void
on_item_notify_cb (FcmContextPanel *self)
{
  _fcm_context_panel_queue_apply (self);
}

static void
on_monitor_state_cb (FcmContextPanel *self)
{
  update_stale (self);
}

/* -------------------------------------------------------- suspended list */

/* (the list itself: fcm-context-panel-suspended.c) */

static void
on_suspended_button_clicked_cb (FcmContextPanel *self)
{
  GtkListBoxRow *first = gtk_list_box_get_row_at_index (self->suspended_list, 0);

  if (first != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (first));
}

static gboolean
unchoose_cb (GtkWidget *widget,
             GVariant  *args,
             gpointer   user_data)
{
  FcmContextPanel *self = FCM_CONTEXT_PANEL (gtk_widget_get_ancestor (widget, FCM_TYPE_CONTEXT_PANEL));

  if (self->chosen == NULL)
    return FALSE;
  gtk_list_box_unselect_all (self->suspended_list);
  return TRUE;
}

/* --------------------------------------------------------------- set-up */

/* The row's title label (libadwaita 1.2: a GtkLabel of class "title" in
 * the row's header), or NULL */
GtkLabel *
_fcm_context_panel_find_title_label (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found;

      if (GTK_IS_LABEL (child) && gtk_widget_has_css_class (child, "title"))
        return GTK_LABEL (child);
      if ((found = _fcm_context_panel_find_title_label (child)) != NULL)
        return found;
    }
  return NULL;
}

static void
create_rows (FcmContextPanel *self)
{
  for (guint i = 0; i < FCM_CONTEXT_N_FIELDS; i++)
    {
      GtkWidget *row;
      GtkWidget *label;

      if (!_fcm_context_fields[i].row)
        continue;

      row = adw_action_row_new ();
      label = gtk_label_new ("—");
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(_fcm_context_fields[i].title));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      /* the value is the stop (selectable, Ctrl+C copies), not the row */
      gtk_widget_set_focusable (row, FALSE);

      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
      gtk_label_set_xalign (GTK_LABEL (label), 1.0);
      /* a natural width that leaves the title room in a narrow column */
      gtk_label_set_width_chars (GTK_LABEL (label), 6);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 20);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_set_has_tooltip (label, TRUE);
      g_signal_connect (label, "query-tooltip", G_CALLBACK (on_value_query_tooltip_cb), GUINT_TO_POINTER (i));
      gtk_accessible_update_property (GTK_ACCESSIBLE (label),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Not given"),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, _(_fcm_context_fields[i].title),
                                      -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
      adw_preferences_group_add (self->current_group, row);
      /* a narrow column wraps a title between words, never inside one
       * ("Versi-on"; libadwaita wraps at any character) */
      {
        GtkLabel *title = _fcm_context_panel_find_title_label (row);

        if (title != NULL)
          gtk_label_set_wrap_mode (title, PANGO_WRAP_WORD);
      }

      self->rows[i] = ADW_ACTION_ROW (row);
      self->values[i] = GTK_LABEL (label);
    }
}

/* a paced apply (fcm-view-pace.h) */
static void
paced_apply (gpointer data)
{
  _fcm_context_panel_apply (data);
}

static void
fcm_context_panel_realize (GtkWidget *widget)
{
  FcmContextPanel *self = FCM_CONTEXT_PANEL (widget);

  GTK_WIDGET_CLASS (fcm_context_panel_parent_class)->realize (widget);
  fcm_view_layout_cost_watch (&self->pace.layout, gtk_widget_get_frame_clock (widget));
}

static void
fcm_context_panel_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (fcm_context_panel_parent_class)->map (widget);
  _fcm_context_panel_rehearse (FCM_CONTEXT_PANEL (widget));
}

static void
fcm_context_panel_unmap (GtkWidget *widget)
{
  _fcm_context_panel_end_rehearsal (FCM_CONTEXT_PANEL (widget));
  GTK_WIDGET_CLASS (fcm_context_panel_parent_class)->unmap (widget);
}

static void
fcm_context_panel_unrealize (GtkWidget *widget)
{
  FcmContextPanel *self = FCM_CONTEXT_PANEL (widget);

  fcm_view_layout_cost_unwatch (&self->pace.layout);
  GTK_WIDGET_CLASS (fcm_context_panel_parent_class)->unrealize (widget);
}

static void
fcm_context_panel_dispose (GObject *object)
{
  FcmContextPanel *self = (FcmContextPanel *)object;
  GtkWidget *child;

  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
  fcm_view_pace_clear (&self->pace);
  _fcm_context_panel_end_rehearsal (self);
  if (self->store_signals != NULL)
    g_signal_group_set_target (self->store_signals, NULL);
  if (self->item_signals != NULL)
    g_signal_group_set_target (self->item_signals, NULL);
  if (self->monitor_signals != NULL)
    g_signal_group_set_target (self->monitor_signals, NULL);
  /* its rows go with it: that is no choice */
  if (self->suspended_list != NULL)
    g_signal_handlers_disconnect_by_data (self->suspended_list, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), FCM_TYPE_CONTEXT_PANEL);
  /* the template's top-level box is not a bound child */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->chosen);
  g_clear_object (&self->suspended_model);
  g_clear_pointer (&self->spare_rows, g_ptr_array_unref);
  g_clear_object (&self->store_signals);
  g_clear_object (&self->item_signals);
  g_clear_object (&self->monitor_signals);
  g_clear_object (&self->monitor);

  G_OBJECT_CLASS (fcm_context_panel_parent_class)->dispose (object);
}

static void
fcm_context_panel_finalize (GObject *object)
{
  FcmContextPanel *self = (FcmContextPanel *)object;

  for (guint i = 0; i < FCM_CONTEXT_N_FIELDS; i++)
    g_free (self->shown[i]);
  g_free (self->opened_by_event);

  G_OBJECT_CLASS (fcm_context_panel_parent_class)->finalize (object);
}

static void
fcm_context_panel_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  FcmContextPanel *self = FCM_CONTEXT_PANEL (object);

  switch (prop_id)
    {
    case PROP_MONITOR:
      g_value_set_object (value, self->monitor);
      break;
    case PROP_CHOSEN:
      g_value_set_object (value, self->chosen);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fcm_context_panel_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  FcmContextPanel *self = FCM_CONTEXT_PANEL (object);

  switch (prop_id)
    {
    case PROP_MONITOR:
      fcm_context_panel_set_monitor (self, g_value_get_object (value));
      break;
    case PROP_CHOSEN:
      fcm_context_panel_set_chosen (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fcm_context_panel_class_init (FcmContextPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fcm_context_panel_dispose;
  object_class->finalize = fcm_context_panel_finalize;
  object_class->get_property = fcm_context_panel_get_property;
  object_class->set_property = fcm_context_panel_set_property;
  widget_class->realize = fcm_context_panel_realize;
  widget_class->unrealize = fcm_context_panel_unrealize;
  widget_class->map = fcm_context_panel_map;
  widget_class->unmap = fcm_context_panel_unmap;

  /**
   * FcmContextPanel:monitor:
   *
   * The monitor whose context store is shown, or %NULL.
   */
  properties[PROP_MONITOR] =
    g_param_spec_object ("monitor", NULL, NULL, FCM_TYPE_MONITOR,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * FcmContextPanel:chosen:
   *
   * A suspended report chosen in the list, which Close, Update and Select
   * act on instead of the current one; %NULL for the current one.
   */
  properties[PROP_CHOSEN] =
    g_param_spec_object ("chosen", NULL, NULL, FCM_TYPE_CONTEXT_ITEM,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/fhircastmonitor/FhircastMonitor/fcm-context-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, FcmContextPanel, stale_revealer);
  gtk_widget_class_bind_template_child (widget_class, FcmContextPanel, stale_reason_label);
  gtk_widget_class_bind_template_child (widget_class, FcmContextPanel, stack);
  gtk_widget_class_bind_template_child (widget_class, FcmContextPanel, report_scroller);
  gtk_widget_class_bind_template_child (widget_class, FcmContextPanel, suspended_button);
  gtk_widget_class_bind_template_child (widget_class, FcmContextPanel, headline);
  gtk_widget_class_bind_template_child_full (widget_class, "patient_label", FALSE,
                                             G_STRUCT_OFFSET (FcmContextPanel, lines[FCM_CONTEXT_LINE_PATIENT]));
  gtk_widget_class_bind_template_child_full (widget_class, "patient_line_label", FALSE,
                                             G_STRUCT_OFFSET (FcmContextPanel, lines[FCM_CONTEXT_LINE_PATIENT_DETAIL]));
  gtk_widget_class_bind_template_child_full (widget_class, "study_label", FALSE,
                                             G_STRUCT_OFFSET (FcmContextPanel, lines[FCM_CONTEXT_LINE_STUDY]));
  gtk_widget_class_bind_template_child_full (widget_class, "study_line_label", FALSE,
                                             G_STRUCT_OFFSET (FcmContextPanel, lines[FCM_CONTEXT_LINE_STUDY_DETAIL]));
  gtk_widget_class_bind_template_child_full (widget_class, "status_label", FALSE,
                                             G_STRUCT_OFFSET (FcmContextPanel, lines[FCM_CONTEXT_LINE_STATUS]));
  gtk_widget_class_bind_template_child_full (widget_class, "opened_by_label", FALSE,
                                             G_STRUCT_OFFSET (FcmContextPanel, lines[FCM_CONTEXT_LINE_OPENED_BY]));
  gtk_widget_class_bind_template_child (widget_class, FcmContextPanel, no_current_label);
  gtk_widget_class_bind_template_child (widget_class, FcmContextPanel, current_group);
  gtk_widget_class_bind_template_child (widget_class, FcmContextPanel, suspended_group);
  gtk_widget_class_bind_template_child (widget_class, FcmContextPanel, suspended_list);
  gtk_widget_class_bind_template_callback (widget_class, on_suspended_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_opened_by_query_tooltip_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "contextpanel");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
fcm_context_panel_init (FcmContextPanel *self)
{
  GtkEventController *shortcuts;

  fcm_view_pace_init (&self->pace, G_LOG_DOMAIN, "context panel", paced_apply, self);
  gtk_widget_init_template (GTK_WIDGET (self));

  create_rows (self);

  self->monitor_signals = g_signal_group_new (FCM_TYPE_MONITOR);
  g_signal_group_connect_swapped (self->monitor_signals, "notify::state",
                                  G_CALLBACK (on_monitor_state_cb), self);

  self->store_signals = g_signal_group_new (FCM_TYPE_CONTEXT_STORE);
  g_signal_group_connect_swapped (self->store_signals, "notify::current",
                                  G_CALLBACK (on_store_current_cb), self);
  g_signal_group_connect_swapped (self->store_signals, "notify::stale",
                                  G_CALLBACK (on_store_stale_cb), self);
  g_signal_group_connect_swapped (self->store_signals, "notify::n-items",
                                  G_CALLBACK (on_store_n_items_cb), self);

  self->item_signals = g_signal_group_new (FCM_TYPE_CONTEXT_ITEM);
  g_signal_group_connect_swapped (self->item_signals, "notify",
                                  G_CALLBACK (on_item_notify_cb), self);

  _fcm_context_panel_init_suspended (self);

  /* Escape in the list goes back to acting on the current report */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                          gtk_callback_action_new (unchoose_cb, NULL, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self->suspended_list), shortcuts);

  /* once: in GTK 4.8 each gtk_widget_set_tooltip_text() asks the X server
   * for the pointer, synchronously */
  gtk_widget_set_tooltip_text (self->suspended_button, _("Go to the suspended reports"));

  _fcm_context_panel_apply (self);
  update_stale (self);
  _fcm_context_panel_update_suspended_count (self);
}

/**
 * fcm_context_panel_get_monitor:
 * @self: a #FcmContextPanel
 *
 * Returns: (transfer none) (nullable): the monitor shown
 */
FcmMonitor *
fcm_context_panel_get_monitor (FcmContextPanel *self)
{
  g_return_val_if_fail (FCM_IS_CONTEXT_PANEL (self), NULL);

  return self->monitor;
}

/**
 * fcm_context_panel_set_monitor:
 * @self: a #FcmContextPanel
 * @monitor: (nullable): the monitor to show, or %NULL for "Not Connected"
 *
 * Shows @monitor's contexts at once (not with the next frame).
 */
void
fcm_context_panel_set_monitor (FcmContextPanel *self,
                               FcmMonitor      *monitor)
{
  FcmContextStore *store;

  g_return_if_fail (FCM_IS_CONTEXT_PANEL (self));
  g_return_if_fail (monitor == NULL || FCM_IS_MONITOR (monitor));

  if (!g_set_object (&self->monitor, monitor))
    return;

  fcm_context_panel_set_chosen (self, NULL);
  store = _fcm_context_panel_get_store (self);
  g_signal_group_set_target (self->monitor_signals, monitor);
  g_signal_group_set_target (self->store_signals, store);
  g_signal_group_set_target (self->item_signals, _fcm_context_panel_get_current (self));

  self->suspended_dirty = TRUE;
  _fcm_context_panel_apply (self);
  update_stale (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MONITOR]);
}

/**
 * fcm_context_panel_get_chosen:
 * @self: a #FcmContextPanel
 *
 * Returns: (transfer none) (nullable): the suspended report chosen in the
 *   list, or %NULL
 */
FcmContextItem *
fcm_context_panel_get_chosen (FcmContextPanel *self)
{
  g_return_val_if_fail (FCM_IS_CONTEXT_PANEL (self), NULL);

  return self->chosen;
}

/**
 * fcm_context_panel_set_chosen:
 * @self: a #FcmContextPanel
 * @item: (nullable): a suspended report of the monitor's store, or %NULL
 *   to act on the current one again
 */
void
fcm_context_panel_set_chosen (FcmContextPanel *self,
                              FcmContextItem  *item)
{
  g_return_if_fail (FCM_IS_CONTEXT_PANEL (self));
  g_return_if_fail (item == NULL || FCM_IS_CONTEXT_ITEM (item));

  if (item != NULL && fcm_context_item_get_current (item))
    item = NULL;
  if (!g_set_object (&self->chosen, item))
    return;

  if (item == NULL)
    gtk_list_box_unselect_all (self->suspended_list);
  else
    {
      if (self->suspended_dirty)
        _fcm_context_panel_sync_suspended (self);
      _fcm_context_panel_select_chosen_row (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHOSEN]);
}

/**
 * fcm_context_panel_get_target:
 * @self: a #FcmContextPanel
 *
 * Returns: (transfer none) (nullable): what Close, Update and Select act on:
 *   the chosen suspended report, else the current one
 */
FcmContextItem *
fcm_context_panel_get_target (FcmContextPanel *self)
{
  g_return_val_if_fail (FCM_IS_CONTEXT_PANEL (self), NULL);

  return self->chosen != NULL ? self->chosen : _fcm_context_panel_get_current (self);
}

