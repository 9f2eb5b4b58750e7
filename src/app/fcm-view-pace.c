/* fcm-view-pace.c: when any view last applied (fcm-view-pace.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fcm-view-pace.h"

gint64 fcm_view_pace_last_any;
const char *fcm_view_pace_last_view;
