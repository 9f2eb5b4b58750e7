/* fcm-a11y.h: accessible names that GTK 4.8 gets wrong by itself
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

void  fcm_a11y_fix_names          (GtkWidget  *root);
char *fcm_a11y_strip_mnemonic     (const char *label) G_GNUC_WARN_UNUSED_RESULT;
void  fcm_a11y_set_error          (GtkWidget  *field,
                                   GtkLabel   *error_label,
                                   const char *message);

G_END_DECLS
