/* fcm-probe-window-list.c: the probe window's scenarios
 *
 * The list shows every scenario of the run: pending, running, then its
 * verdict as an icon, a word and a colour (never the colour alone), its
 * rule ids and how long it took. The pane beside it shows the selected
 * scenario's checks and evidence as the probe library wrote them
 * (redacted there), monospace, selectable and copyable. The scenarios
 * popover chooses which scenarios run (like `--only`).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "FcmProbeWindow"

#include "config.h"

#include <glib/gi18n.h>

#include "fcm-probe-window-private.h"

/* ------------------------------------------------------------ FcmProbeItem */

struct _FcmProbeItem
{
  GObject            parent_instance;

  char              *id;
  char              *title;
  char              *summary;
  char              *rules;          /* "H-08, H-04" */
  FcmProbeItemState  state;
  FcmProbeResult    *result;
  GString           *live;           /* evidence while it runs */
};

G_DEFINE_FINAL_TYPE (FcmProbeItem, fcm_probe_item, G_TYPE_OBJECT)

enum {
  ITEM_CHANGED,
  N_ITEM_SIGNALS
};

static guint item_signals[N_ITEM_SIGNALS];

static void
fcm_probe_item_finalize (GObject *object)
{
  FcmProbeItem *self = FCM_PROBE_ITEM (object);

  g_free (self->id);
  g_free (self->title);
  g_free (self->summary);
  g_free (self->rules);
  g_clear_object (&self->result);
  g_string_free (self->live, TRUE);

  G_OBJECT_CLASS (fcm_probe_item_parent_class)->finalize (object);
}

static void
fcm_probe_item_class_init (FcmProbeItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fcm_probe_item_finalize;

  /* the state, the result or the live evidence changed */
  item_signals[ITEM_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
fcm_probe_item_init (FcmProbeItem *self)
{
  self->live = g_string_new (NULL);
}

/* @info's title and summary are msgids of our domain (fcm_probe_list_scenarios) */
FcmProbeItem *
fcm_probe_item_new (const FcmProbeScenarioInfo *info)
{
  FcmProbeItem *self = g_object_new (FCM_TYPE_PROBE_ITEM, NULL);
  g_auto(GStrv) rules = g_strsplit (info->rules != NULL ? info->rules : "", ",", -1);

  self->id = g_strdup (info->id);
  self->title = g_strdup (_(info->title));
  self->summary = g_strdup (info->summary != NULL ? _(info->summary) : "");
  for (guint i = 0; rules[i] != NULL; i++)
    g_strstrip (rules[i]);
  self->rules = g_strjoinv (", ", rules);
  return self;
}

const char *
fcm_probe_item_get_id (FcmProbeItem *self)
{
  return self->id;
}

const char *
fcm_probe_item_get_title (FcmProbeItem *self)
{
  return self->title;
}

const char *
fcm_probe_item_get_summary (FcmProbeItem *self)
{
  return self->summary;
}

const char *
fcm_probe_item_get_rules (FcmProbeItem *self)
{
  return self->rules;
}

FcmProbeItemState
fcm_probe_item_get_state (FcmProbeItem *self)
{
  return self->state;
}

FcmProbeResult *
fcm_probe_item_get_result (FcmProbeItem *self)
{
  return self->result;
}

const char *
fcm_probe_item_get_live (FcmProbeItem *self)
{
  return self->live->str;
}

void
fcm_probe_item_set_running (FcmProbeItem *self)
{
  self->state = FCM_PROBE_ITEM_RUNNING;
  g_string_truncate (self->live, 0);
  g_signal_emit (self, item_signals[ITEM_CHANGED], 0);
}

void
fcm_probe_item_add_live (FcmProbeItem *self,
                         const char   *line)
{
  g_string_append (self->live, line);
  g_string_append_c (self->live, '\n');
  g_signal_emit (self, item_signals[ITEM_CHANGED], 0);
}

void
fcm_probe_item_set_result (FcmProbeItem   *self,
                           FcmProbeResult *result)
{
  g_set_object (&self->result, result);
  self->state = FCM_PROBE_ITEM_DONE;
  g_signal_emit (self, item_signals[ITEM_CHANGED], 0);
}

void
fcm_probe_item_set_not_run (FcmProbeItem *self)
{
  self->state = FCM_PROBE_ITEM_NOT_RUN;
  g_signal_emit (self, item_signals[ITEM_CHANGED], 0);
}

/* ------------------------------------------------------------- the verdict */

/**
 * _fcm_probe_verdict_look:
 *
 * The icon, the word and the style class of a scenario's state: the word
 * says it, the icon and the colour repeat it.
 */
void
_fcm_probe_verdict_look (FcmProbeItemState   state,
                         FcmProbeVerdict     verdict,
                         const char        **icon_name,
                         const char        **text,
                         const char        **css_class)
{
  if (state == FCM_PROBE_ITEM_PENDING)
    {
      *icon_name = "content-loading-symbolic";
      *text = C_("probe verdict", "Pending");
      *css_class = "dim-label";
      return;
    }
  if (state == FCM_PROBE_ITEM_NOT_RUN)
    {
      *icon_name = "action-unavailable-symbolic";
      *text = C_("probe verdict", "Not run");
      *css_class = "dim-label";
      return;
    }
  if (state == FCM_PROBE_ITEM_RUNNING)
    {
      *icon_name = NULL;   /* a spinner */
      *text = C_("probe verdict", "Running");
      *css_class = "accent";
      return;
    }
  switch (verdict)
    {
    case FCM_PROBE_VERDICT_PASS:
      *icon_name = "emblem-ok-symbolic";
      *text = C_("probe verdict", "Passed");
      *css_class = "success";
      break;
    case FCM_PROBE_VERDICT_WARNING:
      *icon_name = "dialog-warning-symbolic";
      *text = C_("probe verdict", "Warning");
      *css_class = "warning";
      break;
    case FCM_PROBE_VERDICT_FAIL:
      *icon_name = "dialog-error-symbolic";
      *text = C_("probe verdict", "Failed");
      *css_class = "error";
      break;
    case FCM_PROBE_VERDICT_SKIPPED:
    default:
      *icon_name = "action-unavailable-symbolic";
      *text = C_("probe verdict", "Skipped");
      *css_class = "dim-label";
      break;
    }
}

static FcmProbeVerdict
item_verdict (FcmProbeItem *item)
{
  return item->result != NULL ? fcm_probe_result_get_verdict (item->result) : FCM_PROBE_VERDICT_SKIPPED;
}

/* What a screen reader says for a row: "Discovery: Passed. Rules H-01. 0.12 seconds" */
char *
fcm_probe_item_dup_a11y_text (FcmProbeItem *self)
{
  const char *icon, *text, *css;

  _fcm_probe_verdict_look (self->state, item_verdict (self), &icon, &text, &css);
  if (self->state == FCM_PROBE_ITEM_DONE && self->result != NULL)
    /* Translators: 1: scenario title, 2: verdict, 3: rule ids, 4: seconds */
    return g_strdup_printf (_("%s: %s. Rules %s. %.2f seconds"), self->title, text, self->rules,
                            fcm_probe_result_get_duration (self->result));
  /* Translators: 1: scenario title, 2: "Pending", "Running" or "Not run", 3: rule ids */
  return g_strdup_printf (_("%s: %s. Rules %s"), self->title, text, self->rules);
}

/* ---------------------------------------------------------------- the rows */

typedef struct
{
  GtkWidget *badge;
  GtkWidget *icon;
  GtkWidget *spinner;
  GtkWidget *verdict;
  GtkWidget *title;
  GtkWidget *details;
  GtkWidget *duration;
} Row;

static const char * const badge_classes[] = { "success", "warning", "error", "accent", "dim-label" };

static void
row_update (GtkWidget    *box,
            FcmProbeItem *item)
{
  Row *row = g_object_get_data (G_OBJECT (box), "row");
  const char *icon, *text, *css;
  g_autofree char *details = NULL;
  g_autofree char *a11y = NULL;

  _fcm_probe_verdict_look (item->state, item_verdict (item), &icon, &text, &css);
  for (guint i = 0; i < G_N_ELEMENTS (badge_classes); i++)
    gtk_widget_remove_css_class (row->badge, badge_classes[i]);
  gtk_widget_add_css_class (row->badge, css);
  gtk_label_set_text (GTK_LABEL (row->verdict), text);
  gtk_widget_set_visible (row->icon, icon != NULL);
  if (icon != NULL)
    gtk_image_set_from_icon_name (GTK_IMAGE (row->icon), icon);
  gtk_widget_set_visible (row->spinner, icon == NULL);
  gtk_spinner_set_spinning (GTK_SPINNER (row->spinner), icon == NULL);

  gtk_label_set_text (GTK_LABEL (row->title), item->title);
  /* Translators: a scenario's id and the rule ids it checks */
  details = g_strdup_printf (_("%s · %s"), item->id, item->rules);
  gtk_label_set_text (GTK_LABEL (row->details), details);
  if (item->state == FCM_PROBE_ITEM_DONE && item->result != NULL)
    {
      /* Translators: how long a scenario took, in seconds */
      g_autofree char *secs = g_strdup_printf (_("%.2f s"), fcm_probe_result_get_duration (item->result));

      gtk_label_set_text (GTK_LABEL (row->duration), secs);
    }
  else
    gtk_label_set_text (GTK_LABEL (row->duration), "");

  a11y = fcm_probe_item_dup_a11y_text (item);
  gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  user_data)
{
  Row *row = g_new0 (Row, 1);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  GtkWidget *labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *badge_slot = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

  row->badge = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  row->icon = gtk_image_new ();
  row->spinner = gtk_spinner_new ();
  row->verdict = gtk_label_new (NULL);
  row->title = gtk_label_new (NULL);
  row->details = gtk_label_new (NULL);
  row->duration = gtk_label_new (NULL);

  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);
  /* a column of badges: "Warning" is the widest word in English */
  gtk_widget_set_size_request (badge_slot, 92, -1);
  gtk_widget_set_valign (badge_slot, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (row->badge, "fcm-badge");
  gtk_widget_set_halign (row->badge, GTK_ALIGN_START);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row->icon), GTK_ACCESSIBLE_PROPERTY_LABEL, "", -1);
  gtk_box_append (GTK_BOX (row->badge), row->icon);
  gtk_box_append (GTK_BOX (row->badge), row->spinner);
  gtk_box_append (GTK_BOX (row->badge), row->verdict);
  gtk_box_append (GTK_BOX (badge_slot), row->badge);

  gtk_label_set_xalign (GTK_LABEL (row->title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (row->title), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (row->details), 0);
  gtk_label_set_ellipsize (GTK_LABEL (row->details), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (row->details, "caption");
  gtk_widget_add_css_class (row->details, "dim-label");
  gtk_widget_set_hexpand (labels, TRUE);
  gtk_box_append (GTK_BOX (labels), row->title);
  gtk_box_append (GTK_BOX (labels), row->details);

  gtk_widget_add_css_class (row->duration, "caption");
  gtk_widget_add_css_class (row->duration, "numeric");
  gtk_widget_set_valign (row->duration, GTK_ALIGN_CENTER);

  gtk_box_append (GTK_BOX (box), badge_slot);
  gtk_box_append (GTK_BOX (box), labels);
  gtk_box_append (GTK_BOX (box), row->duration);
  g_object_set_data_full (G_OBJECT (box), "row", row, g_free);
  gtk_list_item_set_child (list_item, box);
}

static void
item_changed_cb (FcmProbeItem *item,
                 GtkWidget    *box)
{
  row_update (box, item);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             gpointer                  user_data)
{
  FcmProbeItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *box = gtk_list_item_get_child (list_item);

  row_update (box, item);
  g_signal_connect_object (item, "changed", G_CALLBACK (item_changed_cb), box, 0);
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  user_data)
{
  FcmProbeItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *box = gtk_list_item_get_child (list_item);

  if (item != NULL)
    g_signal_handlers_disconnect_by_func (item, item_changed_cb, box);
}

/* ------------------------------------------------------ the evidence pane */

static FcmProbeItem *
selected_item (FcmProbeWindow *self)
{
  return gtk_single_selection_get_selected_item (self->selection);
}

/**
 * _fcm_probe_window_show_selected:
 *
 * The pane shows the selected scenario: what it does while pending, what it
 * did so far while running, its checks and evidence when done.
 */
void
_fcm_probe_window_show_selected (FcmProbeWindow *self)
{
  FcmProbeItem *item;
  GtkTextBuffer *buffer;
  g_autofree char *text = NULL;
  g_autofree char *message = NULL;

  if (self->evidence_view == NULL || self->selection == NULL)   /* disposed */
    return;
  item = selected_item (self);
  buffer = gtk_text_view_get_buffer (self->evidence_view);
  if (item == NULL)
    {
      gtk_label_set_text (self->evidence_title, _("No Scenario Selected"));
      gtk_label_set_text (self->evidence_message, _("Select a scenario to see its checks and evidence"));
      gtk_text_buffer_set_text (buffer, "", -1);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "probe.copy-evidence", FALSE);
      return;
    }

  gtk_label_set_text (self->evidence_title, item->title);
  switch (item->state)
    {
    case FCM_PROBE_ITEM_PENDING:
      /* Translators: 1: what a scenario does, 2: the rule ids it checks */
      message = g_strdup_printf (_("%s (rules %s). Not run yet."), item->summary, item->rules);
      text = g_strdup ("");
      break;
    case FCM_PROBE_ITEM_NOT_RUN:
      message = g_strdup_printf (_("%s (rules %s). Not run: the run ended before it."), item->summary, item->rules);
      text = g_strdup (item->live->str);
      break;
    case FCM_PROBE_ITEM_RUNNING:
      message = g_strdup_printf (_("%s (rules %s). Running: the evidence so far."), item->summary, item->rules);
      text = g_strdup (item->live->str);
      break;
    case FCM_PROBE_ITEM_DONE:
    default:
      {
        const char *icon, *verdict, *css;
        const char *why = item->result != NULL ? fcm_probe_result_get_message (item->result) : "";

        _fcm_probe_verdict_look (item->state, item_verdict (item), &icon, &verdict, &css);
        if (why != NULL && why[0] != '\0')
          /* Translators: 1: a verdict ("Failed"), 2: why */
          message = g_strdup_printf (_("%s: %s"), verdict, why);
        else
          message = g_strdup (verdict);
        text = item->result != NULL ? fcm_probe_report_details (item->result, FCM_PROBE_REPORT_VERBOSE)
                                    : g_strdup ("");
      }
      break;
    }
  gtk_label_set_text (self->evidence_message, message);
  gtk_text_buffer_set_text (buffer, text, -1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "probe.copy-evidence", text[0] != '\0');
}

static void
selection_changed_cb (FcmProbeWindow *self)
{
  /* a person chose a row: stop following the run */
  if (!self->selecting)
    self->follow = FALSE;
  _fcm_probe_window_show_selected (self);
}

void
_fcm_probe_window_select (FcmProbeWindow *self,
                          guint           position)
{
  self->selecting = TRUE;
  gtk_single_selection_set_selected (self->selection, position);
  self->selecting = FALSE;
  if (position != GTK_INVALID_LIST_POSITION)
    gtk_widget_activate_action (GTK_WIDGET (self->scenario_list), "list.scroll-to-item", "u", position);
}

FcmProbeItem *
_fcm_probe_window_find_item (FcmProbeWindow *self,
                             const char     *id,
                             guint          *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->items));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FcmProbeItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);

      if (g_strcmp0 (item->id, id) == 0)
        {
          if (position != NULL)
            *position = i;
          return item;     /* the store keeps a reference */
        }
    }
  return NULL;
}

void
_fcm_probe_window_copy_evidence_action (GtkWidget  *widget,
                                        const char *action_name,
                                        GVariant   *parameter)
{
  FcmProbeWindow *self = FCM_PROBE_WINDOW (widget);
  FcmProbeItem *item = selected_item (self);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->evidence_view);
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  if (item == NULL)
    return;
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
  _fcm_probe_window_toast (self, _("Copied the checks and evidence"));
}

/* ------------------------------------------------- choosing the scenarios */

static void
check_toggled_cb (FcmProbeWindow *self)
{
  /* Run is off while nothing is chosen */
  _fcm_probe_window_update_state (self);
}

/**
 * _fcm_probe_window_dup_chosen:
 *
 * Returns: (transfer full): the ids of the scenarios ticked, in run order
 */
char **
_fcm_probe_window_dup_chosen (FcmProbeWindow *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; self->checks != NULL && i < self->checks->len; i++)
    {
      GtkCheckButton *check = g_ptr_array_index (self->checks, i);

      if (gtk_check_button_get_active (check))
        g_strv_builder_add (builder, g_object_get_data (G_OBJECT (check), "scenario-id"));
    }
  return g_strv_builder_end (builder);
}

/* probe.select-all, probe.select-none */
void
_fcm_probe_window_choose_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  FcmProbeWindow *self = FCM_PROBE_WINDOW (widget);
  gboolean all = g_str_equal (action_name, "probe.select-all");

  for (guint i = 0; i < self->checks->len; i++)
    gtk_check_button_set_active (g_ptr_array_index (self->checks, i), all);
}

/**
 * _fcm_probe_window_fill_items:
 *
 * One pending row per chosen scenario, for the run about to start.
 */
void
_fcm_probe_window_fill_items (FcmProbeWindow *self)
{
  g_autoptr(GPtrArray) scenarios = fcm_probe_list_scenarios (self->probe);
  g_auto(GStrv) chosen = _fcm_probe_window_dup_chosen (self);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < scenarios->len; i++)
    {
      const FcmProbeScenarioInfo *info = g_ptr_array_index (scenarios, i);

      if (g_strv_contains ((const char * const *) chosen, info->id))
        g_ptr_array_add (items, fcm_probe_item_new (info));
    }
  self->selecting = TRUE;
  g_list_store_splice (self->items, 0, g_list_model_get_n_items (G_LIST_MODEL (self->items)),
                       items->pdata, items->len);
  self->selecting = FALSE;
  self->n_run = items->len;
  self->follow = TRUE;
  _fcm_probe_window_select (self, items->len > 0 ? 0 : GTK_INVALID_LIST_POSITION);
  _fcm_probe_window_show_selected (self);
}

/**
 * _fcm_probe_window_setup_list:
 *
 * The list's factory and model, and a check button per scenario of the
 * probe (all ticked).
 */
void
_fcm_probe_window_setup_list (FcmProbeWindow *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GPtrArray) scenarios = fcm_probe_list_scenarios (self->probe);

  self->items = g_list_store_new (FCM_TYPE_PROBE_ITEM);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->items)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), NULL);
  gtk_list_view_set_factory (self->scenario_list, factory);
  gtk_list_view_set_model (self->scenario_list, GTK_SELECTION_MODEL (self->selection));

  self->checks = g_ptr_array_new ();
  for (guint i = 0; i < scenarios->len; i++)
    {
      const FcmProbeScenarioInfo *info = g_ptr_array_index (scenarios, i);
      GtkWidget *check = gtk_check_button_new_with_label (_(info->title));
      /* Translators: 1: a scenario id, 2: what it does, 3: rule ids */
      g_autofree char *tip = g_strdup_printf (_("%s: %s (%s)"), info->id, _(info->summary), info->rules);

      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
      gtk_widget_set_tooltip_text (check, tip);
      gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, tip, -1);
      g_object_set_data_full (G_OBJECT (check), "scenario-id", g_strdup (info->id), g_free);
      g_signal_connect_object (check, "toggled", G_CALLBACK (check_toggled_cb), self, G_CONNECT_SWAPPED);
      gtk_list_box_append (self->check_list, check);
      g_ptr_array_add (self->checks, check);
    }
}
