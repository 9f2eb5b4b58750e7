/* fcm-gtk-test-util.h: widget lookups and set-up shared by the gtk test programs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

typedef gboolean (*FcmTestWidgetMatch) (GtkWidget     *widget,
                                        gconstpointer  data);

GtkWidget *fcm_test_find_widget_matching (GtkWidget          *root,
                                          FcmTestWidgetMatch  match,
                                          gconstpointer       data);
GtkWidget *fcm_test_find_widget          (GtkWidget          *root,
                                          GType               type);
GtkWidget *fcm_test_find_action_button   (GtkWidget          *root,
                                          const char         *action_name);
GtkWidget *fcm_test_find_entry_row       (GtkWidget          *root,
                                          const char         *title);
GtkWidget *fcm_test_find_widget_named    (GtkWidget          *root,
                                          const char         *name);

void       fcm_gtk_test_set_fatal_handler (void);
gboolean   fcm_gtk_test_init             (int                *argc,
                                          char             ***argv,
                                          const char         *program);
int        fcm_gtk_test_run_in_application (GApplication     *application);
void       fcm_test_wait_frames          (GtkWidget          *widget,
                                          guint               n);

G_END_DECLS
