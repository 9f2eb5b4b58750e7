/* fcm-i18n.h: one gettext domain for the model, the CLI and the app
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

const char *fcm_i18n_get_localedir (void);
void        fcm_i18n_init          (void);

G_END_DECLS
