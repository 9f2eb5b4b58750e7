/* fcm-context-panel.c: the current and suspended report contexts of a monitor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "FcmContextPanel"

#include "config.h"

#include <glib/gi18n.h>

#include "fcm-context-panel-private.h"

/**
 * FcmContextPanel:
 *
 * Shows what the #FcmContextStore of a #FcmMonitor knows: the current
 * report context as a card of copyable values, the suspended contexts
 * (C-37) as a list, and a warning while the context may be stale because
 * the connection is down (C-68) or a version gap was seen (C-33).
 */
struct _FcmContextPanel
{
  GtkWidget            parent_instance;

  FcmMonitor          *monitor;
  GSignalGroup        *monitor_signals;
  GSignalGroup        *store_signals;
  GSignalGroup        *item_signals;     /* the current item */
  GtkCustomFilter     *suspended_filter;
  GtkFilterListModel  *suspended_model;

  AdwActionRow        *rows[FCM_CONTEXT_N_FIELDS];
  GtkLabel            *values[FCM_CONTEXT_N_FIELDS];
  gboolean             has_value[FCM_CONTEXT_N_FIELDS];

  /* Template children */
  GtkRevealer         *stale_revealer;
  GtkLabel            *stale_reason_label;
  GtkStack            *stack;
  AdwPreferencesGroup *current_group;
  AdwPreferencesGroup *suspended_group;
  GtkListBox          *suspended_list;
};

G_DEFINE_FINAL_TYPE (FcmContextPanel, fcm_context_panel, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MONITOR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  const char         *title;
  gboolean            monospace;
  gboolean            hide_when_missing;
  PangoEllipsizeMode  ellipsize;
} FieldInfo;

static const FieldInfo fields[FCM_CONTEXT_N_FIELDS] = {
  [FCM_CONTEXT_FIELD_REPORT_ID] = { N_("Report ID"), TRUE, FALSE, PANGO_ELLIPSIZE_MIDDLE },
  [FCM_CONTEXT_FIELD_REPORT_STATUS] = { N_("Report Status"), FALSE, FALSE, PANGO_ELLIPSIZE_END },
  [FCM_CONTEXT_FIELD_PATIENT_NAME] = { N_("Patient"), FALSE, TRUE, PANGO_ELLIPSIZE_END },
  [FCM_CONTEXT_FIELD_MRN] = { N_("MRN"), TRUE, FALSE, PANGO_ELLIPSIZE_MIDDLE },
  [FCM_CONTEXT_FIELD_PATIENT_ID] = { N_("Patient ID"), TRUE, FALSE, PANGO_ELLIPSIZE_MIDDLE },
  [FCM_CONTEXT_FIELD_ACCESSION] = { N_("Accession"), TRUE, FALSE, PANGO_ELLIPSIZE_MIDDLE },
  [FCM_CONTEXT_FIELD_STUDY_UID] = { N_("Study UID"), TRUE, FALSE, PANGO_ELLIPSIZE_MIDDLE },
  [FCM_CONTEXT_FIELD_STUDY_ID] = { N_("Study ID"), TRUE, FALSE, PANGO_ELLIPSIZE_MIDDLE },
  [FCM_CONTEXT_FIELD_STUDY_DESCRIPTION] = { N_("Study Description"), FALSE, TRUE, PANGO_ELLIPSIZE_END },
  [FCM_CONTEXT_FIELD_VERSION_ID] = { N_("Version"), TRUE, FALSE, PANGO_ELLIPSIZE_MIDDLE },
  [FCM_CONTEXT_FIELD_OPENED_BY] = { N_("Opened By"), FALSE, TRUE, PANGO_ELLIPSIZE_END },
  [FCM_CONTEXT_FIELD_N_CONTENT] = { N_("Content Resources"), FALSE, FALSE, PANGO_ELLIPSIZE_END },
  [FCM_CONTEXT_FIELD_SELECTION] = { N_("Selection"), TRUE, FALSE, PANGO_ELLIPSIZE_MIDDLE },
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

static FcmContextStore *
get_store (FcmContextPanel *self)
{
  return self->monitor != NULL ? fcm_monitor_get_context_store (self->monitor) : NULL;
}

static void
set_field (FcmContextPanel *self,
           FcmContextField  field,
           const char      *value,
           const char      *tooltip)
{
  GtkLabel *label = self->values[field];
  GtkWidget *widget = GTK_WIDGET (label);
  gboolean has_value = value != NULL && *value != '\0';

  self->has_value[field] = has_value;
  gtk_widget_set_visible (GTK_WIDGET (self->rows[field]),
                          has_value || !fields[field].hide_when_missing);

  if (has_value)
    {
      gtk_label_set_text (label, value);
      gtk_label_set_selectable (label, TRUE);
      gtk_widget_set_tooltip_text (widget, tooltip ? tooltip : value);
      gtk_widget_remove_css_class (widget, "dim-label");
      if (fields[field].monospace)
        gtk_widget_add_css_class (widget, "monospace");
      /* after the tooltip, which GTK also makes the accessible description */
      gtk_accessible_update_property (GTK_ACCESSIBLE (label),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, value,
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, _(fields[field].title),
                                      -1);
    }
  else
    {
      gtk_label_set_text (label, "—");
      gtk_label_set_selectable (label, FALSE);
      gtk_widget_set_tooltip_text (widget, NULL);
      gtk_widget_add_css_class (widget, "dim-label");
      gtk_widget_remove_css_class (widget, "monospace");
      gtk_accessible_update_property (GTK_ACCESSIBLE (label),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Not given"),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, _(fields[field].title),
                                      -1);
    }
}

static void
update_card (FcmContextPanel *self)
{
  FcmContextStore *store = get_store (self);
  FcmContextItem *item = store != NULL ? fcm_context_store_get_current (store) : NULL;
  const char * const *selection;
  g_autofree char *n_content = NULL;
  g_autofree char *selection_text = NULL;
  g_autofree char *selection_tooltip = NULL;
  g_autofree char *opened_by_tooltip = NULL;
  const char *opened_by;

  for (guint i = 0; i < FCM_CONTEXT_N_FIELDS; i++)
    gtk_widget_set_visible (GTK_WIDGET (self->rows[i]), item != NULL);

  if (item == NULL)
    {
      /* C-35: closing the current context leaves it empty, suspended ones stay */
      adw_preferences_group_set_description (self->current_group,
                                             _("No report is current. The suspended reports below are still open."));
      return;
    }

  adw_preferences_group_set_description (self->current_group, NULL);

  set_field (self, FCM_CONTEXT_FIELD_REPORT_ID, fcm_context_item_get_anchor_id (item), NULL);
  set_field (self, FCM_CONTEXT_FIELD_REPORT_STATUS, fcm_context_item_get_report_status (item), NULL);
  set_field (self, FCM_CONTEXT_FIELD_PATIENT_NAME, fcm_context_item_get_patient_name (item), NULL);
  set_field (self, FCM_CONTEXT_FIELD_MRN, fcm_context_item_get_mrn (item), NULL);
  set_field (self, FCM_CONTEXT_FIELD_PATIENT_ID, fcm_context_item_get_patient_id (item), NULL);
  set_field (self, FCM_CONTEXT_FIELD_ACCESSION, fcm_context_item_get_accession (item), NULL);
  set_field (self, FCM_CONTEXT_FIELD_STUDY_UID, fcm_context_item_get_study_uid (item), NULL);
  set_field (self, FCM_CONTEXT_FIELD_STUDY_ID, fcm_context_item_get_study_id (item), NULL);
  set_field (self, FCM_CONTEXT_FIELD_STUDY_DESCRIPTION,
             fcm_context_item_get_study_description (item), NULL);
  set_field (self, FCM_CONTEXT_FIELD_VERSION_ID, fcm_context_item_get_version_id (item), NULL);
  opened_by = fcm_context_item_get_opened_by (item);
  if (opened_by != NULL)
    {
      /* the store knows the opening event; the client knows its own requests (C-38) */
      FcmHubClient *client = fcm_monitor_get_client (self->monitor);

      /* Translators: %s is the id of a FHIRcast event */
      opened_by_tooltip = g_strdup_printf (_("Opening event: %s"), opened_by);
      set_field (self, FCM_CONTEXT_FIELD_OPENED_BY,
                 fcm_hub_client_is_own_request (client, opened_by) ? _("This app") : _("Another app"),
                 opened_by_tooltip);
    }
  else
    {
      set_field (self, FCM_CONTEXT_FIELD_OPENED_BY, NULL, NULL);
    }

  n_content = g_strdup_printf ("%u", fcm_context_item_get_n_content (item));
  set_field (self, FCM_CONTEXT_FIELD_N_CONTENT, n_content, NULL);

  selection = fcm_context_item_get_selection (item);
  if (selection != NULL && selection[0] != NULL)
    {
      selection_text = g_strjoinv (", ", (char **) selection);
      selection_tooltip = g_strjoinv ("\n", (char **) selection);
    }
  set_field (self, FCM_CONTEXT_FIELD_SELECTION, selection_text, selection_tooltip);
}

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
  FcmContextStore *store = get_store (self);
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
update_page (FcmContextPanel *self)
{
  FcmContextStore *store = get_store (self);
  const char *page;

  if (store == NULL)
    page = "not-connected";
  else if (g_list_model_get_n_items (G_LIST_MODEL (store)) == 0)
    page = "empty";
  else
    page = "report";

  gtk_stack_set_visible_child_name (self->stack, page);
}

static void
update_current (FcmContextPanel *self)
{
  FcmContextStore *store = get_store (self);

  g_signal_group_set_target (self->item_signals,
                             store != NULL ? fcm_context_store_get_current (store) : NULL);
  /* the filter reads FcmContextItem:current, which the list model does not watch */
  gtk_filter_changed (GTK_FILTER (self->suspended_filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_card (self);
  update_stale (self);
}

static void
on_store_current_cb (FcmContextPanel *self)
{
  update_current (self);
}

static void
on_store_stale_cb (FcmContextPanel *self)
{
  update_stale (self);
}

static void
on_store_n_items_cb (FcmContextPanel *self)
{
  update_page (self);
}

static void
on_item_notify_cb (FcmContextPanel *self)
{
  update_card (self);
}

static void
on_monitor_state_cb (FcmContextPanel *self)
{
  update_stale (self);
}

static void
on_suspended_changed_cb (FcmContextPanel *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->suspended_group),
                          g_list_model_get_n_items (G_LIST_MODEL (self->suspended_model)) > 0);
}

static gboolean
suspended_filter_func (gpointer item,
                       gpointer user_data)
{
  return !fcm_context_item_get_current (FCM_CONTEXT_ITEM (item));
}

static void
update_suspended_row (AdwActionRow   *row,
                      GParamSpec     *pspec,
                      FcmContextItem *item)
{
  const char *patient = fcm_context_item_get_patient_name (item);
  const char *accession = fcm_context_item_get_accession (item);
  g_autoptr(GString) subtitle = g_string_new (NULL);

  if (patient == NULL)
    patient = fcm_context_item_get_mrn (item);
  if (patient == NULL)
    patient = fcm_context_item_get_patient_id (item);

  if (patient != NULL)
    g_string_append (subtitle, patient);
  if (accession != NULL)
    {
      if (subtitle->len > 0)
        g_string_append (subtitle, " · ");
      g_string_append (subtitle, accession);
    }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), fcm_context_item_get_anchor_id (item));
  adw_action_row_set_subtitle (row, subtitle->str);
  gtk_widget_set_tooltip_text (GTK_WIDGET (row), fcm_context_item_get_anchor_id (item));
}

static void
on_suspended_item_notify_cb (FcmContextItem *item,
                             GParamSpec     *pspec,
                             AdwActionRow   *row)
{
  update_suspended_row (row, pspec, item);
}

static GtkWidget *
create_suspended_row (gpointer item,
                      gpointer user_data)
{
  GtkWidget *row = adw_action_row_new ();

  /* ids are data, not markup */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 1);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 1);
  update_suspended_row (ADW_ACTION_ROW (row), NULL, item);
  g_signal_connect_object (item, "notify", G_CALLBACK (on_suspended_item_notify_cb), row, 0);

  return row;
}

static void
create_rows (FcmContextPanel *self)
{
  for (guint i = 0; i < FCM_CONTEXT_N_FIELDS; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *label = gtk_label_new ("—");

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(fields[i].title));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);

      gtk_label_set_ellipsize (GTK_LABEL (label), fields[i].ellipsize);
      gtk_label_set_xalign (GTK_LABEL (label), 1.0);
      /* a natural width that leaves the title room in a narrow column */
      gtk_label_set_width_chars (GTK_LABEL (label), 6);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 18);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_accessible_update_property (GTK_ACCESSIBLE (label),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, _(fields[i].title),
                                      -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
      adw_preferences_group_add (self->current_group, row);

      self->rows[i] = ADW_ACTION_ROW (row);
      self->values[i] = GTK_LABEL (label);
    }
}

static void
fcm_context_panel_dispose (GObject *object)
{
  FcmContextPanel *self = (FcmContextPanel *)object;
  GtkWidget *child;

  if (self->store_signals != NULL)
    g_signal_group_set_target (self->store_signals, NULL);
  if (self->item_signals != NULL)
    g_signal_group_set_target (self->item_signals, NULL);
  if (self->monitor_signals != NULL)
    g_signal_group_set_target (self->monitor_signals, NULL);

  gtk_widget_dispose_template (GTK_WIDGET (self), FCM_TYPE_CONTEXT_PANEL);
  /* the template's top-level box is not a bound child */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->suspended_model);
  g_clear_object (&self->suspended_filter);
  g_clear_object (&self->store_signals);
  g_clear_object (&self->item_signals);
  g_clear_object (&self->monitor_signals);
  g_clear_object (&self->monitor);

  G_OBJECT_CLASS (fcm_context_panel_parent_class)->dispose (object);
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
  object_class->get_property = fcm_context_panel_get_property;
  object_class->set_property = fcm_context_panel_set_property;

  /**
   * FcmContextPanel:monitor:
   *
   * The monitor whose context store is shown, or %NULL.
   */
  properties[PROP_MONITOR] =
    g_param_spec_object ("monitor", NULL, NULL, FCM_TYPE_MONITOR,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/fhircastmonitor/FhircastMonitor/fcm-context-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, FcmContextPanel, stale_revealer);
  gtk_widget_class_bind_template_child (widget_class, FcmContextPanel, stale_reason_label);
  gtk_widget_class_bind_template_child (widget_class, FcmContextPanel, stack);
  gtk_widget_class_bind_template_child (widget_class, FcmContextPanel, current_group);
  gtk_widget_class_bind_template_child (widget_class, FcmContextPanel, suspended_group);
  gtk_widget_class_bind_template_child (widget_class, FcmContextPanel, suspended_list);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "contextpanel");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
fcm_context_panel_init (FcmContextPanel *self)
{
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

  self->suspended_filter = gtk_custom_filter_new (suspended_filter_func, NULL, NULL);
  self->suspended_model = gtk_filter_list_model_new (NULL, g_object_ref (GTK_FILTER (self->suspended_filter)));
  g_signal_connect_object (self->suspended_model, "items-changed",
                           G_CALLBACK (on_suspended_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_list_box_bind_model (self->suspended_list, G_LIST_MODEL (self->suspended_model),
                           create_suspended_row, NULL, NULL);

  update_page (self);
  update_current (self);
  on_suspended_changed_cb (self);
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

  store = get_store (self);
  g_signal_group_set_target (self->monitor_signals, monitor);
  g_signal_group_set_target (self->store_signals, store);
  gtk_filter_list_model_set_model (self->suspended_model, G_LIST_MODEL (store));

  update_page (self);
  update_current (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MONITOR]);
}

/* ------------------------------------------------------------- for tests */

const char *
_fcm_context_panel_get_page (FcmContextPanel *self)
{
  g_return_val_if_fail (FCM_IS_CONTEXT_PANEL (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

const char *
_fcm_context_panel_get_field_text (FcmContextPanel *self,
                                   FcmContextField  field)
{
  g_return_val_if_fail (FCM_IS_CONTEXT_PANEL (self), NULL);
  g_return_val_if_fail (field < FCM_CONTEXT_N_FIELDS, NULL);

  if (!self->has_value[field] || !gtk_widget_get_visible (GTK_WIDGET (self->rows[field])))
    return NULL;

  return gtk_label_get_text (self->values[field]);
}

gboolean
_fcm_context_panel_get_field_visible (FcmContextPanel *self,
                                      FcmContextField  field)
{
  g_return_val_if_fail (FCM_IS_CONTEXT_PANEL (self), FALSE);
  g_return_val_if_fail (field < FCM_CONTEXT_N_FIELDS, FALSE);

  return gtk_widget_get_visible (GTK_WIDGET (self->rows[field]));
}

GtkWidget *
_fcm_context_panel_get_field_label (FcmContextPanel *self,
                                    FcmContextField  field)
{
  g_return_val_if_fail (FCM_IS_CONTEXT_PANEL (self), NULL);
  g_return_val_if_fail (field < FCM_CONTEXT_N_FIELDS, NULL);

  return GTK_WIDGET (self->values[field]);
}

guint
_fcm_context_panel_get_n_suspended (FcmContextPanel *self)
{
  guint n = 0;

  g_return_val_if_fail (FCM_IS_CONTEXT_PANEL (self), 0);

  while (gtk_list_box_get_row_at_index (self->suspended_list, n) != NULL)
    n++;

  return n;
}

const char *
_fcm_context_panel_get_suspended_title (FcmContextPanel *self,
                                        guint            position)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (FCM_IS_CONTEXT_PANEL (self), NULL);

  row = gtk_list_box_get_row_at_index (self->suspended_list, position);
  if (row == NULL)
    return NULL;

  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
}

gboolean
_fcm_context_panel_get_suspended_visible (FcmContextPanel *self)
{
  g_return_val_if_fail (FCM_IS_CONTEXT_PANEL (self), FALSE);

  return gtk_widget_get_visible (GTK_WIDGET (self->suspended_group));
}

const char *
_fcm_context_panel_get_stale_reason (FcmContextPanel *self)
{
  g_return_val_if_fail (FCM_IS_CONTEXT_PANEL (self), NULL);

  if (!gtk_revealer_get_reveal_child (self->stale_revealer))
    return NULL;

  return gtk_label_get_text (self->stale_reason_label);
}
