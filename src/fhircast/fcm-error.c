/* fcm-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fcm-error.h"

G_DEFINE_QUARK (fcm-error-quark, fcm_error)
