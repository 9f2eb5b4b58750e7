/* fcm-window-private.h: what the tests may look at inside the window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fcm-window.h"

G_BEGIN_DECLS

typedef struct
{
  GtkRevealer *alert_revealer;
  GtkLabel    *alert_title;
  GtkLabel    *alert_label;
  GtkLabel    *answer_label;
  GtkWidget   *context_panel;
  GtkWidget   *timeline;
  GtkListBox  *connection_list;
  GtkWidget   *open_button;
} FcmWindowParts;

void fcm_window_get_parts (FcmWindow      *self,
                           FcmWindowParts *parts);

G_END_DECLS
