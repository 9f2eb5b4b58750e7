/* fcm-preferences-window-private.h: what the files of FcmPreferencesWindow share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   fcm-preferences-window.c        the window: the hub URL and other text
 *                                   rows, the events, the lease, the ack
 *                                   policy; the groups of the other
 *                                   fcm-preferences-*.c files added
 *   fcm-preferences-window-token.c  the token row, kept in the Secret
 *                                   Service per hub URL
 */

#pragma once

#include "fcm-preferences-window.h"

G_BEGIN_DECLS

struct _FcmPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;
  GCancellable         *cancellable;     /* the token lookup */
  guint                 token_serial;    /* bumped when the row changes hub */
  char                 *token_hub_url;   /* hub the token row belongs to */
  gboolean              token_dirty;     /* edited since loaded or stored */
  gboolean              loading_token;
  gboolean              updating_events;

  /* Template children */
  AdwPreferencesPage   *connection_page;
  AdwPreferencesPage   *session_page;
  AdwEntryRow          *hub_url_row;
  AdwEntryRow          *topic_row;
  AdwEntryRow          *gettopic_user_row;
  AdwEntryRow          *subscriber_name_row;
  AdwPasswordEntryRow  *token_row;
  GtkLabel             *token_status_label;
  GtkCheckButton       *open_event_check;
  GtkCheckButton       *close_event_check;
  GtkCheckButton       *update_event_check;
  GtkCheckButton       *select_event_check;
  GtkCheckButton       *syncerror_event_check;
  AdwEntryRow          *lease_row;
  GtkLabel             *lease_hint;
  GtkLabel             *lease_error;
  GtkLabel             *hub_url_error;
  GtkSwitch            *auto_connect_switch;
  AdwComboRow          *ack_policy_row;
};

void _fcm_preferences_window_setup_token (FcmPreferencesWindow *self);

G_END_DECLS
