/* fcm-test-window-util.h: one real FcmApplication and its main window, for the test-window* programs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "fcm-application.h"
#include "fcm-connection.h"
#include "fcm-open-report-dialog.h"
#include "fcm-window-private.h"

G_BEGIN_DECLS

typedef struct
{
  FcmApplication *app;
  GSettings      *settings;
} Fixture;

/* One real application for the whole run: the tests execute inside its
 * "activate" (see each program's main()). */
extern FcmApplication *the_app;

GtkWindow           *find_toplevel      (GType            type);
void                 fixture_setup      (Fixture         *f,
                                         gconstpointer    data);
void                 fixture_teardown   (Fixture         *f,
                                         gconstpointer    data);
FcmWindow           *new_window         (Fixture         *f);
void                 show_and_wait      (FcmWindow       *window);
FcmConnection       *add_embedded       (Fixture         *f,
                                         FcmWindow      **out_window);
FcmOpenReportDialog *find_open_dialog   (void);
void                 close_window       (FcmWindow       *window);
guint                timeline_rows      (GtkWidget       *timeline);
char                *open_random_report (FcmWindow       *window,
                                         FcmWindowParts  *parts);

G_END_DECLS
