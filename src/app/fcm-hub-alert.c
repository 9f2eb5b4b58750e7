/* fcm-hub-alert.c: one hub's persistent alert under the header bar
 *
 * While a connection has lost sync (a syncerror, C-63..C-66), its hub, or
 * could not connect at all (C-68), the window shows one of these for it,
 * whichever hub is selected: an error-styled bar that names the hub and
 * says why, with Show (select that hub), Reconnect and Dismiss. It stays
 * until all is well again or the user dismisses this text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "FcmWindow"

#include "config.h"

#include <glib/gi18n.h>

#include "fcm-hub-alert.h"

struct _FcmHubAlert
{
  GtkWidget      parent_instance;

  FcmConnection *connection;
  GtkWidget     *title;
  GtkWidget     *text;
  GtkWidget     *show_button;
  GtkWidget     *reconnect_button;
};

G_DEFINE_FINAL_TYPE (FcmHubAlert, fcm_hub_alert, GTK_TYPE_WIDGET)

static GtkWidget *
add_button (GtkWidget  *box,
            const char *label,
            const char *accessible_label,
            const char *action_name,
            const char *id)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action_name);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_string (id));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_label, -1);
  gtk_box_append (GTK_BOX (box), button);
  return button;
}

static void
fcm_hub_alert_dispose (GObject *object)
{
  FcmHubAlert *self = FCM_HUB_ALERT (object);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (fcm_hub_alert_parent_class)->dispose (object);
}

static void
fcm_hub_alert_class_init (FcmHubAlertClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fcm_hub_alert_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "fcm-hub-alert");
  /* screen readers announce it when it appears */
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_ALERT);
}

static void
fcm_hub_alert_init (FcmHubAlert *self)
{
  GtkWidget *icon = g_object_new (GTK_TYPE_IMAGE,
                                  "icon-name", "dialog-error-symbolic",
                                  "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                                  NULL);
  GtkWidget *labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);

  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (self))), 12);
  gtk_widget_add_css_class (GTK_WIDGET (self), "error");

  gtk_widget_set_valign (icon, GTK_ALIGN_CENTER);
  gtk_widget_set_parent (icon, GTK_WIDGET (self));

  self->title = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->title), 0);
  gtk_label_set_wrap (GTK_LABEL (self->title), TRUE);
  gtk_widget_add_css_class (self->title, "heading");
  self->text = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->text), 0);
  gtk_label_set_wrap (GTK_LABEL (self->text), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (self->text), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (self->text), TRUE);
  gtk_widget_set_can_focus (self->text, FALSE);
  gtk_box_append (GTK_BOX (labels), self->title);
  gtk_box_append (GTK_BOX (labels), self->text);
  gtk_widget_set_hexpand (labels, TRUE);
  gtk_widget_set_valign (labels, GTK_ALIGN_CENTER);
  gtk_widget_set_parent (labels, GTK_WIDGET (self));
}

/**
 * fcm_hub_alert_new:
 * @connection: the hub connection it is about
 *
 * Returns: (transfer floating): the alert; fcm_hub_alert_update() fills it
 */
GtkWidget *
fcm_hub_alert_new (FcmConnection *connection)
{
  FcmHubAlert *self;
  GtkWidget *buttons;
  const char *id;

  g_return_val_if_fail (FCM_IS_CONNECTION (connection), NULL);

  self = g_object_new (FCM_TYPE_HUB_ALERT, NULL);
  self->connection = g_object_ref (connection);
  id = fcm_connection_get_id (connection);

  buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_valign (buttons, GTK_ALIGN_CENTER);
  self->show_button = add_button (buttons, _("_Show"), _("Show this hub"), "win.show-connection", id);
  self->reconnect_button = add_button (buttons, _("_Reconnect"), _("Reconnect to this hub"),
                                       "win.reconnect-connection", id);
  add_button (buttons, _("_Dismiss"), _("Dismiss this alert"), "win.dismiss-alert", id);
  gtk_widget_set_tooltip_text (gtk_widget_get_last_child (buttons),
                               _("Hide this alert; it comes back when something new goes wrong"));
  gtk_widget_set_parent (buttons, GTK_WIDGET (self));

  return GTK_WIDGET (self);
}

FcmConnection *
fcm_hub_alert_get_connection (FcmHubAlert *self)
{
  g_return_val_if_fail (FCM_IS_HUB_ALERT (self), NULL);
  return self->connection;
}

/**
 * fcm_hub_alert_update:
 * @shown: whether its connection is the one the window shows (then "Show"
 *   has nothing to do)
 *
 * Takes the connection's alert title and text.
 */
void
fcm_hub_alert_update (FcmHubAlert *self,
                      gboolean     shown)
{
  g_autofree char *title = NULL;
  g_autofree char *text = NULL;

  g_return_if_fail (FCM_IS_HUB_ALERT (self));

  title = fcm_connection_dup_alert_title (self->connection);
  text = fcm_connection_dup_alert (self->connection);
  if (g_strcmp0 (title, gtk_label_get_text (GTK_LABEL (self->title))) != 0 ||
      g_strcmp0 (text, gtk_label_get_text (GTK_LABEL (self->text))) != 0)
    {
      gtk_label_set_text (GTK_LABEL (self->title), title ? title : "");
      gtk_label_set_text (GTK_LABEL (self->text), text ? text : "");
      gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, title ? title : "",
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text ? text : "",
                                      -1);
    }
  gtk_widget_set_visible (self->show_button, !shown);
}

const char *
fcm_hub_alert_get_title (FcmHubAlert *self)
{
  g_return_val_if_fail (FCM_IS_HUB_ALERT (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->title));
}

const char *
fcm_hub_alert_get_text (FcmHubAlert *self)
{
  g_return_val_if_fail (FCM_IS_HUB_ALERT (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->text));
}
